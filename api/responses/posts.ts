// What the API answers about posts (api/routes/posts.ts presentPost, the workflow's PostState).
import { z } from 'zod';
import { POST_STATUSES, TargetSchema } from '../../core/domain';
import { Instant, named } from './registry';

export const PostStatusSchema = named('PostStatus', z.enum(POST_STATUSES));
export const TargetResponseSchema = named('Target', TargetSchema);

export const GeneratorSchema = named(
  'Generator',
  z.discriminatedUnion('kind', [z.object({ kind: z.literal('claude'), model: z.string() }), z.object({ kind: z.literal('offline') })]),
);

export const TargetResultSchema = named(
  'TargetResult',
  z.object({
    key: z.string(),
    target: TargetResponseSchema,
    outcome: z.enum(['pending', 'published', 'failed', 'unconfirmed', 'paused']),
    externalId: z.string().optional(),
    url: z.string().optional(),
    error: z.string().optional(),
    at: Instant.optional(),
  }),
);

export const PostHistoryEntrySchema = named(
  'PostHistoryEntry',
  z.object({ at: Instant, status: PostStatusSchema, event: z.string(), detail: z.string().optional() }),
);

export const PostSchema = named(
  'Post',
  z.object({
    id: z.string(),
    status: PostStatusSchema,
    source: z.enum(['api', 'slack', 'discord', 'extension', 'web']),
    topic: z.string().optional(),
    content: z.string().optional(),
    hashtags: z.array(z.string()),
    bestTime: z.string().optional(),
    generator: GeneratorSchema.optional(),
    targets: z.array(TargetResponseSchema),
    scheduledAt: Instant,
    timeZone: z.string(),
    reason: z.string().optional(),
    results: z.array(TargetResultSchema),
    createdAt: Instant,
    updatedAt: Instant,
    history: z.array(PostHistoryEntrySchema).optional().describe('Only when reading one post'),
  }),
);

export const PostPageSchema = named(
  'PostPage',
  z.object({ posts: z.array(PostSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
);

export const PostCreatedSchema = named(
  'PostCreated',
  z.object({
    id: z.string(),
    scheduledAt: Instant,
    status: z.enum(['accepted', 'exists']).describe('exists: the same Idempotency-Key (or draftId) and body answered the post made before'),
    links: z.object({ self: z.string() }),
  }),
);

/** What the post workflow answers to a change (edit, reschedule, approve, cancel): its live state. */
export const PostStateSchema = named(
  'PostState',
  z.object({
    postId: z.string(),
    status: PostStatusSchema,
    content: z.string().optional(),
    hashtags: z.array(z.string()),
    scheduledAt: Instant,
    bestTime: z.string().optional(),
    generator: GeneratorSchema.optional(),
    reason: z.string().optional(),
    refunded: z.boolean().optional(),
    results: z.array(TargetResultSchema),
  }),
);
