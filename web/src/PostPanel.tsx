// One post: its text, targets, time (changeable by keyboard), actions, and its history.
import { useEffect, useRef, useState } from 'react';
import type { PageName } from './App';
import { adviceFor } from './advice';
import { api, type Me, type Post } from './api';
import { StatusBadge, targetLabel } from './bits';
import { formatWhen, fromInput, toInput } from './time';

interface Props {
  id: string;
  me: Me;
  version: number;
  changed: () => void;
  go: (p: PageName) => void;
  onClose: () => void;
}

export function PostPanel({ id, me, version, changed, go, onClose }: Props) {
  const zone = me.timeZone;
  const [post, setPost] = useState<Post | undefined>();
  const [content, setContent] = useState('');
  const [hashtags, setHashtags] = useState('');
  const [when, setWhen] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  // Fields follow the post as it changes (live updates) until the member starts typing in them.
  const [dirty, setDirty] = useState(false);
  useEffect(() => setDirty(false), [id]);
  useEffect(() => {
    let live = true;
    api.post(id).then(
      (p) => {
        if (!live) return;
        setPost(p);
        if (!dirty) {
          setContent(p.content ?? '');
          setHashtags(p.hashtags.join(' '));
          setWhen(toInput(p.scheduledAt, zone));
        }
      },
      (e: Error) => live && setMessage({ kind: 'error', text: e.message }),
    );
    return () => {
      live = false;
    };
  }, [id, version, zone, dirty]);

  // Keyboard users land in the panel when it opens, and Escape closes it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id, post === undefined]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);

  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await run();
      setDirty(false);
      setMessage({ kind: 'ok', text: `${what}.` });
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  if (!post) {
    return (
      <aside className="panel" role="dialog" aria-label="Post">
        <button className="close" onClick={onClose} aria-label="Close">
          ×
        </button>
        {message ? <p className="error">{message.text}</p> : <p>Loading…</p>}
      </aside>
    );
  }

  const open = post.status === 'draft' || post.status === 'scheduled';
  const editable = open && post.canChange;
  const advice = adviceFor(post);
  return (
    <aside className="panel" role="dialog" aria-label="Post" data-testid="post-panel">
      <button className="close" onClick={onClose} aria-label="Close" data-testid="panel-close">
        ×
      </button>
      <h2 ref={heading} tabIndex={-1}>
        {post.topic ?? 'Post'} <StatusBadge status={post.status} />
      </h2>
      <p className="muted">
        {formatWhen(post.scheduledAt, zone)} ({zone}) · to {post.targets.map(targetLabel).join(', ')} · {post.mine ? 'yours' : `by ${post.authorId}`}
      </p>
      {!post.canChange && open && <p className="note">Only its author or an admin can change this post.</p>}
      {post.reason && (
        <p className={post.status === 'failed' ? 'error' : 'note'} data-testid="post-reason">
          {post.reason}
        </p>
      )}
      {advice && (
        <p className="advice" data-testid="post-advice">
          {advice.text}{' '}
          {advice.action && (
            <button
              className="link"
              onClick={() => {
                onClose();
                go(advice.action!);
              }}
            >
              {advice.action === 'credits' ? 'Buy credits' : 'Write it again'}
            </button>
          )}
        </p>
      )}

      <label>
        Text
        <textarea
          value={content}
          onChange={(e) => {
            setDirty(true);
            setContent(e.target.value);
          }}
          disabled={!editable || busy}
          rows={8}
          data-testid="edit-content"
        />
      </label>
      <label>
        Hashtags
        <input
          value={hashtags}
          onChange={(e) => {
            setDirty(true);
            setHashtags(e.target.value);
          }}
          disabled={!editable || busy}
          placeholder="remotework product"
          data-testid="edit-hashtags"
        />
      </label>
      {editable && (
        <button
          disabled={busy}
          data-testid="save-text"
          onClick={() =>
            void act('Saved', () =>
              api.patch(post.id, {
                content: content.trim(),
                hashtags: hashtags
                  .split(/[\s,]+/)
                  .filter(Boolean)
                  .map((h) => h.replace(/^#/, '')),
              }),
            )
          }
        >
          Save text
        </button>
      )}

      <label>
        Publish at ({zone})
        <input
          type="datetime-local"
          value={when}
          onChange={(e) => {
            setDirty(true);
            setWhen(e.target.value);
          }}
          disabled={!editable || busy}
          data-testid="edit-when"
        />
      </label>
      {editable && (
        <button
          disabled={busy || !when}
          data-testid="save-when"
          onClick={() => {
            const at = fromInput(when, zone);
            if (at) void act('Rescheduled', () => api.patch(post.id, { scheduledAt: at }));
          }}
        >
          Reschedule
        </button>
      )}

      <div className="actions">
        {post.status === 'draft' && post.canChange && (
          <>
            <button disabled={busy} onClick={() => void act('Approved', () => api.approve(post.id))} data-testid="approve">
              Approve
            </button>
            <button disabled={busy} onClick={() => void act('Rewriting', () => api.regenerate(post.id))} data-testid="regenerate">
              Regenerate
            </button>
          </>
        )}
        {editable && (
          <button
            className="danger"
            disabled={busy}
            onClick={() => void act('Canceled; its credit was refunded', () => api.cancel(post.id))}
            data-testid="panel-cancel"
          >
            Cancel post
          </button>
        )}
      </div>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="panel-message">
          {message.text}
        </p>
      )}

      <h3>History</h3>
      <ol className="history" data-testid="post-history">
        {(post.history ?? []).map((h, i) => (
          <li key={i}>
            <time>{formatWhen(h.at, zone)}</time> <StatusBadge status={h.status} /> {h.event}
            {h.detail ? ` — ${h.detail}` : ''}
          </li>
        ))}
      </ol>
    </aside>
  );
}
