import { useState } from 'react';
import { browserTimeZone, fromInputs, suggestedTime, toInputs } from '~lib/time';
import { QueueOption } from './QueueOption';

/**
 * Date and time in the browser's zone; hands back the instant, or nothing when it is not valid.
 * With `onQueue`, "Add to queue" (the next free slot of the posting schedule) comes first;
 * `queueRefresh` changing asks for that slot again.
 */
export function SchedulePicker({
  initial,
  busy,
  label,
  onPick,
  onQueue,
  queueRefresh = 0,
  onCancel,
}: {
  initial?: Date;
  busy: boolean;
  label: string;
  onPick: (at: Date) => void;
  onQueue?: () => void;
  queueRefresh?: number;
  onCancel: () => void;
}) {
  const start = toInputs(initial ?? suggestedTime());
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const at = fromInputs(date, time);
  const past = at !== null && at.getTime() < Date.now();
  return (
    <div className="pf-schedule">
      {onQueue && (
        <>
          <QueueOption busy={busy} onQueue={onQueue} refresh={queueRefresh} />
          <div className="pf-muted pf-or">or pick a time:</div>
        </>
      )}
      <div className="pf-row">
        <div>
          <label>Date</label>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="pf-date" />
        </div>
        <div>
          <label>Time ({browserTimeZone()})</label>
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} data-testid="pf-time" />
        </div>
      </div>
      {past && <div className="pf-muted">That time has passed; pick a later one.</div>}
      <div className="pf-actions">
        <button className="pf-btn" disabled={!at || past || busy} onClick={() => at && onPick(at)}>
          {busy ? 'Saving…' : label}
        </button>
        <button className="pf-btn secondary" onClick={onCancel} disabled={busy}>
          Back
        </button>
      </div>
    </div>
  );
}
