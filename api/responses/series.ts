// What the API answers about series (services/series.ts SeriesView).
import { z } from 'zod';
import { TONES } from '../../core/domain';
import { WEEKDAYS } from '../../core/time/slots';
import { TargetResponseSchema } from './posts';
import { Instant, named } from './registry';

export const RecurrenceResponseSchema = named(
  'Recurrence',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('weekly'), days: z.array(z.enum(WEEKDAYS)), time: z.string().describe('HH:MM') }),
    z.object({ kind: z.literal('cron'), expression: z.string() }),
    z.object({ kind: z.literal('interval'), every: z.string() }),
  ]),
);

export const SeriesSchema = named(
  'Series',
  z.object({
    id: z.string(),
    name: z.string(),
    theme: z.string(),
    tone: z.enum(TONES),
    language: z.string(),
    instructions: z.string().optional(),
    targets: z.array(TargetResponseSchema),
    recurrence: RecurrenceResponseSchema,
    timeZone: z.string(),
    requireApproval: z.boolean(),
    paused: z.boolean(),
    pausedReason: z.string().optional(),
    nextRuns: z.array(Instant).describe('Up to 5; empty while paused'),
    recentPosts: z.array(z.object({ postId: z.string(), at: Instant })),
    createdAt: Instant,
  }),
);

export const SeriesListSchema = named('SeriesList', z.object({ series: z.array(SeriesSchema) }));
