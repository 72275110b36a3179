// Delivering a post to a customer's HTTP endpoint, signed so the receiver can trust it.
//
// Receivers are told to dedupe by the Idempotency-Key header (the same for every attempt of one post to
// one target), which is what makes a delivery whose answer was lost safe to send again: timeouts and
// dropped connections are retryable here, unlike LinkedIn and Slack.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CHAR_LIMITS } from '../../core/postRules';
import type { OutboundPolicy } from '../../core/net/safeFetch';
import { checkText, permanentError, parseRetryAfter, retryableError, sendHttp, statusError, stringField, type TransportContext } from './errors';
import type { Publisher, WebhookCredentials, WebhookTarget } from './types';

export interface WebhookPublisherOptions {
  timeoutMs: number;
  /** Which addresses a target URL may reach; by default only public ones (ALLOW_PRIVATE_WEBHOOK_HOSTS). */
  outbound?: OutboundPolicy;
  /** For tests of the signature's timestamp; defaults to the clock. */
  now?: () => number;
}

export type WebhookPublisher = Publisher<WebhookTarget, WebhookCredentials>;

export const WEBHOOK_MAX_CHARS = CHAR_LIMITS.webhook;
export const SIGNATURE_HEADER = 'x-postforge-signature';
export const TIMESTAMP_HEADER = 'x-postforge-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export interface WebhookPayload {
  postId?: string;
  idempotencyKey: string;
  text: string;
  sentAt: string;
}

/** `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`); the version prefix leaves room to change it. */
export function signWebhook(secret: string, timestampSec: number | string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.`).update(rawBody).digest('hex');
  return `v1=${mac}`;
}

/**
 * The X-PostForge-Signature value: one `v1=` per secret, newest first, comma-separated. During a
 * secret rotation's grace period the old secret signs too, so a receiver verifies with either.
 */
export function signatureHeader(secrets: readonly string[], timestampSec: number | string, rawBody: string | Buffer): string {
  return secrets.map((secret) => signWebhook(secret, timestampSec, rawBody)).join(',');
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers: true when the signature matches the raw body (exactly the bytes received, before any
 * JSON parsing) and the timestamp is within `toleranceSec` of now, which stops replays of old deliveries.
 * Several comma-separated `v1=` values are accepted so a secret can be rotated without downtime.
 */
export function verifyWebhookSignature(rawBody: string | Buffer, headers: HeaderBag, secret: string, toleranceSec = 300, nowMs: number = Date.now()): boolean {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signatures = header(headers, SIGNATURE_HEADER);
  if (!timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  return signatures
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

export function createWebhookPublisher(opts: WebhookPublisherOptions): WebhookPublisher {
  const now = opts.now ?? Date.now;
  const outbound = opts.outbound ?? { allowPrivate: false };
  return {
    kind: 'webhook',
    async publish({ target, text, idempotencyKey, credentials, signal, postId }) {
      checkText('the webhook', text, WEBHOOK_MAX_CHARS);
      if (!credentials.signingSecret) throw permanentError('This account has no webhook signing secret: create one with POST /v1/webhook-secret.');
      const host = safeHost(target.url);
      const ctx: TransportContext = { service: `the webhook at ${host}`, dedupes: true, timeoutMs: opts.timeoutMs };

      const sentAtMs = now();
      const timestamp = Math.floor(sentAtMs / 1000);
      const payload: WebhookPayload = { ...(postId ? { postId } : {}), idempotencyKey, text, sentAt: new Date(sentAtMs).toISOString() };
      const rawBody = JSON.stringify(payload);
      const answer = await sendHttp(
        target.url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': idempotencyKey,
            'X-PostForge-Timestamp': String(timestamp),
            'X-PostForge-Signature': signatureHeader([credentials.signingSecret, ...(credentials.previousSecrets ?? [])], timestamp, rawBody),
          },
          body: rawBody,
        },
        { ...ctx, outbound, ...(signal ? { signal } : {}) },
      );

      if (answer.status >= 200 && answer.status < 300) {
        return { externalId: stringField(answer.json, 'id') ?? idempotencyKey };
      }
      // Errors below never quote the answer (body or Location): the URL is the customer's, and
      // echoing what it said would make PostForge a way to read whatever that URL reaches.
      if (answer.status >= 300 && answer.status < 400) {
        throw permanentError(`The webhook at ${host} redirects (${answer.status}); redirects are not followed: set the target to the final URL.`, {
          status: answer.status,
        });
      }
      if (answer.status === 401 || answer.status === 403) {
        throw permanentError(`The webhook at ${host} refused the delivery (${answer.status}): check that it verifies with the current signing secret.`, {
          status: answer.status,
        });
      }
      // 409: the receiver is still processing an earlier attempt with this key; asking again later is the protocol.
      if (answer.status === 409 || answer.status === 425) {
        throw retryableError(`The webhook at ${host} is still processing an earlier attempt (${answer.status}); it will be asked again.`, {
          status: answer.status,
        });
      }
      const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
      throw statusError(ctx, answer.status, '', retryAfterMs !== undefined ? { retryAfterMs } : {});
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    throw permanentError(`The webhook URL "${url}" is not a valid URL: edit the target.`);
  }
}
