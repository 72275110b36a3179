// The shapes a client sends to create and change posts. The API validates with these and the
// OpenAPI document is generated from them.
import { z } from 'zod';
import { LanguageSchema, TargetSchema, ToneSchema } from '../core/domain';

export const HashtagSchema = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}_]{1,60}$/u, 'a hashtag is letters, digits or underscores, like "remotework"')
  .transform((h) => h.replace(/^#/, ''));

export const CreatePostSchema = z
  .object({
    topic: z.string().trim().min(3, 'topic needs at least 3 characters').max(500, 'topic is at most 500 characters').optional(),
    text: z.string().trim().min(1, 'text cannot be empty').max(10_000, 'text is at most 10,000 characters').optional(),
    tone: ToneSchema.default('professional'),
    language: LanguageSchema.default('en'),
    instructions: z.string().trim().max(1000, 'instructions are at most 1,000 characters').optional(),
    hashtags: z.array(HashtagSchema).max(10, 'at most 10 hashtags').optional(),
    targets: z.array(TargetSchema).min(1, 'give at least one target, e.g. [{"kind":"linkedin"}]').max(5, 'at most 5 targets'),
    scheduledAt: z.iso.datetime({ offset: true, error: 'scheduledAt must be an ISO-8601 date-time like 2026-12-01T09:00:00Z' }).optional(),
    when: z
      .string()
      .trim()
      .min(1)
      .max(100, 'when is at most 100 characters')
      .describe('"tomorrow 9am", "in 2 hours", "2026-12-01 09:00" in timeZone, or "queue": the next free slot of the posting schedule')
      .optional(),
    timeZone: z.string().trim().min(1).max(64).default('UTC'),
    requireApproval: z.boolean().default(false),
    notifyUrl: z.url({ protocol: /^https?$/, error: 'notifyUrl must be an http(s) URL' }).optional(),
    /** The id from /v1/generate/stream's "charged" event: the draft's credit pays for this post. */
    draftId: z.uuid('draftId is the id from the "charged" event of POST /v1/generate/stream').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.draftId !== undefined && v.text === undefined) {
      ctx.addIssue({ code: 'custom', path: ['draftId'], message: 'draftId goes with text (the draft, as edited), not with a topic' });
    }
    if ((v.topic === undefined) === (v.text === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['topic'], message: 'give either a topic (PostForge writes the post) or text (your own words), not both' });
    }
    if (v.scheduledAt !== undefined && v.when !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['when'], message: 'give either scheduledAt (ISO) or when ("tomorrow 9am"), not both' });
    }
  });
export type CreatePostBody = z.infer<typeof CreatePostSchema>;

export const PatchPostSchema = z
  .object({
    content: z.string().trim().min(1, 'content cannot be empty').max(10_000).optional(),
    hashtags: z.array(HashtagSchema).max(10).optional(),
    scheduledAt: z.iso.datetime({ offset: true, error: 'scheduledAt must be an ISO-8601 date-time like 2026-12-01T09:00:00Z' }).optional(),
    when: z.string().trim().min(1).max(100).optional(),
    timeZone: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((v) => v.content !== undefined || v.hashtags !== undefined || v.scheduledAt !== undefined || v.when !== undefined, {
    message: 'nothing to change: send content, hashtags, scheduledAt or when',
  });
export type PatchPostBody = z.infer<typeof PatchPostSchema>;
