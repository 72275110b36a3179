// What "Add to queue" needs to know, as the service worker hands it to the UI. Kept in one place
// so it can switch to the types generated from the OpenAPI document (GET /v1/queue/next).

/** GET /v1/queue/next's answer. */
export interface NextSlots {
  timeZone: string;
  slots: string[];
}

/** The account's queue as the schedule picker shows it: no schedule yet, or its next free slot (null: none free). */
export type QueueStatus = { hasSchedule: false } | { hasSchedule: true; timeZone: string; next: string | null };
