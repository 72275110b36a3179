// The account at a glance: posts by status, what goes out next, credits, how publishing goes.
import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { api, STATUSES, type Overview } from '../api';
import { StatusBadge } from '../bits';
import { formatWhen } from '../time';

export function OverviewPage({ me, version, openPost, go }: PageProps) {
  const [o, setO] = useState<Overview | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.overview().then(setO, (e: Error) => setError(e.message));
  }, [version]);
  if (error) return <p className="error">{error}</p>;
  if (!o) return <p>Loading…</p>;
  return (
    <section>
      <h1>Overview</h1>
      <div className="cards">
        <div className="card" data-testid="card-credits">
          <span className="big">{o.credits}</span> credits left
          <button className="link" onClick={() => go('credits')}>
            Buy more
          </button>
        </div>
        <div className="card" data-testid="card-success">
          <span className="big">{o.successRate === null ? '—' : `${Math.round(o.successRate * 100)}%`}</span> published successfully
        </div>
        {STATUSES.map((s) => (
          <div className="card" key={s} data-testid={`count-${s}`}>
            <span className="big">{o.counts[s]}</span> <StatusBadge status={s} />
          </div>
        ))}
      </div>
      <h2>Next posts</h2>
      {o.next.length === 0 ? (
        <p className="muted">
          Nothing scheduled.{' '}
          <button className="link" onClick={() => go('compose')}>
            Write a post
          </button>
        </p>
      ) : (
        <ul className="next">
          {o.next.map((p) => (
            <li key={p.id}>
              <button className="link" onClick={() => openPost(p.id)}>
                {formatWhen(p.scheduledAt, me.timeZone)} — {(p.topic ?? p.content ?? 'Post').slice(0, 80)}
              </button>{' '}
              <StatusBadge status={p.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
