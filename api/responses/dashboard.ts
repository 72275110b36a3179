// What the web dashboard's own API (/app/api, api/routes/dashboard.ts) answers.
import { z } from 'zod';
import { POST_STATUSES } from '../../core/domain';
import { MeSchema, TransactionSchema } from './credits';
import { PostSchema, PostStatusSchema } from './posts';
import { Instant, named } from './registry';

export const DashboardSessionSchema = named(
  'DashboardSession',
  MeSchema.extend({ timeZone: z.string().describe('For the calendar'), sessionExpiresAt: Instant }),
);

export const DashboardPostSchema = named(
  'DashboardPost',
  PostSchema.extend({
    authorId: z.string(),
    mine: z.boolean().describe('Written by the signed-in member'),
    canChange: z.boolean().describe('Its author, or an admin'),
  }),
);

export const DashboardPostListSchema = named('DashboardPostList', z.object({ posts: z.array(DashboardPostSchema) }));

export const DashboardPostCreatedSchema = named('DashboardPostCreated', z.object({ id: z.string(), scheduledAt: Instant }));

export const OverviewSchema = named(
  'Overview',
  z.object({
    // Every status, spelled out (not a record): the generated type then names each one.
    counts: z.object(Object.fromEntries(POST_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof POST_STATUSES)[number], z.ZodNumber>),
    next: z.array(DashboardPostSchema),
    credits: z.number().int(),
    successRate: z.number().nullable().describe('Published ÷ (published + failed), or null before anything finished'),
  }),
);

export const PostChangesSchema = named(
  'PostChanges',
  z.object({
    changes: z.array(z.object({ id: z.string(), status: PostStatusSchema, scheduledAt: Instant, updatedAt: Instant })),
    cursor: Instant.describe('The next ?since='),
  }),
);

export const DashboardCreditsSchema = named(
  'DashboardCredits',
  z.object({
    balance: z.number().int(),
    transactions: z.array(TransactionSchema),
    packs: z.array(z.object({ id: z.string(), name: z.string(), credits: z.number().int(), price: z.string() })),
  }),
);

export const DashboardLinkSchema = named('DashboardLink', z.object({ url: z.string(), expiresAt: Instant }));
