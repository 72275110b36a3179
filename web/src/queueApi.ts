// The dashboard's calls for the Schedule and Series pages (/app/api/queue/*, /app/api/series/*).
import type { components } from './api.gen';
import { call, type Target } from './api';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

// What the API answers, generated from its OpenAPI document (npm run gen:api).
type Schemas = components['schemas'];
export type SlotRule = Schemas['SlotRule'];
export type PostingSchedule = Schemas['PostingSchedule'];
export type Recurrence = Schemas['Recurrence'];
export type Series = Schemas['Series'];

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
  next: (count = 5) => call<Schemas['NextSlots']>('GET', `/queue/next?count=${count}`),
  series: () => call<Schemas['SeriesList']>('GET', '/series').then((r) => r.series),
  createSeries: (body: NewSeries) => call<Series>('POST', '/series', body),
  pause: (id: string) => call<Series>('POST', `/series/${id}/pause`),
  resume: (id: string) => call<Series>('POST', `/series/${id}/resume`),
  run: (id: string) => call<Series>('POST', `/series/${id}/run`),
  remove: (id: string) => call<void>('DELETE', `/series/${id}`),
};
