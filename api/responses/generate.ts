// The server-sent events of /v1/generate/stream and /app/api/generate/stream (api/routes/generate.ts
// sendDraftStream): each event's `data:` is one JSON value of the schema named for its `event:`.
import { z } from 'zod';
import { GeneratorSchema } from './posts';
import { named } from './registry';

export const DraftChargedEventSchema = named(
  'DraftChargedEvent',
  z.object({
    type: z.literal('charged'),
    balance: z.number().int().describe('Credits left after this draft'),
    draftId: z.string().describe('Send as draftId with the post made from this draft: the draft’s credit pays for it'),
  }),
);
export const DraftDeltaEventSchema = named('DraftDeltaEvent', z.object({ text: z.string().describe('The next piece of the draft') }));
export const DraftDoneEventSchema = named(
  'DraftDoneEvent',
  z.object({ content: z.string(), hashtags: z.array(z.string()), bestTime: z.string(), generator: GeneratorSchema }),
);
export const DraftErrorEventSchema = named(
  'DraftErrorEvent',
  z.object({ message: z.string(), refunded: z.literal(true).describe('The draft’s credit went back') }),
);

/** `event:` name → the schema of its data, in the order they come: charged, delta…, done | error. */
export const DRAFT_STREAM_EVENTS = {
  charged: DraftChargedEventSchema,
  delta: DraftDeltaEventSchema,
  done: DraftDoneEventSchema,
  error: DraftErrorEventSchema,
} as const;
