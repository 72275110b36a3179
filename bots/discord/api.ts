// The few Discord REST calls PostForge makes, through @discordjs/rest (Discord's own client: its
// routes, auth headers, rate-limit buckets and error shapes). Interaction callbacks and follow-ups are
// authorised by the interaction token in the path; the rest by the bot token. Every call fails fast
// and visibly instead of sleeping in a queue (rejectOnRateLimit, no retries, a deadline): a user or an
// activity is waiting on it, and Temporal or the user decides when to try again.
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import type {
  APIChannel,
  APIGuildMember,
  APIInteractionResponse,
  APIMessage,
  APIRole,
  APIUser,
  RESTPatchAPIChannelMessageJSONBody,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import type { Config } from '../../core/config';

export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    /** Discord's JSON error code (50013 Missing Permissions, 10003 Unknown Channel, …); 0 if none. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }

  /** Worth another try later: rate limits and Discord's own trouble. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export interface DiscordApi {
  /** The first answer to an interaction, when it does not go back as the HTTP response. */
  callback(interactionId: string, token: string, body: APIInteractionResponse): Promise<void>;
  editOriginal(applicationId: string, token: string, body: RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void>;
  followUp(applicationId: string, token: string, body: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
  getChannel(channelId: string): Promise<APIChannel>;
  guildRoles(guildId: string): Promise<APIRole[]>;
  guildMember(guildId: string, userId: string): Promise<APIGuildMember>;
  me(): Promise<APIUser>;
  openDm(userId: string): Promise<APIChannel>;
  sendMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage>;
  /** Edits one of the bot's own messages (bot token: no interaction needed). */
  editMessage(channelId: string, messageId: string, body: RESTPatchAPIChannelMessageJSONBody): Promise<APIMessage>;
}

export function createDiscordApi(
  config: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_BOT_TOKEN'>,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): DiscordApi {
  const rest = new REST({
    api: config.DISCORD_API_URL.replace(/\/+$/, ''),
    version: '10',
    timeout: opts.timeoutMs ?? 10_000,
    retries: 0,
    rejectOnRateLimit: () => true,
    userAgentAppendix: 'PostForge',
    ...(opts.fetch ? { makeRequest: opts.fetch as unknown as REST['options']['makeRequest'] } : {}),
  });
  if (config.DISCORD_BOT_TOKEN) rest.setToken(config.DISCORD_BOT_TOKEN);
  let self: Promise<APIUser> | undefined;

  async function call<T>(what: string, auth: 'bot' | 'none', send: () => Promise<unknown>): Promise<T> {
    if (auth === 'bot' && !config.DISCORD_BOT_TOKEN)
      throw new DiscordApiError(401, 0, 'DISCORD_BOT_TOKEN is not set, so PostForge cannot call Discord as the bot');
    try {
      return (await send()) as T;
    } catch (err) {
      throw asDiscordApiError(err, what);
    }
  }
  const noAuth = { auth: false } as const;

  return {
    callback: (id, token, body) => call('POST interaction callback', 'none', () => rest.post(Routes.interactionCallback(id, token), { body, ...noAuth })),
    editOriginal: (app, token, body) => call('PATCH @original', 'none', () => rest.patch(Routes.webhookMessage(app, token, '@original'), { body, ...noAuth })),
    followUp: (app, token, body) => call('POST follow-up', 'none', () => rest.post(Routes.webhook(app, token), { body, ...noAuth })),
    getChannel: (id) => call(`GET /channels/${id}`, 'bot', () => rest.get(Routes.channel(id))),
    guildRoles: (guildId) => call(`GET /guilds/${guildId}/roles`, 'bot', () => rest.get(Routes.guildRoles(guildId))),
    guildMember: (guildId, userId) => call(`GET /guilds/${guildId}/members/${userId}`, 'bot', () => rest.get(Routes.guildMember(guildId, userId))),
    me: () => {
      self ??= call<APIUser>('GET /users/@me', 'bot', () => rest.get(Routes.user('@me'))).catch((err: unknown) => {
        self = undefined;
        throw err;
      });
      return self;
    },
    openDm: (userId) => call('POST /users/@me/channels', 'bot', () => rest.post(Routes.userChannels(), { body: { recipient_id: userId } })),
    sendMessage: (channelId, body) => call(`POST /channels/${channelId}/messages`, 'bot', () => rest.post(Routes.channelMessages(channelId), { body })),
    editMessage: (channelId, messageId, body) =>
      call(`PATCH /channels/${channelId}/messages/${messageId}`, 'bot', () => rest.patch(Routes.channelMessage(channelId, messageId), { body })),
  };
}

/** @discordjs/rest's errors as the one error type the bot's handlers know. */
function asDiscordApiError(err: unknown, what: string): DiscordApiError {
  if (err instanceof DiscordApiError) return err;
  if (err instanceof DiscordAPIError) {
    return new DiscordApiError(err.status, typeof err.code === 'number' ? err.code : 0, `Discord answered ${err.status} to ${what}: ${err.message}`);
  }
  if (err instanceof RateLimitError) return new DiscordApiError(429, 0, `Discord is rate limiting ${what}; retry after ${Math.ceil(err.retryAfter / 1000)} s`);
  if (err instanceof HTTPError) return new DiscordApiError(err.status, 0, `Discord answered ${err.status} to ${what}: ${err.message}`);
  return new DiscordApiError(503, 0, `Discord did not answer ${what}: ${err instanceof Error ? err.message : String(err)}`);
}
