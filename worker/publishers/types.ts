// The one shape every destination's publisher has, so the publish activity can treat them alike.
import type { Target } from '../../core/domain';

export type LinkedInTarget = Extract<Target, { kind: 'linkedin' }>;
export type SlackTarget = Extract<Target, { kind: 'slack' }>;
export type DiscordTarget = Extract<Target, { kind: 'discord' }>;
export type WebhookTarget = Extract<Target, { kind: 'webhook' }>;

export interface PublishOutcome {
  externalId: string;
  url?: string;
}

export interface PublishRequest<T extends Target, C> {
  target: T;
  text: string;
  /** The same for every attempt of one post to one target, so destinations that can dedupe do. */
  idempotencyKey: string;
  credentials: C;
  signal?: AbortSignal;
  /** Only the webhook payload carries it; receivers use it to correlate with their own records. */
  postId?: string;
}

export interface Publisher<T extends Target, C> {
  readonly kind: T['kind'];
  publish(req: PublishRequest<T, C>): Promise<PublishOutcome>;
}

export interface LinkedInCredentials {
  accessToken: string;
  /** urn:li:person:<sub>, the `sub` from /v2/userinfo */
  authorUrn: string;
}

export interface SlackCredentials {
  botToken: string;
}

/** A webhookUrl target carries its own secret in the URL, so only channel targets need the bot. */
export interface DiscordCredentials {
  botToken?: string;
}

/** The account's own signing secret, and those still in a rotation's grace period (newest first). */
export interface WebhookCredentials {
  signingSecret: string;
  previousSecrets?: string[];
}
