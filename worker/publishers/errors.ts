// How a failed publish is told apart, so the caller knows whether to retry, give up, or ask a person.
// Also the one HTTP helper the fetch-based publishers share, because classifying a transport failure
// (refused before sending vs. lost after sending) needs to see exactly where the request died.
import { httpRequest, type HeaderReader, type HttpRequest } from '../../core/net/httpRequest';
import { outboundRefusal, safeRequest, type OutboundPolicy } from '../../core/net/safeFetch';

export type PublishErrorKind = 'permanent' | 'retryable' | 'unknown_outcome' | 'reconnect';

export interface PublishErrorDetails {
  /** Retryable only because the destination drops a repeat (for a while): the request may have landed. */
  mayHaveLanded?: boolean;
  retryAfterMs?: number;
  status?: number;
  code?: string;
  cause?: unknown;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly kind: PublishErrorKind;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly code?: string;
  readonly mayHaveLanded: boolean;

  constructor(kind: PublishErrorKind, message: string, details: PublishErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.mayHaveLanded = details.mayHaveLanded ?? false;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
  }
}

/** Sending again cannot help: a person has to fix something (the message says what). */
export const permanentError = (message: string, details?: PublishErrorDetails): PublishError => new PublishError('permanent', message, details);

/** Nothing was posted, or the destination drops a repeat: sending again is safe. */
export const retryableError = (message: string, details?: PublishErrorDetails): PublishError => new PublishError('retryable', message, details);

/** It may have been posted and the destination cannot dedupe a repeat: a person must check. */
export const unknownOutcomeError = (message: string, details?: PublishErrorDetails): PublishError => new PublishError('unknown_outcome', message, details);

/**
 * Nothing was posted and the author's own credentials were refused (revoked early): the target waits
 * for the author to reconnect, like an expired connection, instead of failing the post.
 */
export const reconnectError = (message: string, details?: PublishErrorDetails): PublishError => new PublishError('reconnect', message, details);

export const isPublishError = (err: unknown): err is PublishError => err instanceof PublishError;

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Fails before anything reaches the server, so nothing can have been posted. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);

/** The first `code` found on an error or along its `cause` chain (undici nests the socket error). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface TransportContext {
  /** "LinkedIn", "Slack", "Discord", "The webhook at example.com" */
  service: string;
  /** True when the destination drops a repeat of the same request, so a lost answer is retryable. */
  dedupes: boolean;
  timeoutMs: number;
}

export type TransportFailure = 'timeout' | 'cancelled' | 'network';

/** A request that failed without an HTTP answer. Only "never connected" is known not to have landed. */
export function transportError(ctx: TransportContext, failure: TransportFailure, cause: unknown): PublishError {
  const code = errorCode(cause);
  if (failure === 'network' && code && NOT_SENT_CODES.has(code)) {
    return retryableError(`Could not reach ${ctx.service} (${code}); nothing was sent, it will be tried again.`, { code, cause });
  }
  const what =
    failure === 'timeout'
      ? `${ctx.service} did not answer within ${ctx.timeoutMs} ms`
      : failure === 'cancelled'
        ? `Sending to ${ctx.service} was cancelled mid-request`
        : `The connection to ${ctx.service} dropped mid-request (${code ?? (cause as Error)?.message ?? 'unknown error'})`;
  const errCode = failure === 'network' ? code : failure;
  const details: PublishErrorDetails = { cause, ...(errCode ? { code: errCode } : {}) };
  if (ctx.dedupes) return retryableError(`${what}; sending again is safe because ${ctx.service} drops repeats.`, { ...details, mayHaveLanded: true });
  return unknownOutcomeError(`${what}; the post may or may not have been published. Check ${ctx.service} before posting again.`, details);
}

/**
 * What every HTTP API means by its status, before a publisher adds its own wording for 401/403/404.
 * 504 is treated like our own timeout: the gateway gave up after forwarding, so it may have landed.
 */
export function statusError(ctx: TransportContext, status: number, detail: string, extra: { retryAfterMs?: number; code?: string } = {}): PublishError {
  const details: PublishErrorDetails = { status, ...extra };
  const said = detail ? `: ${detail}` : '';
  if (status === 429) return retryableError(`${ctx.service} is rate limiting us (429)${said}`, details);
  if (status === 504) {
    return ctx.dedupes
      ? retryableError(`${ctx.service} timed out upstream (504)${said}`, { ...details, mayHaveLanded: true })
      : unknownOutcomeError(`${ctx.service} timed out upstream (504); the post may or may not have been published. Check before posting again.`, details);
  }
  if (status >= 500 || status === 408) return retryableError(`${ctx.service} had a server error (${status})${said}`, details);
  if (status === 401) return permanentError(`${ctx.service} rejected the credentials (401)${said}`, details);
  return permanentError(`${ctx.service} rejected the request (${status})${said}`, details);
}

export interface HttpAnswer {
  status: number;
  headers: HeaderReader;
  text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

export interface SendOptions extends TransportContext {
  signal?: AbortSignal;
  /** Set for URLs a customer gave us: only allowed addresses are connected to (core/net/safeFetch). */
  outbound?: OutboundPolicy;
}

/** A customer URL we will not call: nothing was sent, and sending again cannot help. */
export function refusedDestinationError(service: string, reason: string, policy: OutboundPolicy): PublishError {
  const selfHost = policy.allowPrivate ? '' : ', or on a self-hosted install whose receivers are on your own network set ALLOW_PRIVATE_WEBHOOK_HOSTS=true';
  return permanentError(`Nothing was sent to ${service}: its URL ${reason}. Use a public URL${selfHost}.`, { code: 'destination_refused' });
}

/**
 * An HTTP request with a deadline and the caller's cancellation, turning every failure without an HTTP answer into
 * a PublishError. Redirects are not followed: a publish endpoint that redirects is misconfigured, and
 * following it would re-send a signed body to wherever the Location points.
 */
export async function sendHttp(url: string, init: Omit<HttpRequest, 'signal'>, opts: SendOptions): Promise<HttpAnswer> {
  if (opts.signal?.aborted) {
    throw retryableError(`Sending to ${opts.service} was cancelled before anything was sent.`, { code: 'cancelled' });
  }
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  try {
    const res = opts.outbound ? await safeRequest(url, { ...init, signal }, opts.outbound) : await httpRequest(url, { ...init, signal });
    return { status: res.status, headers: res.headers, text: res.text, json: parseJson(res.text) };
  } catch (err) {
    const refused = opts.outbound && outboundRefusal(err);
    if (refused && opts.outbound) throw refusedDestinationError(opts.service, refused.message, opts.outbound);
    const failure: TransportFailure = deadline.aborted ? 'timeout' : opts.signal?.aborted ? 'cancelled' : 'network';
    throw transportError(opts, failure, err);
  }
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A field of an unknown JSON value, for reading error bodies without trusting their shape. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export const stringField = (value: unknown, key: string): string | undefined => {
  const v = field(value, key);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

/** Code points, not UTF-16 units, so an emoji counts once as the destinations count it. */
export const charCount = (text: string): number => Array.from(text).length;

/** Checks shared by every publisher before anything is sent. */
export function checkText(service: string, text: string, max: number): void {
  if (text.trim() === '') throw permanentError(`Nothing to post to ${service}: the text is empty.`);
  const n = charCount(text);
  if (n > max) {
    throw permanentError(`The post is ${n} characters; ${service} accepts at most ${max}. Shorten it and publish again.`, {
      code: 'too_long',
    });
  }
}
