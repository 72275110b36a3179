// The few Discord REST calls PostForge makes, over fetch with a deadline. Interaction callbacks and
// follow-ups are authorised by the interaction token in the path; the rest by the bot token.
// (Command registration goes through @discordjs/rest in register.ts; here each call must fail fast
// and visibly instead of sleeping in a queue, because a user or an activity is waiting on it.)
import type {
  APIChannel,
  APIGuildMember,
  APIInteractionResponse,
  APIMessage,
  APIRole,
  APIUser,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
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
}

export function createDiscordApi(config: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_BOT_TOKEN'>, opts: { fetch?: typeof fetch; timeoutMs?: number } = {}): DiscordApi {
  const base = `${config.DISCORD_API_URL.replace(/\/+$/, '')}/v10`;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let self: Promise<APIUser> | undefined;

  async function call<T>(method: string, path: string, body: unknown, auth: 'bot' | 'none'): Promise<T> {
    const headers: Record<string, string> = { 'user-agent': 'DiscordBot (https://github.com/postforge/postforge, 0.1)' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth === 'bot') {
      if (!config.DISCORD_BOT_TOKEN) throw new DiscordApiError(401, 0, 'DISCORD_BOT_TOKEN is not set, so PostForge cannot call Discord as the bot');
      headers.authorization = `Bot ${config.DISCORD_BOT_TOKEN}`;
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DiscordApiError(503, 0, `Discord did not answer ${method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let code = 0;
      let message = text.slice(0, 200) || res.statusText;
      try {
        const json = JSON.parse(text) as { code?: unknown; message?: unknown };
        if (typeof json.code === 'number') code = json.code;
        if (typeof json.message === 'string') message = json.message;
      } catch {
        // Not JSON (a proxy's error page): the text is the best we have.
      }
      throw new DiscordApiError(res.status, code, `Discord answered ${res.status} to ${method} ${path.replace(/\/[\w-]{60,}/, '/…')}: ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    callback: (id, token, body) => call('POST', `/interactions/${id}/${token}/callback`, body, 'none'),
    editOriginal: (app, token, body) => call('PATCH', `/webhooks/${app}/${token}/messages/@original`, body, 'none'),
    followUp: (app, token, body) => call('POST', `/webhooks/${app}/${token}`, body, 'none'),
    getChannel: (id) => call('GET', `/channels/${id}`, undefined, 'bot'),
    guildRoles: (guildId) => call('GET', `/guilds/${guildId}/roles`, undefined, 'bot'),
    guildMember: (guildId, userId) => call('GET', `/guilds/${guildId}/members/${userId}`, undefined, 'bot'),
    me: () => {
      self ??= call<APIUser>('GET', '/users/@me', undefined, 'bot').catch((err: unknown) => {
        self = undefined;
        throw err;
      });
      return self;
    },
    openDm: (userId) => call('POST', '/users/@me/channels', { recipient_id: userId }, 'bot'),
    sendMessage: (channelId, body) => call('POST', `/channels/${channelId}/messages`, body, 'bot'),
  };
}
