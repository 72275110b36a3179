import { useEffect, useState } from 'react';
import { bg } from '~lib/bg';
import type { QueueStatus } from '~lib/queueTypes';
import { formatSlot } from '~lib/time';
import type { Problem } from '~lib/types';
import { ErrorNote } from './ErrorNote';

/**
 * "Add to queue" in the schedule picker: the next free slot of the account's posting schedule, in
 * the browser's zone. Without a schedule there is no queue: it says so and opens the dashboard's
 * Schedule page instead of offering the option. `refresh` changes to ask again (after a refusal,
 * whose reason may be that the queue changed).
 */
export function QueueOption({ busy, onQueue, refresh }: { busy: boolean; onQueue: () => void; refresh: number }) {
  const [status, setStatus] = useState<QueueStatus | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    let live = true;
    setProblem(null);
    void bg.queueNext().then((r) => {
      if (!live) return;
      if (r.ok) setStatus(r.data);
      else setProblem(r.error);
    });
    return () => {
      live = false;
    };
  }, [refresh]);

  const setUp = (
    <button className="pf-btn small secondary" data-testid="pf-queue-setup" onClick={() => void bg.openDashboard({ page: 'schedule' })}>
      Set posting times in the dashboard
    </button>
  );

  if (problem) return <ErrorNote problem={problem} />;
  if (!status)
    return (
      <div className="pf-muted" data-testid="pf-queue-loading">
        Checking your queue…
      </div>
    );
  if (!status.hasSchedule) {
    return (
      <div className="pf-queue" data-testid="pf-queue-none">
        <div className="pf-muted">
          No posting schedule yet, so there is no queue to add to. Set your weekly posting times once (dashboard → Schedule, or{' '}
          <code>/postforge queue settings</code> in Slack), then “Add to queue” takes the next free one.
        </div>
        <div className="pf-actions">{setUp}</div>
      </div>
    );
  }
  if (!status.next) {
    return (
      <div className="pf-queue" data-testid="pf-queue-full">
        <div className="pf-muted">Your queue has no free slot in the coming weeks. Add posting times, or pick a time below.</div>
        <div className="pf-actions">{setUp}</div>
      </div>
    );
  }
  return (
    <div className="pf-queue">
      <div className="pf-actions">
        <button className="pf-btn" data-testid="pf-queue" disabled={busy} onClick={onQueue}>
          {busy ? 'Saving…' : 'Add to queue'}
        </button>
        <span className="pf-reason" data-testid="pf-queue-next">
          Next free slot: {formatSlot(status.next)}
        </span>
      </div>
    </div>
  );
}
