// The dashboard's calls for the Schedule and Series pages (/app/api/queue/*, /app/api/series/*)
// and the shapes they answer. Kept together here so they can switch to the types generated from
// the OpenAPI document in one place.
import { call, type Target } from './api';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SlotRule {
  days: Weekday[];
  times: string[];
}

export interface PostingSchedule {
  timeZone: string;
  slots: SlotRule[];
  /** Targets with slots of their own (set through the API); kept as they are when the page saves. */
  targets?: { target: Target; key: string; slots: SlotRule[] }[];
  updatedAt: string;
}

export type Recurrence = { kind: 'weekly'; days: Weekday[]; time: string } | { kind: 'cron'; expression: string } | { kind: 'interval'; every: string };

export interface Series {
  id: string;
  name: string;
  theme: string;
  tone: string;
  language: string;
  instructions?: string;
  targets: Target[];
  recurrence: Recurrence;
  timeZone: string;
  requireApproval: boolean;
  paused: boolean;
  pausedReason?: string;
  nextRuns: string[];
  recentPosts: { postId: string; at: string }[];
  createdAt: string;
}

export interface NewSeries {
  theme: string;
  tone: string;
  targets: Target[];
  recurrence: Recurrence;
  timeZone: string;
  requireApproval: boolean;
}

export const queueApi = {
  schedule: () => call<PostingSchedule>('GET', '/queue/schedule'),
  saveSchedule: (body: { timeZone: string; slots: SlotRule[]; targets?: { target: Target; slots: SlotRule[] }[] }) =>
    call<PostingSchedule>('PUT', '/queue/schedule', body),
  next: (count = 5) => call<{ timeZone: string; slots: string[] }>('GET', `/queue/next?count=${count}`),
  series: () => call<{ series: Series[] }>('GET', '/series').then((r) => r.series),
  createSeries: (body: NewSeries) => call<Series>('POST', '/series', body),
  pause: (id: string) => call<Series>('POST', `/series/${id}/pause`),
  resume: (id: string) => call<Series>('POST', `/series/${id}/resume`),
  run: (id: string) => call<Series>('POST', `/series/${id}/run`),
  remove: (id: string) => call<void>('DELETE', `/series/${id}`),
};
