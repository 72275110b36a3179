// What the API answers about the posting queue (services/queueSlots.ts presentSchedule, services/queue.ts).
import { z } from 'zod';
import { WEEKDAYS } from '../../core/time/slots';
import { PostStateSchema, TargetResponseSchema } from './posts';
import { Instant, named } from './registry';

export const SlotRuleSchema = named('SlotRule', z.object({ days: z.array(z.enum(WEEKDAYS)), times: z.array(z.string().describe('HH:MM')) }));

export const PostingScheduleResponseSchema = named(
  'PostingSchedule',
  z.object({
    timeZone: z.string(),
    slots: z.array(SlotRuleSchema),
    targets: z
      .array(z.object({ target: TargetResponseSchema, key: z.string(), slots: z.array(SlotRuleSchema) }))
      .optional()
      .describe('Targets with slots of their own'),
    updatedAt: Instant,
  }),
);

export const NextSlotsSchema = named('NextSlots', z.object({ timeZone: z.string(), slots: z.array(Instant) }));

export const QueuedPostCanceledSchema = named(
  'QueuedPostCanceled',
  z.object({
    state: PostStateSchema,
    moved: z.array(z.object({ postId: z.string(), from: Instant, to: Instant })).describe('Later posts moved one slot up (shiftUp=true), in order'),
  }),
);
