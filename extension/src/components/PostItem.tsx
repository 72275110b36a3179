import { useState } from 'react';
import { bg } from '~lib/bg';
import { browserTimeZone, formatWhen } from '~lib/time';
import type { Post, PostChange, Problem, Result } from '~lib/types';
import { SchedulePicker } from './SchedulePicker';

const CHANGEABLE = new Set(['generating', 'draft', 'scheduled']);

export function PostItem({ post, onChanged, onError }: { post: Post; onChanged: (change: PostChange) => void; onError: (p: Problem) => void }) {
  const [rescheduling, setRescheduling] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (run: () => Promise<Result<PostChange>>) => {
    setBusy(true);
    const r = await run();
    setBusy(false);
    if (!r.ok) return onError(r.error);
    setRescheduling(false);
    onChanged(r.data);
  };
  const text = (post.content ?? post.topic ?? '').replace(/\s+/g, ' ');
  return (
    <li data-testid="pf-post" data-post-id={post.id} data-status={post.status}>
      <div>
        <span className={`pf-status ${post.status}`}>{post.status}</span>
        <span className="pf-muted">
          {formatWhen(post.scheduledAt)} · {post.targets.map((t) => t.kind).join(', ')}
        </span>
      </div>
      <div title={text}>{text.length > 110 ? `${text.slice(0, 110)}…` : text}</div>
      {post.reason && <div className="pf-muted">{post.reason}</div>}
      {CHANGEABLE.has(post.status) && !rescheduling && (
        <div className="pf-actions">
          <button className="pf-btn small secondary" disabled={busy} onClick={() => setRescheduling(true)}>
            Reschedule
          </button>
          <button
            className="pf-btn small danger"
            disabled={busy}
            onClick={() =>
              act(async () => {
                // The API answers with the state from just before the cancel lands; accepted means canceled.
                const r = await bg.cancelPost({ id: post.id });
                return r.ok ? { ok: true, data: { ...r.data, status: 'canceled' } } : r;
              })
            }
          >
            Cancel
          </button>
        </div>
      )}
      {rescheduling && (
        <SchedulePicker
          initial={new Date(post.scheduledAt)}
          busy={busy}
          label="Save time"
          onPick={(at) => act(() => bg.reschedulePost({ id: post.id, scheduledAt: at.toISOString(), timeZone: browserTimeZone() }))}
          onCancel={() => setRescheduling(false)}
        />
      )}
    </li>
  );
}
