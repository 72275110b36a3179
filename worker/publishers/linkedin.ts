// Publishing a member's post through LinkedIn's versioned Posts API (POST /rest/posts).
// LinkedIn has no idempotency key and a member's own posts cannot be listed without a restricted
// scope, so a request whose answer is lost ends as unknown_outcome, never as a silent retry.
import { CHAR_LIMITS } from '../../core/domain';
import {
  checkText,
  permanentError,
  parseRetryAfter,
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
  /** YYYYMM; LinkedIn retires each version about a year after release (426 NONEXISTENT_VERSION). */
  version: string;
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

export function createLinkedInPublisher(opts: LinkedInPublisherOptions): LinkedInPublisher {
  if (!/^\d{6}(\.\d{2})?$/.test(opts.version)) {
    throw new Error(`LINKEDIN_VERSION must look like YYYYMM (e.g. 202510), got "${opts.version}"`);
  }
  const endpoint = `${(opts.apiBaseUrl ?? 'https://api.linkedin.com').replace(/\/+$/, '')}/rest/posts`;
  const ctx: TransportContext = { service: 'LinkedIn', dedupes: false, timeoutMs: opts.timeoutMs };

  return {
    kind: 'linkedin',
    async publish({ text, credentials, signal }) {
      checkText('LinkedIn', text, LINKEDIN_MAX_CHARS);
      if (!credentials.accessToken) throw permanentError('LinkedIn is not connected for this author: connect LinkedIn and publish again.');
      if (!/^urn:li:person:[^:]+$/.test(credentials.authorUrn)) {
        throw permanentError(`LinkedIn author "${credentials.authorUrn}" is not a member URN (urn:li:person:<id>): reconnect LinkedIn.`);
      }
      const body = {
        author: credentials.authorUrn,
        commentary: escapeLittleText(text, { keepHashtags: opts.linkHashtags ?? true }),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      };
      const answer = await sendHttp(
        endpoint,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${credentials.accessToken}`,
            'LinkedIn-Version': opts.version,
            'X-Restli-Protocol-Version': '2.0.0',
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        },
        { ...ctx, ...(signal ? { signal } : {}) },
      );
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
      throw linkedInError(ctx, answer, opts.version);
    },
  };
}

function linkedInError(ctx: TransportContext, answer: HttpAnswer, version: string) {
  const { status, json } = answer;
  const code = stringField(json, 'code') ?? stringField(json, 'serviceErrorCode');
  const message = stringField(json, 'message') ?? answer.text.slice(0, 200);
  const details = { status, ...(code ? { code } : {}) };
  const tag = code ? `${status} ${code}` : String(status);
  if (status === 426 || code === 'NONEXISTENT_VERSION' || code === 'VERSION_MISSING') {
    return permanentError(
      `LinkedIn no longer accepts API version ${version} (${tag}). Update LINKEDIN_VERSION to a current YYYYMM version and publish again.`,
      details,
    );
  }
  if (status === 401) {
    return permanentError(`LinkedIn rejected the access token (${tag}): reconnect LinkedIn and publish again.`, details);
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
