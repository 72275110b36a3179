// Publishing to Discord: a channel through the bot, or a channel webhook URL.
//
// Plain fetch rather than @discordjs/rest: that client queues per route bucket and sleeps through 429s
// by itself (and retries 5xx), which inside an activity hides the wait from Temporal and can outlive
// the activity's timeout; it also keeps one token per instance, while here each call brings its own
// credentials. One POST with a deadline and our own error mapping is all a publish needs.
//
// Channel posts carry `nonce` + `enforce_nonce`, so Discord hands back the earlier message instead of
// posting again when a retry repeats the nonce (Discord keeps nonces for a few minutes, longer than
// Temporal's first retries). Lost answers are therefore retryable. Webhook executions have no nonce, so
// there a lost answer is an unknown outcome, like LinkedIn and Slack.
import { createHash } from 'node:crypto';
import { RESTJSONErrorCodes, type RESTPostAPIChannelMessageJSONBody, type RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import { CHAR_LIMITS } from '../../core/postRules';
import type { OutboundPolicy } from '../../core/net/safeFetch';
import {
  checkText,
  field,
  parseRetryAfter,
  permanentError,
  retryableError,
  sendHttp,
  statusError,
  stringField,
  unknownOutcomeError,
  type HttpAnswer,
  type PublishError,
  type TransportContext,
} from './errors';
import type { DiscordCredentials, DiscordTarget, Publisher, PublishOutcome } from './types';

export interface DiscordPublisherOptions {
  apiBaseUrl?: string;
  timeoutMs: number;
  /** Which addresses a webhook URL (customer input) may reach; by default only public ones. */
  outbound?: OutboundPolicy;
}

export type DiscordPublisher = Publisher<DiscordTarget, DiscordCredentials>;

export const DISCORD_MAX_CHARS = CHAR_LIMITS.discord;

// Discord asks bots to identify themselves this way and may refuse unidentified clients.
const USER_AGENT = 'DiscordBot (https://github.com/postforge/postforge, 0.1.0)';

/** ≤ 25 characters and the same for every attempt of one publish: base36 of 96 bits of sha256. */
export function discordNonce(idempotencyKey: string): string {
  const hex = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24);
  return BigInt(`0x${hex}`).toString(36);
}

export const discordMessageUrl = (guildId: string | undefined, channelId: string, messageId: string): string =>
  `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;

export function createDiscordPublisher(opts: DiscordPublisherOptions): DiscordPublisher {
  const api = `${(opts.apiBaseUrl ?? 'https://discord.com/api').replace(/\/+$/, '')}/v10`;
  // Channel posts go to the configured API; a webhook URL is whatever the customer typed.
  const outbound = opts.outbound ?? { allowPrivate: false };
  /** Message answers carry no guild_id; a channel's guild never changes, so one lookup per channel. */
  const guildOf = new Map<string, string>();

  async function lookupGuild(key: string, url: string, headers: Record<string, string>, customerUrl = false): Promise<string | undefined> {
    const known = guildOf.get(key);
    if (known) return known;
    try {
      const answer = await sendHttp(
        url,
        { method: 'GET', headers },
        { service: 'Discord', dedupes: true, timeoutMs: opts.timeoutMs, ...(customerUrl ? { outbound } : {}) },
      );
      if (answer.status !== 200) return undefined;
      const guild = stringField(answer.json, 'guild_id') ?? '@me';
      if (guildOf.size > 5_000) guildOf.clear();
      guildOf.set(key, guild);
      return guild;
    } catch {
      return undefined;
    }
  }

  async function outcome(answer: HttpAnswer, lookup: () => Promise<string | undefined>): Promise<PublishOutcome> {
    const id = stringField(answer.json, 'id');
    const channelId = stringField(answer.json, 'channel_id');
    if (!id) throw unknownOutcomeError(`Discord accepted the message (${answer.status}) but did not say its id; check the channel.`);
    if (!channelId) return { externalId: id };
    const guild = stringField(answer.json, 'guild_id') ?? (await lookup());
    return { externalId: id, ...(guild ? { url: discordMessageUrl(guild === '@me' ? undefined : guild, channelId, id) } : {}) };
  }

  async function toChannel(channelId: string, req: Parameters<DiscordPublisher['publish']>[0]): Promise<PublishOutcome> {
    const token = req.credentials.botToken;
    if (!token) throw permanentError('Posting to a Discord channel needs the bot: set DISCORD_BOT_TOKEN, or use a channel webhook URL.');
    const ctx: TransportContext = { service: 'Discord', dedupes: true, timeoutMs: opts.timeoutMs };
    const body: RESTPostAPIChannelMessageJSONBody = {
      content: req.text,
      nonce: discordNonce(req.idempotencyKey),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    };
    const headers = { Authorization: `Bot ${token}`, 'User-Agent': USER_AGENT };
    const answer = await sendHttp(
      `${api}/channels/${encodeURIComponent(channelId)}/messages`,
      { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      { ...ctx, ...(req.signal ? { signal: req.signal } : {}) },
    );
    if (answer.status !== 200 && answer.status !== 201) throw discordError(ctx, answer, { channelId });
    return outcome(answer, () => lookupGuild(channelId, `${api}/channels/${encodeURIComponent(channelId)}`, headers));
  }

  async function toWebhook(webhookUrl: string, req: Parameters<DiscordPublisher['publish']>[0]): Promise<PublishOutcome> {
    const ctx: TransportContext = { service: 'the Discord webhook', dedupes: false, timeoutMs: opts.timeoutMs };
    const url = new URL(webhookUrl);
    url.searchParams.set('wait', 'true');
    const body: RESTPostAPIWebhookWithTokenJSONBody = { content: req.text, allowed_mentions: { parse: [] } };
    const answer = await sendHttp(
      url.toString(),
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT }, body: JSON.stringify(body) },
      { ...ctx, outbound, ...(req.signal ? { signal: req.signal } : {}) },
    );
    if (answer.status !== 200 && answer.status !== 201) throw discordError(ctx, answer, { webhook: true });
    const webhookOnly = new URL(webhookUrl);
    webhookOnly.search = '';
    return outcome(answer, () => lookupGuild(webhookOnly.toString(), webhookOnly.toString(), { 'User-Agent': USER_AGENT }, true));
  }

  return {
    kind: 'discord',
    async publish(req) {
      checkText('Discord', req.text, DISCORD_MAX_CHARS);
      const { channelId, webhookUrl } = req.target;
      if (channelId) return toChannel(channelId, req);
      if (webhookUrl) return toWebhook(webhookUrl, req);
      throw permanentError('This Discord target has neither a channel id nor a webhook URL: edit the target.');
    },
  };
}

type Where = { channelId: string } | { webhook: true };

/** Discord's errors are `{ message, code }`; the numeric code says more than the status. */
export function discordError(ctx: TransportContext, answer: HttpAnswer, where: Where): PublishError {
  const { status, json } = answer;
  const code = Number(field(json, 'code') ?? NaN);
  // A webhook URL is customer input and may not be Discord at all: its answer is never quoted back.
  const message = 'webhook' in where ? '' : (stringField(json, 'message') ?? answer.text.slice(0, 200));
  const details = { status, ...(Number.isFinite(code) ? { code: String(code) } : {}) };
  const place = 'channelId' in where ? `Discord channel ${where.channelId}` : 'the Discord webhook';

  if (status === 429) {
    const seconds = field(json, 'retry_after');
    const retryAfterMs = typeof seconds === 'number' ? Math.ceil(seconds * 1000) : parseRetryAfter(answer.headers.get('retry-after'));
    const scope = field(json, 'global') === true ? 'globally' : `on ${place}`;
    return retryableError(`Discord is rate limiting the bot ${scope} (429); it will be tried again.`, {
      ...details,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if ('webhook' in where && (status === 401 || code === RESTJSONErrorCodes.InvalidWebhookToken)) {
    return permanentError(`Discord rejected the webhook URL (${status}): create a new webhook in the channel settings and update the target.`, details);
  }
  if (status === 401) {
    return permanentError(`Discord rejected the bot token (401): check DISCORD_BOT_TOKEN, or reset the token in the Developer Portal.`, details);
  }
  if (code === RESTJSONErrorCodes.MissingAccess) {
    return permanentError(`The PostForge bot cannot see ${place} (50001 Missing Access): add the bot to the server and let it View Channel there.`, details);
  }
  if (code === RESTJSONErrorCodes.MissingPermissions) {
    return permanentError(`The PostForge bot may not post in ${place} (50013 Missing Permissions): give it Send Messages there.`, details);
  }
  if (code === RESTJSONErrorCodes.UnknownWebhook || ('webhook' in where && status === 404)) {
    return permanentError(`The Discord webhook no longer exists (10015 Unknown Webhook): create a new one and update the target.`, details);
  }
  if (code === RESTJSONErrorCodes.UnknownChannel || status === 404) {
    return permanentError(`${place} does not exist (10003 Unknown Channel): check the channel id.`, details);
  }
  if (status === 403) return permanentError(`Discord refused to post in ${place} (403${message ? ` ${message}` : ''}).`, details);
  return statusError(ctx, status, message, Number.isFinite(code) ? { code: String(code) } : {});
}
