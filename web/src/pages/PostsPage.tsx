// Every post of the account: filter by status and target, search the text, and act on a row.
import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { adviceFor } from '../advice';
import { api, STATUSES, TARGET_KINDS, type Post } from '../api';
import { StatusBadge, targetLabel } from '../bits';
import { formatWhen } from '../time';

export function PostsPage({ me, version, openPost, changed, go }: PageProps) {
  const [status, setStatus] = useState('');
  const [target, setTarget] = useState('');
  const [q, setQ] = useState('');
  const [posts, setPosts] = useState<Post[] | undefined>();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    // Typing in the search box waits for a pause before asking the server.
    const t = setTimeout(() => {
      api.posts({ status, target, q }).then(
        (p) => live && setPosts(p),
        (e: Error) => live && setMessage({ kind: 'error', text: e.message }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [status, target, q, version]);

  const act = async (what: string, run: () => Promise<unknown>) => {
    setMessage(undefined);
    try {
      await run();
      setMessage({ kind: 'ok', text: what });
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  };

  return (
    <section>
      <h1>Posts</h1>
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="filter-target">
            <option value="">all</option>
            {TARGET_KINDS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Search
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="words in the topic, text or hashtags"
            data-testid="filter-search"
          />
        </label>
      </div>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="posts-message">
          {message.text}
        </p>
      )}
      {!posts ? (
        <p>Loading…</p>
      ) : posts.length === 0 ? (
        <p className="muted" data-testid="posts-empty">
          No posts match.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="posts" data-testid="posts-table">
            <thead>
              <tr>
                <th>When ({me.timeZone})</th>
                <th>Status</th>
                <th>Post</th>
                <th>Targets</th>
                <th>Author</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {posts.map((p) => {
                const open = p.status === 'draft' || p.status === 'scheduled';
                const advice = adviceFor(p);
                return (
                  <tr key={p.id} data-testid={`row-${p.id}`} data-status={p.status}>
                    <td data-label="When">{formatWhen(p.scheduledAt, me.timeZone)}</td>
                    <td data-label="Status">
                      <StatusBadge status={p.status} />
                    </td>
                    <td data-label="Post" className="text">
                      <strong>{p.topic ?? ''}</strong> {(p.content ?? '').slice(0, 140)}
                      {p.status === 'failed' && (
                        <div className="error small">
                          {p.reason ?? 'It could not be published.'} {advice && <em>{advice.text}</em>}{' '}
                          {advice?.action && (
                            <button className="link" onClick={() => go(advice.action!)}>
                              {advice.action === 'credits' ? 'Buy credits' : 'Write it again'}
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                    <td data-label="Targets">{p.targets.map(targetLabel).join(', ')}</td>
                    <td data-label="Author">{p.mine ? 'you' : p.authorId}</td>
                    <td data-label="Actions" className="row-actions">
                      <button onClick={() => openPost(p.id)} data-testid={`open-${p.id}`}>
                        {open && p.canChange ? 'Edit' : 'Open'}
                      </button>
                      {p.status === 'draft' && p.canChange && (
                        <>
                          <button onClick={() => void act('Approved.', () => api.approve(p.id))} data-testid={`approve-${p.id}`}>
                            Approve
                          </button>
                          <button onClick={() => void act('Rewriting the draft…', () => api.regenerate(p.id))} data-testid={`regenerate-${p.id}`}>
                            Regenerate
                          </button>
                        </>
                      )}
                      {open &&
                        p.canChange &&
                        (confirming === p.id ? (
                          <button
                            className="danger"
                            data-testid={`confirm-cancel-${p.id}`}
                            onClick={() => {
                              setConfirming(undefined);
                              void act('Canceled; its credit was refunded.', () => api.cancel(p.id));
                            }}
                          >
                            Really cancel?
                          </button>
                        ) : (
                          <button className="danger" onClick={() => setConfirming(p.id)} data-testid={`cancel-${p.id}`}>
                            Cancel
                          </button>
                        ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
