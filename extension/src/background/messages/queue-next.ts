// The next free slot of the account's queue, for the schedule picker's "Add to queue". Asked for a
// LinkedIn-only post (the extension's posts are), so a LinkedIn lane of its own is honoured.
import { apiHandler } from '~lib/handler';
import { ApiError } from '~lib/problems';
import type { QueueStatus } from '~lib/queueTypes';

export default apiHandler(async (api): Promise<QueueStatus> => {
  try {
    const { timeZone, slots } = await api.queueNext();
    return { hasSchedule: true, timeZone, next: slots[0] ?? null };
  } catch (err) {
    // The only conflict GET /v1/queue/next answers: the account has no posting schedule yet.
    if (err instanceof ApiError && err.status === 409) return { hasSchedule: false };
    throw err;
  }
});
