// Publishing to a Slack channel with chat.postMessage through @slack/web-api.
// Slack has no idempotency key for chat.postMessage, so a request whose answer is lost is an
// unknown outcome. The client's own retries and rate-limit sleeping are off: retrying is Temporal's
// job, and a client that waits out Retry-After inside an activity only hides the delay from it.
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { CHAR_LIMITS } from '../../core/postRules';
import { escapeSlackText } from '../../core/slackText';
import {
  checkText,
  errorCode,
  field,
  isPublishError,
  parseRetryAfter,
  permanentError,
  retryableError,
  statusError,
  stringField,
  transportError,
  unknownOutcomeError,
  type PublishError,
  type TransportContext,
} from './errors';
import type { Publisher, SlackCredentials, SlackTarget } from './types';

export interface SlackPublisherOptions {
  slackApiUrl?: string;
  timeoutMs: number;
}

export type SlackPublisher = Publisher<SlackTarget, SlackCredentials>;

export const SLACK_MAX_CHARS = CHAR_LIMITS.slack;

/** The token is dead or was never good: only reinstalling the app helps. */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
  'org_login_required',
  'ekm_access_denied',
]);

export function createSlackPublisher(opts: SlackPublisherOptions): SlackPublisher {
  const slackApiUrl = opts.slackApiUrl ?? 'https://slack.com/api/';
  const ctx: TransportContext = { service: 'Slack', dedupes: false, timeoutMs: opts.timeoutMs };

  return {
    kind: 'slack',
    async publish({ target, text, credentials, signal }) {
      checkText('Slack', text, SLACK_MAX_CHARS);
      if (!credentials.botToken) throw permanentError('Slack is not installed for this account: install the PostForge Slack app.');
      if (signal?.aborted) throw retryableError('Sending to Slack was cancelled before anything was sent.', { code: 'cancelled' });

      // A client per publish: the deadline is per request, and WebClient's own `fetch` option is where
      // a request takes an AbortSignal.
      let deadline: AbortSignal | undefined;
      const client = new WebClient(credentials.botToken, {
        slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
        fetch: async (url, init) => {
          deadline = AbortSignal.timeout(opts.timeoutMs);
          try {
            return await fetch(url, { ...init, signal: signal ? AbortSignal.any([deadline, signal]) : deadline } as RequestInit);
          } catch (err) {
            // WebClient keeps the original only when it is `instanceof Error` in its own realm (not so
            // under a test runner's sandbox), and the socket's code is what says whether anything was sent.
            throw Object.assign(new Error((err as Error)?.message ?? String(err), { cause: (err as Error)?.cause ?? err }), {
              name: (err as Error)?.name ?? 'Error',
            });
          }
        },
      });

      let channel: string;
      let ts: string;
      try {
        // Escaped whole: see core/slackText.ts for why no markup in a draft is let through.
        const res = await client.chat.postMessage({ channel: target.channel, text: escapeSlackText(text), unfurl_links: false });
        if (!res.ok) throw slackPlatformError(res.error ?? 'unknown_error', target.channel, res);
        if (!res.ts) throw unknownOutcomeError('Slack answered ok without a message timestamp; check the channel before posting again.');
        channel = res.channel ?? target.channel;
        ts = res.ts;
      } catch (err) {
        throw toPublishError(err, target.channel, ctx, { timedOut: deadline?.aborted === true, cancelled: signal?.aborted === true });
      }

      const url = await permalink(client, channel, ts);
      return { externalId: `${channel}/${ts}`, ...(url ? { url } : {}) };
    },
  };
}

/** The post is already out; a missing link must not turn that into a failure. */
async function permalink(client: WebClient, channel: string, ts: string): Promise<string | undefined> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    return res.ok && res.permalink ? res.permalink : undefined;
  } catch {
    return undefined;
  }
}

function toPublishError(err: unknown, channel: string, ctx: TransportContext, how: { timedOut: boolean; cancelled: boolean }): PublishError {
  if (isPublishError(err)) return err;
  // Our own deadline or the caller's abort: axios reports either as a cancellation, wrapped or not.
  if (how.timedOut || how.cancelled) return transportError(ctx, how.timedOut ? 'timeout' : 'cancelled', field(err, 'original') ?? err);
  switch (errorCode(err)) {
    case ErrorCode.PlatformError:
      return slackPlatformError(stringField(field(err, 'data'), 'error') ?? 'unknown_error', channel, field(err, 'data'));
    case ErrorCode.RateLimitedError: {
      const seconds = field(err, 'retryAfter');
      return retryableError('Slack is rate limiting this app (429); it will be tried again after the wait Slack asked for.', {
        status: 429,
        code: 'ratelimited',
        ...(typeof seconds === 'number' ? { retryAfterMs: seconds * 1000 } : {}),
      });
    }
    case ErrorCode.HTTPError: {
      const status = Number(field(err, 'statusCode'));
      const headers = field(err, 'headers');
      const retryAfterMs = parseRetryAfter(stringField(headers, 'retry-after'));
      return statusError(ctx, status, stringField(err, 'statusMessage') ?? '', retryAfterMs !== undefined ? { retryAfterMs } : {});
    }
    case ErrorCode.RequestError: {
      const original = field(err, 'original') ?? err;
      const axiosCode = errorCode(original);
      const timedOut = axiosCode === 'ECONNABORTED' || axiosCode === 'ETIMEDOUT';
      return transportError(ctx, timedOut ? 'timeout' : 'network', original);
    }
    default:
      // Not from the client's request path (a bug, an unexpected throw): we cannot say it did not land.
      return unknownOutcomeError(`Posting to Slack failed unexpectedly: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** Slack answers HTTP 200 with `{ ok: false, error }`; the error string decides everything. */
export function slackPlatformError(error: string, channel: string, data?: unknown): PublishError {
  const details = { code: error };
  if (AUTH_ERRORS.has(error)) {
    return permanentError(`Slack rejected the bot token (${error}): reinstall the PostForge Slack app to this workspace and publish again.`, details);
  }
  switch (error) {
    case 'not_in_channel':
      return permanentError(
        `The PostForge bot is not in Slack channel ${channel} (not_in_channel): invite it with /invite @PostForge in that channel, then publish again.`,
        details,
      );
    case 'channel_not_found':
      return permanentError(
        `Slack channel ${channel} was not found (channel_not_found): check the channel id; for a private channel, invite the bot with /invite @PostForge.`,
        details,
      );
    case 'is_archived':
      return permanentError(`Slack channel ${channel} is archived (is_archived): unarchive it or pick another channel.`, details);
    case 'missing_scope': {
      const needed = stringField(data, 'needed');
      return permanentError(
        `The PostForge Slack app lacks a permission (missing_scope${needed ? `: ${needed}` : ''}): reinstall the app to grant it.`,
        details,
      );
    }
    case 'ratelimited':
    case 'rate_limited':
      return retryableError(`Slack is rate limiting this app (${error}); it will be tried again.`, details);
    case 'service_unavailable':
    case 'request_timeout':
      return retryableError(`Slack could not take the request (${error}); it will be tried again.`, details);
    case 'internal_error':
    case 'fatal_error':
      // Slack documents that part of the operation may have succeeded before these.
      return unknownOutcomeError(`Slack reported ${error}; the message may or may not have been posted. Check ${channel} before posting again.`, details);
    default:
      if (error.startsWith('restricted_action')) {
        return permanentError(`Slack does not let the bot post in ${channel} (${error}): ask a workspace admin to allow it.`, details);
      }
      return permanentError(`Slack rejected the message (${error}).`, details);
  }
}
