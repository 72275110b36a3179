// Series: recurring AI posts ("every Monday at 09:00, write about our engineering culture") with
// their next runs; pause, resume, run now, delete; and a short form to start a weekly one. Each
// occurrence is an ordinary post (charged like any other), so it shows in the calendar and posts.
import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { ApiError, type Target } from '../api';
import { targetLabel } from '../bits';
import { queueApi, WEEKDAYS, type Recurrence, type Series, type Weekday } from '../queueApi';
import { formatWhen } from '../time';

const TONES = ['professional', 'friendly', 'bold', 'witty', 'informative', 'inspiring'];
const DAY_SHORT: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function describeRecurrence(r: Recurrence, zone: string): string {
  switch (r.kind) {
    case 'weekly':
      return `Every ${r.days.map((d) => DAY_SHORT[d]).join(', ')} at ${r.time} (${zone})`;
    case 'cron':
      return `Cron “${r.expression}” (${zone})`;
    case 'interval':
      return `Every ${r.every}`;
  }
}

type Message = { kind: 'ok' | 'error'; text: string };

export function SeriesPage({ me, version, changed, openPost }: PageProps) {
  const [list, setList] = useState<Series[] | undefined>();
  const [message, setMessage] = useState<Message | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<{ id: string; what: 'run' | 'delete' } | undefined>();

  useEffect(() => {
    let live = true;
    queueApi.series().then(
      (s) => live && setList(s),
      (e: Error) => live && setMessage({ kind: 'error', text: e.message }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const act = async (s: Series, what: 'pause' | 'resume' | 'run' | 'delete') => {
    setBusy(s.id);
    setMessage(undefined);
    setConfirming(undefined);
    try {
      if (what === 'delete') {
        await queueApi.remove(s.id);
        setList((l) => l?.filter((x) => x.id !== s.id));
        setMessage({ kind: 'ok', text: `Deleted “${s.name}”. Posts it already started stay.` });
      } else {
        const out = await queueApi[what](s.id);
        setList((l) => l?.map((x) => (x.id === s.id ? out : x)));
        const done = { pause: 'Paused', resume: 'Resumed', run: 'Started an occurrence of' }[what];
        setMessage({ kind: 'ok', text: `${done} “${s.name}”.${what === 'run' ? ' Its post shows in the calendar once written.' : ''}` });
      }
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="series-page">
      <h1>Series</h1>
      <p className="muted">
        A series writes a fresh post on its theme at every occurrence; each is an ordinary post, charged one credit. With approval on, each draft waits for you
        (here, in Slack or in Discord) and expires with a refund.
      </p>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="series-message">
          {message.text}
        </p>
      )}
      {!list ? (
        !message && <p>Loading…</p>
      ) : list.length === 0 ? (
        <p className="note" data-testid="series-none">
          No series yet. Start one below, or with <code>/postforge series …</code> in Slack or <code>/series</code> in Discord.
        </p>
      ) : (
        <div className="cards series-list">
          {list.map((s) => (
            <article className="card series" key={s.id} data-testid={`series-${s.id}`} data-paused={s.paused}>
              <strong>{s.name}</strong>
              <span>{describeRecurrence(s.recurrence, s.timeZone)}</span>
              <span className="muted small">
                {s.tone} · {s.targets.map(targetLabel).join(', ')} · {s.requireApproval ? 'approve each draft' : 'publishes on its own'}
              </span>
              {s.paused ? (
                <span className="badge st-canceled" data-testid="series-paused">
                  paused{s.pausedReason ? `: ${s.pausedReason}` : ''}
                </span>
              ) : (
                <div>
                  <span className="muted small">Next runs ({me.timeZone})</span>
                  <ul className="next" data-testid="series-next">
                    {s.nextRuns.slice(0, 3).map((at) => (
                      <li key={at}>{formatWhen(at, me.timeZone)}</li>
                    ))}
                  </ul>
                </div>
              )}
              {s.recentPosts.length > 0 && (
                <span className="small">
                  Recent:{' '}
                  {s.recentPosts.map((p) => (
                    <button key={p.postId} className="link" onClick={() => openPost(p.postId)}>
                      {formatWhen(p.at, me.timeZone)}
                    </button>
                  ))}
                </span>
              )}
              <div className="row-actions">
                {s.paused ? (
                  <button disabled={busy === s.id} onClick={() => void act(s, 'resume')} data-testid={`resume-${s.id}`}>
                    Resume
                  </button>
                ) : (
                  <button disabled={busy === s.id} onClick={() => void act(s, 'pause')} data-testid={`pause-${s.id}`}>
                    Pause
                  </button>
                )}
                {confirming?.id === s.id ? (
                  <>
                    <span className="small">{confirming.what === 'run' ? 'Write a post now (1 credit)?' : 'Delete this series?'}</span>
                    <button
                      className={confirming.what === 'delete' ? 'danger' : ''}
                      disabled={busy === s.id}
                      onClick={() => void act(s, confirming.what)}
                      data-testid={`confirm-${confirming.what}-${s.id}`}
                    >
                      Yes
                    </button>
                    <button className="link" onClick={() => setConfirming(undefined)}>
                      No
                    </button>
                  </>
                ) : (
                  <>
                    <button disabled={busy === s.id} onClick={() => setConfirming({ id: s.id, what: 'run' })} data-testid={`run-${s.id}`}>
                      Run now
                    </button>
                    <button disabled={busy === s.id} onClick={() => setConfirming({ id: s.id, what: 'delete' })} data-testid={`delete-${s.id}`}>
                      Delete
                    </button>
                  </>
                )}
              </div>
            </article>
          ))}
        </div>
      )}
      <NewSeriesForm
        onCreated={(s) => {
          setList((l) => [...(l ?? []), s]);
          setMessage({ kind: 'ok', text: `Created “${s.name}”.` });
          changed();
        }}
      />
    </section>
  );
}

function NewSeriesForm({ onCreated }: { onCreated: (s: Series) => void }) {
  const [theme, setTheme] = useState('');
  const [tone, setTone] = useState('professional');
  const [days, setDays] = useState<Weekday[]>(['mon']);
  const [time, setTime] = useState('09:00');
  const [linkedin, setLinkedin] = useState(true);
  const [webhook, setWebhook] = useState('');
  const [approval, setApproval] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; issues: { path: string; message: string }[] } | undefined>();

  const create = async () => {
    const targets: Target[] = [
      ...(linkedin ? [{ kind: 'linkedin' as const }] : []),
      ...(webhook.trim() ? [{ kind: 'webhook' as const, url: webhook.trim() }] : []),
    ];
    setBusy(true);
    setError(undefined);
    try {
      const s = await queueApi.createSeries({
        theme,
        tone,
        targets,
        recurrence: { kind: 'weekly', days: WEEKDAYS.filter((d) => days.includes(d)), time },
        timeZone: browserZone(),
        requireApproval: approval,
      });
      setTheme('');
      onCreated(s);
    } catch (e) {
      setError({ text: (e as Error).message, issues: e instanceof ApiError ? e.issues : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card new-series"
      data-testid="new-series"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <h2>New weekly series</h2>
      <label>
        Theme
        <input value={theme} onChange={(e) => setTheme(e.target.value)} placeholder="Our engineering culture" data-testid="series-theme" />
      </label>
      <label>
        Tone{' '}
        <select value={tone} onChange={(e) => setTone(e.target.value)}>
          {TONES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Days</legend>
        {WEEKDAYS.map((d) => (
          <label key={d} className="inline">
            <input
              type="checkbox"
              checked={days.includes(d)}
              onChange={(e) => setDays((ds) => (e.target.checked ? [...ds, d] : ds.filter((x) => x !== d)))}
              data-testid={`series-day-${d}`}
            />
            {DAY_SHORT[d]}
          </label>
        ))}
      </fieldset>
      <label>
        At ({browserZone()}) <input type="time" value={time} onChange={(e) => setTime(e.target.value)} data-testid="series-time" />
      </label>
      <label className="inline">
        <input type="checkbox" checked={linkedin} onChange={(e) => setLinkedin(e.target.checked)} data-testid="series-linkedin" /> LinkedIn
      </label>
      <label>
        Webhook URL (optional)
        <input value={webhook} onChange={(e) => setWebhook(e.target.value)} placeholder="https://example.com/hooks/posts" data-testid="series-webhook" />
      </label>
      <label className="inline">
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.target.checked)} data-testid="series-approval" /> Approve each draft before it
        goes out
      </label>
      <p className="muted small">Approval of a web-made series’ drafts happens here in the dashboard (Posts); series started in Slack bring drafts to Slack.</p>
      <button type="submit" disabled={busy} data-testid="series-create">
        {busy ? 'Creating…' : 'Create series'}
      </button>
      {error && (
        <div className="error" role="status" data-testid="series-error">
          <p>Not created: {error.text}</p>
          {error.issues.length > 1 && (
            <ul>
              {error.issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <code>{i.path}</code>: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
