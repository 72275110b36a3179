// Publishing a member's post through LinkedIn's versioned Posts API (POST /rest/posts).
// LinkedIn has no idempotency key and a member's own posts cannot be listed without a restricted
// scope, so a request whose answer is lost ends as unknown_outcome, never as a silent retry.
import { CHAR_LIMITS } from '../../core/postRules';
import {
  charCount,
  checkText,
  permanentError,
  parseRetryAfter,
  reconnectError,
  sendHttp,
  statusError,
  stringField,
  unknownOutcomeError,
  type HttpAnswer,
  type TransportContext,
} from './errors';
import type { LinkedInCredentials, LinkedInTarget, Publisher } from './types';

export interface LinkedInPublisherOptions {
  apiBaseUrl?: string;
  /** YYYYMM or YYYYMM.RR; LinkedIn retires each version about a year after release (426 NONEXISTENT_VERSION). */
  version: string;
  /** A version known to work, sent once when LinkedIn refuses `version` with a 426, and from then on. */
  fallbackVersion?: string;
  /** Tells the operator that the configured version was refused (the worker's logger). */
  warn?: (message: string) => void;
  timeoutMs: number;
  /** See escapeLittleText: true keeps "#word" as a clickable hashtag. */
  linkHashtags?: boolean;
}

export type LinkedInPublisher = Publisher<LinkedInTarget, LinkedInCredentials>;

export const LINKEDIN_MAX_CHARS = CHAR_LIMITS.linkedin;

/** Reserved in LinkedIn's "little" text format; unescaped, LinkedIn silently cuts the post at the first one. */
const LITTLE_RESERVED = /[\\|{}@[\]()<>#*_~]/g;
const HASHTAG_BODY = /^[\p{L}\p{N}]*\p{L}/u;
/** A '#' right after these is part of a word ("C#", "page#top"), not the start of a hashtag. */
const WORD_BEFORE = /[\p{L}\p{N}_&/#\\]/u;

/**
 * Escapes `commentary` for LinkedIn's little text format (reserved: \ | { } @ [ ] ( ) < > # * _ ~).
 *
 * Choice about hashtags: little text has a HashtagElement written exactly "#word", so by default a '#'
 * that starts a word containing a letter is left as is and LinkedIn shows a clickable hashtag, which is
 * what an author writing "#startups" means. Every other '#' ("C#", "issue #42", a lone "#") is escaped
 * and shows as a plain character. With keepHashtags false every '#' is escaped and hashtags are plain text.
 * Hashtags stop at the first underscore, since '_' must be escaped everywhere.
 */
export function escapeLittleText(text: string, { keepHashtags = true }: { keepHashtags?: boolean } = {}): string {
  return text.replace(LITTLE_RESERVED, (ch: string, offset: number) => {
    if (ch === '#' && keepHashtags && startsHashtag(text, offset)) return ch;
    return `\\${ch}`;
  });
}

function startsHashtag(text: string, offset: number): boolean {
  const before = offset > 0 ? text.slice(0, offset) : '';
  const prev = Array.from(before.slice(-2)).pop();
  if (prev !== undefined && WORD_BEFORE.test(prev)) return false;
  return HASHTAG_BODY.test(text.slice(offset + 1));
}

export const linkedInPostUrl = (urn: string): string => `https://www.linkedin.com/feed/update/${urn}/`;

const VERSION_FORMAT = /^\d{6}(\.\d{2})?$/;

export function createLinkedInPublisher(opts: LinkedInPublisherOptions): LinkedInPublisher {
  for (const [name, v] of [
    ['LINKEDIN_VERSION', opts.version],
    ['LINKEDIN_FALLBACK_VERSION', opts.fallbackVersion],
  ] as const) {
    if (v !== undefined && !VERSION_FORMAT.test(v)) throw new Error(`${name} must look like YYYYMM or YYYYMM.RR (e.g. 202608), got "${v}"`);
  }
  const endpoint = `${(opts.apiBaseUrl ?? 'https://api.linkedin.com').replace(/\/+$/, '')}/rest/posts`;
  const ctx: TransportContext = { service: 'LinkedIn', dedupes: false, timeoutMs: opts.timeoutMs };
  // Once the configured version is refused, every later post goes straight to the fallback instead of
  // paying for a refused request first. A 426 created nothing, so sending again cannot post twice.
  let version = opts.version;

  return {
    kind: 'linkedin',
    async publish({ text, credentials, signal }) {
      const commentary = escapeLittleText(text, { keepHashtags: opts.linkHashtags ?? true });
      checkText('LinkedIn', text, LINKEDIN_MAX_CHARS);
      // LinkedIn counts the commentary it receives, escapes included.
      if (charCount(commentary) > LINKEDIN_MAX_CHARS) {
        throw permanentError(
          `The post is ${charCount(commentary)} characters as LinkedIn receives it (its special characters ( ) [ ] { } < > @ * _ ~ | \\ are sent escaped, one more character each); LinkedIn accepts at most ${LINKEDIN_MAX_CHARS}. Shorten it and publish again.`,
          { code: 'too_long' },
        );
      }
      if (!credentials.accessToken) throw permanentError('LinkedIn is not connected for this author: connect LinkedIn and publish again.');
      if (!/^urn:li:person:[^:]+$/.test(credentials.authorUrn)) {
        throw permanentError(`LinkedIn author "${credentials.authorUrn}" is not a member URN (urn:li:person:<id>): reconnect LinkedIn.`);
      }
      const body = {
        author: credentials.authorUrn,
        commentary,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      };
      const send = (v: string) =>
        sendHttp(
          endpoint,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${credentials.accessToken}`,
              'LinkedIn-Version': v,
              'X-Restli-Protocol-Version': '2.0.0',
              'Content-Type': 'application/json',
            },
            body: JSON.stringify(body),
          },
          { ...ctx, ...(signal ? { signal } : {}) },
        );
      const sentWith = version;
      let answer = await send(sentWith);
      if (isVersionRefusal(answer) && opts.fallbackVersion && opts.fallbackVersion !== sentWith) {
        version = opts.fallbackVersion;
        opts.warn?.(
          `LinkedIn refused API version ${sentWith} (${answer.status}); posting with LINKEDIN_FALLBACK_VERSION ${version} from now on. Set LINKEDIN_VERSION to a version LinkedIn lists as active.`,
        );
        answer = await send(version);
      }
      if (answer.status === 200 || answer.status === 201) {
        const urn = answer.headers.get('x-restli-id') ?? stringField(answer.json, 'id');
        if (!urn) {
          // It was created; retrying would post twice, so a person checks instead.
          throw unknownOutcomeError(`LinkedIn accepted the post (${answer.status}) but did not say its id; check the profile for it.`, {
            status: answer.status,
          });
        }
        return { externalId: urn, url: linkedInPostUrl(urn) };
      }
      throw linkedInError(ctx, answer, version);
    },
  };
}

function isVersionRefusal(answer: HttpAnswer): boolean {
  const code = stringField(answer.json, 'code');
  return answer.status === 426 || code === 'NONEXISTENT_VERSION' || code === 'VERSION_MISSING';
}

function linkedInError(ctx: TransportContext, answer: HttpAnswer, version: string) {
  const { status, json } = answer;
  const code = stringField(json, 'code') ?? stringField(json, 'serviceErrorCode');
  const message = stringField(json, 'message') ?? answer.text.slice(0, 200);
  const details = { status, ...(code ? { code } : {}) };
  const tag = code ? `${status} ${code}` : String(status);
  if (status === 426 || code === 'NONEXISTENT_VERSION' || code === 'VERSION_MISSING') {
    return permanentError(
      `LinkedIn no longer accepts API version ${version} (${tag}). Update LINKEDIN_VERSION (and LINKEDIN_FALLBACK_VERSION) to a current YYYYMM version and publish again.`,
      details,
    );
  }
  if (status === 401) {
    // A member can revoke the app long before the token's 60 days are up: wait for a reconnect.
    return reconnectError(`LinkedIn rejected the access token (${tag}), so it was revoked or replaced. Reconnect LinkedIn and the post will go out.`, details);
  }
  if (status === 403) {
    return permanentError(
      `LinkedIn refused to post as this member (${tag}: ${message}). Reconnect LinkedIn, granting the "Share on LinkedIn" (w_member_social) permission.`,
      details,
    );
  }
  const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
  return statusError(ctx, status, message, { ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}
