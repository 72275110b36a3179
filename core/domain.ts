// The vocabulary every part of PostForge shares: posts, targets, drafts and their limits.
// Pure types and zod schemas only, so workflows can import it without breaking determinism.
import { z } from 'zod';

export const TONES = ['professional', 'friendly', 'bold', 'witty', 'informative', 'inspiring'] as const;
export const ToneSchema = z.enum(TONES);
export type Tone = z.infer<typeof ToneSchema>;

/** BCP-47-ish language tag or a plain language name ("en", "de-CH", "French"). */
export const LanguageSchema = z
  .string()
  .trim()
  .min(2, 'language must be a language code like "en" or a name like "French"')
  .max(35, 'language is at most 35 characters');

export const LinkedInTargetSchema = z.object({ kind: z.literal('linkedin') }).strict();

export const SlackTargetSchema = z
  .object({
    kind: z.literal('slack'),
    channel: z.string().trim().min(1, 'slack target needs a channel id like "C0123456789"'),
  })
  .strict();

export const DiscordTargetSchema = z
  .object({
    kind: z.literal('discord'),
    channelId: z
      .string()
      .regex(/^\d{15,25}$/, 'discord channelId is a snowflake (digits)')
      .optional(),
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict()
  .refine((t) => Boolean(t.channelId) !== Boolean(t.webhookUrl), {
    message: 'discord target needs exactly one of channelId or webhookUrl',
  });

export const WebhookTargetSchema = z
  .object({
    kind: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'webhook url must be an http(s) URL' }),
  })
  .strict();

export const TargetSchema = z.discriminatedUnion('kind', [LinkedInTargetSchema, SlackTargetSchema, DiscordTargetSchema, WebhookTargetSchema]);
export type Target = z.infer<typeof TargetSchema>;
export type TargetKind = Target['kind'];

/** A stable key for one target of one post: the idempotency key of its publish is built from it. */
export function targetKey(target: Target): string {
  switch (target.kind) {
    case 'linkedin':
      return 'linkedin';
    case 'slack':
      return `slack:${target.channel}`;
    case 'discord':
      return target.channelId ? `discord:${target.channelId}` : `discord-webhook:${target.webhookUrl}`;
    case 'webhook':
      return `webhook:${target.url}`;
  }
}

/** What the author asks the generator for. */
export interface GenerateRequest {
  topic: string;
  tone: Tone;
  language: string;
  instructions?: string;
  /** Hard limit on `content` plus its hashtags, from the targets. */
  maxChars: number;
}

/** What a generator returns. */
export interface Draft {
  content: string;
  hashtags: string[];
  /** A suggested publish time in words the time parser understands, e.g. "tuesday 09:00". */
  bestTime: string;
  /** Who wrote it: Claude (with its model) or the offline generator, which says so. */
  generator: { kind: 'claude'; model: string } | { kind: 'offline' };
}

export const POST_STATUSES = ['generating', 'draft', 'scheduled', 'publishing', 'published', 'failed', 'canceled'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export type TargetOutcome = 'pending' | 'published' | 'failed' | 'unconfirmed' | 'paused';

export interface TargetResult {
  key: string;
  target: Target;
  outcome: TargetOutcome;
  externalId?: string;
  url?: string;
  error?: string;
  at?: string;
}

/** Where a post's milestones are told to its author; the front end that started the post chooses. */
export type NotifyChannel =
  | { kind: 'none' }
  | { kind: 'webhook'; url: string }
  | { kind: 'slack'; channel: string; ts?: string; userId: string; teamId: string }
  | { kind: 'discord'; applicationId: string; interactionToken: string; userId: string; channelId?: string; guildId: string; tokenIssuedAt: string }
  /** A Discord channel reached with the bot token (no interaction behind it: a series' occurrence). */
  | { kind: 'discordChannel'; guildId: string; channelId: string; userId: string };

export type Milestone = 'drafted' | 'scheduled' | 'published' | 'failed' | 'canceled' | 'expired' | 'unconfirmed' | 'paused' | 'updated';
