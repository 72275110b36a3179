// What "Add to queue" needs to know, as the service worker hands it to the UI (built from
// GET /v1/queue/next, whose answer type is generated: components['schemas']['NextSlots']).

/** The account's queue as the schedule picker shows it: no schedule yet, or its next free slot (null: none free). */
export type QueueStatus = { hasSchedule: false } | { hasSchedule: true; timeZone: string; next: string | null };
