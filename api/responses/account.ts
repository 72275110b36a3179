// What the API answers about the rest: health, connections, webhook secrets, the extension's selectors, Stripe's ack.
import { z } from 'zod';
import { Instant, named } from './registry';

const CheckSchema = z.object({ ok: z.boolean(), ms: z.number().int(), error: z.string().optional() });
export const HealthSchema = named('Health', z.object({ status: z.enum(['ok', 'degraded']), temporal: CheckSchema, mongodb: CheckSchema }));

export const OpenApiDocumentSchema = named('OpenApiDocument', z.looseObject({ openapi: z.string() }).describe('This document'));

export const StripeAckSchema = named('StripeAck', z.object({ received: z.literal(true), result: z.enum(['recorded', 'duplicate', 'ignored', 'unroutable']) }));

/** Discord's interactions endpoint refusing a request (bots/discord/http.ts); Discord only reads the 401. */
export const SignatureRefusedSchema = named('SignatureRefused', z.object({ error: z.string() }));

export const LinkedInConnectionSchema = named(
  'LinkedInConnection',
  z.object({
    connected: z.boolean(),
    name: z.string().optional(),
    memberUrn: z.string().optional(),
    expiresAt: Instant.optional(),
    expired: z.boolean().optional(),
    expiresSoon: z.boolean().optional().describe('Expires within the warning window: reconnect soon'),
  }),
);
export const ConnectionsSchema = named('Connections', z.object({ linkedin: LinkedInConnectionSchema }));

export const UrlToOpenSchema = named('UrlToOpen', z.object({ url: z.string().describe('Open in a browser; works once') }));

const SecretInfo = z.object({ fingerprint: z.string(), createdAt: Instant, validUntil: Instant.optional() });
export const WebhookSecretInfoSchema = named('WebhookSecretInfo', SecretInfo);
export const WebhookSecretStatusSchema = named(
  'WebhookSecretStatus',
  z.object({
    configured: z.boolean(),
    current: WebhookSecretInfoSchema.optional(),
    previous: z.array(WebhookSecretInfoSchema),
    graceSeconds: z.number().int(),
  }),
);
export const NewWebhookSecretSchema = named('NewWebhookSecret', SecretInfo.extend({ secret: z.string().describe('Shown only in this answer') }));
export const RotatedWebhookSecretSchema = named(
  'RotatedWebhookSecret',
  SecretInfo.extend({ secret: z.string().describe('Shown only in this answer'), previous: WebhookSecretInfoSchema.optional() }),
);

export const ExtensionSelectorsSchema = named(
  'ExtensionSelectors',
  z.object({
    version: z.number().int(),
    editors: z.array(z.string()),
    anchors: z.array(z.string()),
    shadowHosts: z.array(z.string()),
    startPost: z.array(z.string()),
  }),
);
