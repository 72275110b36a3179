// Schedule: the account's posting times ("add to queue" takes the next free one), one row per
// weekday, in a time zone (the browser's until one is saved), and the next free slots. The API
// checks the schedule; its problem+json reasons are shown as they come, field by field.
import { DateTime } from 'luxon';
import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { ApiError } from '../api';
import { queueApi, WEEKDAYS, type PostingSchedule, type SlotRule, type Weekday } from '../queueApi';
import { formatWhen } from '../time';

type ByDay = Record<Weekday, string[]>;
const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const emptyWeek = (): ByDay => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });

export function byDayOf(rules: SlotRule[]): ByDay {
  const week = emptyWeek();
  for (const r of rules) for (const d of r.days) week[d] = [...new Set([...week[d], ...r.times])].sort();
  return week;
}

/** One rule per set of days that share the same times (Mon–Fri 08:30 and 12:00 stays one rule). */
export function rulesOf(week: ByDay): SlotRule[] {
  const groups = new Map<string, SlotRule>();
  for (const d of WEEKDAYS) {
    if (!week[d].length) continue;
    const key = week[d].join(',');
    const g = groups.get(key);
    if (g) g.days.push(d);
    else groups.set(key, { days: [d], times: [...week[d]] });
  }
  return [...groups.values()];
}

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, browserZone(), ...all])].sort();
}

export function SchedulePage({ me, version }: PageProps) {
  const [saved, setSaved] = useState<PostingSchedule | null | undefined>();
  const [week, setWeek] = useState<ByDay>(emptyWeek);
  const [zone, setZone] = useState(browserZone);
  const [adding, setAdding] = useState<Record<Weekday, string>>(() => ({ mon: '', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '' }));
  const [next, setNext] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; issues?: { path: string; message: string }[] } | undefined>();
  const readOnly = me.account.kind !== 'person' && me.member.role !== 'admin';

  const loadNext = () =>
    queueApi.next(5).then(
      (n) => setNext(n.slots),
      () => setNext([]),
    );

  useEffect(() => {
    let live = true;
    queueApi.schedule().then(
      (s) => {
        if (!live) return;
        setSaved(s);
        setWeek(byDayOf(s.slots));
        setZone(s.timeZone);
        void loadNext();
      },
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) return setSaved(null);
        setMessage({ kind: 'error', text: (e as Error).message });
      },
    );
    return () => {
      live = false;
    };
    // Only on entering the page: a live refresh must not throw away unsaved edits.
  }, []);
  useEffect(() => {
    if (saved) void loadNext();
  }, [version, saved]);

  const addTime = (d: Weekday) => {
    const t = adding[d];
    if (!t) return;
    setWeek((w) => ({ ...w, [d]: [...new Set([...w[d], t])].sort() }));
    setAdding((a) => ({ ...a, [d]: '' }));
  };
  const removeTime = (d: Weekday, t: string) => setWeek((w) => ({ ...w, [d]: w[d].filter((x) => x !== t) }));

  const save = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const out = await queueApi.saveSchedule({
        timeZone: zone,
        slots: rulesOf(week),
        // Slots of single targets are set through the API; saving here keeps them.
        ...(saved?.targets?.length ? { targets: saved.targets.map((t) => ({ target: t.target, slots: t.slots })) } : {}),
      });
      setSaved(out);
      setWeek(byDayOf(out.slots));
      setMessage({ kind: 'ok', text: 'Saved. “Add to queue” now uses these times.' });
    } catch (e) {
      setMessage({ kind: 'error', text: `Not saved: ${(e as Error).message}`, ...(e instanceof ApiError ? { issues: e.issues } : {}) });
    } finally {
      setBusy(false);
    }
  };

  if (saved === undefined && !message) return <p>Loading…</p>;
  return (
    <section className="schedule-page">
      <h1>Posting schedule</h1>
      <p className="muted">
        Set your posting times once; “add to queue” (the extension, <code>/postforge write … when queue</code>, Discord’s <code>when</code>, or{' '}
        <code>when: "queue"</code> in the API) puts each post in the next free one.
      </p>
      {saved === null && (
        <p className="note" data-testid="schedule-none">
          No posting schedule yet: add times below and save.
        </p>
      )}
      {readOnly && (
        <p className="note" data-testid="schedule-readonly">
          Only an admin of this workspace can change its posting schedule (every member’s queue uses it).
        </p>
      )}
      <label className="zone">
        Time zone{' '}
        <select value={zone} onChange={(e) => setZone(e.target.value)} disabled={readOnly} data-testid="schedule-zone">
          {zones(zone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <div className="table-wrap">
        <table className="week" data-testid="schedule-week">
          <tbody>
            {WEEKDAYS.map((d) => (
              <tr key={d} data-testid={`day-${d}`}>
                <th>{DAY_NAMES[d]}</th>
                <td>
                  {week[d].length === 0 && <span className="muted">no posts</span>}
                  {week[d].map((t) => (
                    <span className="chip" key={t} data-testid={`slot-${d}-${t}`}>
                      {t}
                      {!readOnly && (
                        <button className="link" aria-label={`Remove ${DAY_NAMES[d]} ${t}`} onClick={() => removeTime(d, t)} data-testid={`remove-${d}-${t}`}>
                          ×
                        </button>
                      )}
                    </span>
                  ))}
                </td>
                {!readOnly && (
                  <td className="add">
                    <input
                      type="time"
                      aria-label={`New time on ${DAY_NAMES[d]}`}
                      value={adding[d]}
                      onChange={(e) => setAdding((a) => ({ ...a, [d]: e.target.value }))}
                      onKeyDown={(e) => e.key === 'Enter' && addTime(d)}
                      data-testid={`add-time-${d}`}
                    />
                    <button onClick={() => addTime(d)} disabled={!adding[d]} data-testid={`add-${d}`}>
                      Add
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {saved?.targets?.length ? (
        <p className="muted small">
          {saved.targets.length} target{saved.targets.length === 1 ? ' has' : 's have'} slots of its own ({saved.targets.map((t) => t.key).join(', ')}); set
          through the API and kept when you save here.
        </p>
      ) : null}
      {!readOnly && (
        <div className="actions">
          <button onClick={() => void save()} disabled={busy} data-testid="schedule-save">
            {busy ? 'Saving…' : 'Save schedule'}
          </button>
        </div>
      )}
      {message && (
        <div className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="schedule-message">
          <p>{message.text}</p>
          {message.issues && message.issues.length > 1 && (
            <ul>
              {message.issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  <code>{i.path || 'schedule'}</code>: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {saved && (
        <>
          <h2>Next free slots</h2>
          {next.length === 0 ? (
            <p className="muted">No free slot in the coming weeks.</p>
          ) : (
            <ol className="next" data-testid="next-slots">
              {next.map((at) => (
                <li key={at}>
                  {formatWhen(at, saved.timeZone)}
                  {saved.timeZone !== me.timeZone && (
                    <span className="muted"> ({DateTime.fromISO(at, { zone: me.timeZone }).toFormat('ccc HH:mm')} your time)</span>
                  )}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
