// A local Discord REST API (v10) for the publisher and the Discord bot: bot-token auth, channel
// messages with nonce dedupe, channel webhooks, interaction callbacks and follow-ups, command
// registration, and /gateway/bot pointing wherever a gateway stand-in listens. Errors are Discord's
// `{ message, code }`; 429s carry `retry_after` and the X-RateLimit-* headers. Every request is recorded.
import type { Request, Response } from 'express';
import { FailureQueue, obj, rawBodyApp, recordRequest, startServer, str, type RecordedRequest, type RunningServer } from './http';

export interface DiscordChannelSpec {
  id: string;
  /** Absent for a DM channel. */
  guildId?: string;
  name?: string;
  /** 'no_access' → 403 50001 Missing Access; 'no_send' → 403 50013 Missing Permissions. Default 'ok'. */
  access?: 'ok' | 'no_access' | 'no_send';
  /** For a DM channel: whose DMs these are. */
  recipientId?: string;
}

export interface DiscordWebhookSpec {
  id: string;
  token: string;
  channelId: string;
  guildId?: string;
}

export interface DiscordStandinOptions {
  /** Tokens accepted after "Bot "; default ['standin-token'] (not starting with "bot": discord.js strips that). */
  botTokens?: string[];
  applicationId?: string;
  botUserId?: string;
  channels?: DiscordChannelSpec[];
  webhooks?: DiscordWebhookSpec[];
  /** What GET /gateway/bot answers; a gateway stand-in sets it later with setGatewayUrl. */
  gatewayUrl?: string;
  /** Users whose DMs are closed to the bot: sending there is 403 50007. */
  closedDms?: string[];
  /**
   * How long enforce_nonce drops a repeat. Discord: "the nonce will be checked for uniqueness in the
   * past few minutes" (Create Message, docs/resources/message); default three minutes.
   */
  nonceWindowMs?: number;
  /** The stand-in's clock, so a test can step past the nonce window. */
  now?: () => number;
}

export interface DiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  content: string;
  nonce?: string | number;
  via: 'bot' | 'webhook' | 'followup';
  webhook_id?: string;
  allowed_mentions?: unknown;
  body: Record<string, unknown>;
  edits: number;
}

export type DiscordRoute =
  | 'createMessage'
  | 'editMessage'
  | 'getChannel'
  | 'guildChannels'
  | 'executeWebhook'
  | 'getWebhook'
  | 'editWebhookMessage'
  | 'interactionCallback'
  | 'putCommands'
  | 'getGatewayBot'
  | '*';

export type DiscordFailure = { hang: true } | { status: number; code?: number; message?: string; retryAfter?: number; global?: boolean };

export interface DiscordStandin extends RunningServer {
  /** The REST base to hand to the publisher or to discord.js as `rest.api`: http://127.0.0.1:P/api */
  apiUrl: string;
  applicationId: string;
  requests: RecordedRequest[];
  messages: DiscordMessage[];
  interactionCallbacks: Array<{ id: string; token: string; body: Record<string, unknown> }>;
  /** Edits of an interaction's original response, by interaction token. */
  originalEdits: Array<{ token: string; body: Record<string, unknown> }>;
  /** Registered commands by guild id ('global' for global ones). */
  commands: Map<string, Array<Record<string, unknown>>>;
  webhookUrl(id: string): string;
  failNext(route: DiscordRoute, failure: DiscordFailure, times?: number): void;
  hangNext(route: DiscordRoute, times?: number): void;
  /** The next createMessage posts the message, then never answers: a send that landed with its answer lost. */
  loseNextAnswer(): void;
  setGatewayUrl(url: string): void;
  addChannel(spec: DiscordChannelSpec): void;
  addWebhook(spec: DiscordWebhookSpec): void;
  botUserId: string;
  /** Messages sent into DM channels, with the user they went to. */
  directMessages(): Array<DiscordMessage & { recipientId: string }>;
}

/** What @everyone may do in the stand-in's guilds: view, send, embed links, read history. */
export const EVERYONE_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n));
const SEND_MESSAGES = String(1n << 11n);

const DISCORD_EPOCH = 1_420_070_400_000n;
const MAX_CONTENT = 2000;

class DiscordHttpError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
    readonly errors?: unknown,
  ) {}
}

const rateHeaders = (res: Response, bucket: string, remaining: number, resetAfter: number) => {
  res.setHeader('X-RateLimit-Limit', '5');
  res.setHeader('X-RateLimit-Remaining', String(remaining));
  res.setHeader('X-RateLimit-Reset', String(Date.now() / 1000 + resetAfter));
  res.setHeader('X-RateLimit-Reset-After', String(resetAfter));
  res.setHeader('X-RateLimit-Bucket', bucket);
};

export async function startDiscordStandin(opts: DiscordStandinOptions = {}): Promise<DiscordStandin> {
  const botTokens = new Set(opts.botTokens ?? ['standin-token']);
  const applicationId = opts.applicationId ?? '100000000000000001';
  const botUserId = opts.botUserId ?? '100000000000000002';
  const channels = new Map((opts.channels ?? []).map((c) => [c.id, c]));
  const webhooks = new Map((opts.webhooks ?? []).map((w) => [w.id, w]));
  let gatewayUrl = opts.gatewayUrl ?? 'ws://127.0.0.1:9/';
  const requests: RecordedRequest[] = [];
  const messages: DiscordMessage[] = [];
  const interactionCallbacks: DiscordStandin['interactionCallbacks'] = [];
  const originalEdits: DiscordStandin['originalEdits'] = [];
  const commands = new Map<string, Array<Record<string, unknown>>>();
  const byNonce = new Map<string, { message: DiscordMessage; at: number }>();
  const nonceWindowMs = opts.nonceWindowMs ?? 3 * 60_000;
  let answersToLose = 0;
  const now = opts.now ?? Date.now;
  const closedDms = new Set(opts.closedDms ?? []);
  const failures = new FailureQueue<DiscordFailure>();
  let seq = 0n;
  const snowflake = () => String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (seq++ & 0xfffn));

  const requireBot = (req: Request) => {
    const m = /^Bot (.+)$/.exec(req.headers.authorization ?? '');
    if (!m || !botTokens.has(m[1] as string)) throw new DiscordHttpError(401, 0, '401: Unauthorized');
  };

  const knownChannel = (id: string, needSend: boolean) => {
    const c = channels.get(id);
    if (!c) throw new DiscordHttpError(404, 10003, 'Unknown Channel');
    if (c.access === 'no_access') throw new DiscordHttpError(403, 50001, 'Missing Access');
    if (needSend && c.access === 'no_send') throw new DiscordHttpError(403, 50013, 'Missing Permissions');
    return c;
  };

  const messageBody = (rec: RecordedRequest): Record<string, unknown> => {
    const body = obj(rec.body);
    if (!body) throw new DiscordHttpError(400, 50109, 'The request body contains invalid JSON.');
    const content = body.content;
    if (content !== undefined && typeof content !== 'string') throw formError('content', 'BASE_TYPE_STRING', 'Must be a string.');
    if (typeof content === 'string' && Array.from(content).length > MAX_CONTENT) {
      throw formError('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT} or fewer in length.`);
    }
    if (!content && !body.embeds && !body.components && !body.attachments && !body.poll) {
      throw new DiscordHttpError(400, 50006, 'Cannot send an empty message');
    }
    return body;
  };

  const toJson = (m: DiscordMessage) => ({
    id: m.id,
    type: 0,
    channel_id: m.channel_id,
    content: m.content,
    author: m.via === 'bot' ? { id: botUserId, username: 'PostForge', bot: true } : { id: m.webhook_id ?? applicationId, username: 'PostForge', bot: true },
    timestamp: new Date().toISOString(),
    edited_timestamp: m.edits > 0 ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: (m.body.embeds as unknown[] | undefined) ?? [],
    components: (m.body.components as unknown[] | undefined) ?? [],
    pinned: false,
    flags: 0,
    ...(m.nonce !== undefined ? { nonce: m.nonce } : {}),
    ...(m.webhook_id ? { webhook_id: m.webhook_id } : {}),
  });

  const app = rawBodyApp();

  /** Every route: record, apply a canned failure, turn DiscordHttpError into Discord's error shape. */
  const route = (name: DiscordRoute, handler: (req: Request, res: Response, rec: RecordedRequest) => void) => (req: Request, res: Response) => {
    const rec = recordRequest(req);
    requests.push(rec);
    const failure = failures.take(name);
    if (failure) return sendFailure(res, name, failure);
    try {
      handler(req, res, rec);
    } catch (err) {
      if (!(err instanceof DiscordHttpError)) throw err;
      res.status(err.status).json({ message: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) });
    }
  };

  app.post(
    '/api/v10/channels/:id/messages',
    route('createMessage', (req, res, rec) => {
      requireBot(req);
      const channelId = String(req.params.id);
      const c = knownChannel(channelId, true);
      if (c.recipientId && closedDms.has(c.recipientId)) throw new DiscordHttpError(403, 50007, 'Cannot send messages to this user');
      const body = messageBody(rec);
      const nonce = body.nonce;
      if (nonce !== undefined && (typeof nonce === 'string' ? nonce.length > 25 : typeof nonce !== 'number')) {
        throw formError('nonce', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      }
      const nonceKey = `${channelId}:${String(nonce)}`;
      const seen = body.enforce_nonce === true && nonce !== undefined ? byNonce.get(nonceKey) : undefined;
      const earlier = seen && now() - seen.at <= nonceWindowMs ? seen.message : undefined;
      rateHeaders(res, `channel-${channelId}`, 4, 5);
      if (earlier) return void res.json(toJson(earlier));
      const m: DiscordMessage = {
        id: snowflake(),
        channel_id: channelId,
        content: typeof body.content === 'string' ? body.content : '',
        via: 'bot',
        body,
        edits: 0,
        ...(c.guildId ? { guild_id: c.guildId } : {}),
        ...(typeof nonce === 'string' || typeof nonce === 'number' ? { nonce } : {}),
        ...(body.allowed_mentions !== undefined ? { allowed_mentions: body.allowed_mentions } : {}),
      };
      messages.push(m);
      if (nonce !== undefined && body.enforce_nonce === true) byNonce.set(nonceKey, { message: m, at: now() });
      if (answersToLose > 0) {
        answersToLose--;
        return;
      }
      res.json(toJson(m));
    }),
  );

  // The bot edits only its own messages; the new body replaces the parts it names (content, embeds, components).
  app.patch(
    '/api/v10/channels/:id/messages/:message',
    route('editMessage', (req, res, rec) => {
      requireBot(req);
      knownChannel(String(req.params.id), false);
      const m = messages.find((x) => x.id === String(req.params.message) && x.channel_id === String(req.params.id));
      if (!m) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      if (m.via !== 'bot') throw new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
      const body = messageBody(rec);
      if (typeof body.content === 'string') m.content = body.content;
      m.body = { ...m.body, ...body };
      m.edits++;
      res.json(toJson(m));
    }),
  );

  app.get(
    '/api/v10/channels/:id',
    route('getChannel', (req, res) => {
      requireBot(req);
      const c = knownChannel(String(req.params.id), false);
      // A channel the bot may not send in denies it SEND_MESSAGES by a member overwrite, as Discord would show it.
      const permission_overwrites = c.access === 'no_send' ? [{ id: botUserId, type: 1, allow: '0', deny: SEND_MESSAGES }] : [];
      res.json({ id: c.id, type: c.guildId ? 0 : 1, name: c.name ?? `channel-${c.id}`, ...(c.guildId ? { guild_id: c.guildId, permission_overwrites } : {}) });
    }),
  );

  // Every channel of a server the bot is in, as Discord lists them (no threads, and regardless of
  // which ones the bot may view). A server the bot is not in is 403 Missing Access.
  app.get(
    '/api/v10/guilds/:guild/channels',
    route('guildChannels', (req, res) => {
      requireBot(req);
      const guild = String(req.params.guild);
      const inGuild = [...channels.values()].filter((c) => c.guildId === guild);
      if (inGuild.length === 0) throw new DiscordHttpError(403, 50001, 'Missing Access');
      res.json(
        inGuild.map((c, position) => ({
          id: c.id,
          type: 0,
          guild_id: guild,
          name: c.name ?? `channel-${c.id}`,
          position,
          flags: 0,
          parent_id: null,
          topic: null,
          nsfw: false,
          rate_limit_per_user: 0,
          last_message_id: null,
          permission_overwrites: c.access === 'no_send' ? [{ id: botUserId, type: 1, allow: '0', deny: SEND_MESSAGES }] : [],
        })),
      );
    }),
  );

  // Discord's own client (@discordjs/rest) percent-encodes the '@' of '@me'; Discord accepts both.
  app.get(
    ['/api/v10/users/@me', '/api/v10/users/%40me'],
    route('*', (req, res) => {
      requireBot(req);
      res.json({ id: botUserId, username: 'PostForge', discriminator: '0', global_name: null, avatar: null, bot: true });
    }),
  );

  app.get(
    '/api/v10/guilds/:guild/roles',
    route('*', (req, res) => {
      requireBot(req);
      const guild = String(req.params.guild);
      if (![...channels.values()].some((c) => c.guildId === guild)) throw new DiscordHttpError(404, 10004, 'Unknown Guild');
      res.json([
        { id: guild, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      ]);
    }),
  );

  app.get(
    '/api/v10/guilds/:guild/members/:user',
    route('*', (req, res) => {
      requireBot(req);
      if (String(req.params.user) !== botUserId) throw new DiscordHttpError(404, 10007, 'Unknown Member');
      res.json({
        user: { id: botUserId, username: 'PostForge', bot: true },
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      });
    }),
  );

  app.post(
    ['/api/v10/users/@me/channels', '/api/v10/users/%40me/channels'],
    route('*', (req, res, rec) => {
      requireBot(req);
      const recipient = str(obj(rec.body) ?? {}, 'recipient_id');
      if (!recipient) throw formError('recipient_id', 'BASE_TYPE_REQUIRED', 'This field is required');
      let dm = [...channels.values()].find((c) => c.recipientId === recipient);
      if (!dm) {
        dm = { id: snowflake(), recipientId: recipient };
        channels.set(dm.id, dm);
      }
      res.json({ id: dm.id, type: 1, recipients: [{ id: recipient, username: `user-${recipient}` }] });
    }),
  );

  const webhookFor = (id: string, token: string) => {
    const w = webhooks.get(id);
    if (!w) throw new DiscordHttpError(404, 10015, 'Unknown Webhook');
    if (w.token !== token) throw new DiscordHttpError(401, 50027, 'Invalid Webhook Token');
    return w;
  };

  // Webhook URLs as Discord hands them out have no version segment; clients may add one.
  const webhookPaths = (suffix = '') => [`/api/v10/webhooks/:id/:token${suffix}`, `/api/webhooks/:id/:token${suffix}`];

  app.post(
    webhookPaths(),
    route('executeWebhook', (req, res, rec) => {
      const id = String(req.params.id);
      const token = String(req.params.token);
      const body = messageBody(rec);
      // The application's own "webhook" is how interaction follow-ups are sent.
      const followup = id === applicationId;
      const w = followup ? undefined : webhookFor(id, token);
      const m: DiscordMessage = {
        id: snowflake(),
        channel_id: w?.channelId ?? `interaction:${token}`,
        content: typeof body.content === 'string' ? body.content : '',
        via: followup ? 'followup' : 'webhook',
        webhook_id: id,
        body,
        edits: 0,
        ...(w?.guildId ? { guild_id: w.guildId } : {}),
        ...(body.allowed_mentions !== undefined ? { allowed_mentions: body.allowed_mentions } : {}),
      };
      messages.push(m);
      rateHeaders(res, `webhook-${id}`, 4, 2);
      if (followup || req.query.wait === 'true') res.json(toJson(m));
      else res.status(204).end();
    }),
  );

  app.get(
    webhookPaths(),
    route('getWebhook', (req, res) => {
      const w = webhookFor(String(req.params.id), String(req.params.token));
      res.json({
        id: w.id,
        type: 1,
        token: w.token,
        channel_id: w.channelId,
        name: 'PostForge',
        application_id: null,
        ...(w.guildId ? { guild_id: w.guildId } : {}),
      });
    }),
  );

  // Express decodes params, so '%40original' arrives as '@original' too.
  app.patch(
    webhookPaths('/messages/:message'),
    route('editWebhookMessage', (req, res, rec) => {
      const body = obj(rec.body) ?? {};
      const token = String(req.params.token);
      const message = String(req.params.message);
      if (String(req.params.id) !== applicationId) webhookFor(String(req.params.id), token);
      if (message === '@original') {
        originalEdits.push({ token, body });
        return void res.json({ id: snowflake(), channel_id: `interaction:${token}`, content: str(body, 'content') ?? '', ...body });
      }
      const m = messages.find((x) => x.id === message);
      if (!m) throw new DiscordHttpError(404, 10008, 'Unknown Message');
      if (typeof body.content === 'string') m.content = body.content;
      m.edits++;
      res.json(toJson(m));
    }),
  );

  app.post(
    '/api/v10/interactions/:id/:token/callback',
    route('interactionCallback', (req, res, rec) => {
      const body = obj(rec.body);
      if (!body || typeof body.type !== 'number') throw formError('type', 'BASE_TYPE_REQUIRED', 'This field is required');
      const id = String(req.params.id);
      const token = String(req.params.token);
      if (interactionCallbacks.some((c) => c.id === id)) {
        throw new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.');
      }
      if (body.type === 9) {
        const problem = modalProblem(body.data);
        if (problem) throw formError(problem.field, problem.code, problem.message);
      }
      interactionCallbacks.push({ id, token, body });
      if (req.query.with_response === 'true') return void res.json({ interaction: { id, type: 2 }, resource: { type: body.type } });
      res.status(204).end();
    }),
  );

  const putCommands = (guild: string) =>
    route('putCommands', (req, res, rec) => {
      requireBot(req);
      if (String(req.params.app) !== applicationId) throw new DiscordHttpError(403, 50001, 'Missing Access');
      const body = rec.body;
      if (!Array.isArray(body)) throw formError('_root', 'ARRAY_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      const guildId = guild === 'param' ? String(req.params.guild) : 'global';
      body.forEach((c: unknown, n: number) => checkCommand(obj(c) ?? {}, String(n)));
      const saved = body.map((c: unknown) => ({
        id: snowflake(),
        application_id: applicationId,
        version: snowflake(),
        type: 1,
        ...(guildId === 'global' ? {} : { guild_id: guildId }),
        ...(obj(c) ?? {}),
      }));
      commands.set(guildId, saved);
      res.json(saved);
    });
  app.put('/api/v10/applications/:app/guilds/:guild/commands', putCommands('param'));
  app.put('/api/v10/applications/:app/commands', putCommands('global'));

  app.get(
    '/api/v10/gateway/bot',
    route('getGatewayBot', (req, res) => {
      requireBot(req);
      res.json({ url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } });
    }),
  );

  app.use(
    route('*', (_req, res) => {
      res.status(404).json({ message: '404: Not Found', code: 0 });
    }),
  );

  const server = await startServer(app);
  return {
    ...server,
    apiUrl: `${server.url}/api`,
    applicationId,
    requests,
    messages,
    interactionCallbacks,
    originalEdits,
    commands,
    webhookUrl(id) {
      const w = webhooks.get(id);
      if (!w) throw new Error(`no webhook ${id} in the Discord stand-in`);
      return `${server.url}/api/webhooks/${w.id}/${w.token}`;
    },
    failNext: (name, failure, times = 1) => failures.add(name, failure, times),
    hangNext: (name, times = 1) => failures.add(name, { hang: true }, times),
    loseNextAnswer: () => void answersToLose++,
    setGatewayUrl: (url) => void (gatewayUrl = url),
    botUserId,
    directMessages: () =>
      messages.flatMap((m) => {
        const recipientId = channels.get(m.channel_id)?.recipientId;
        return recipientId ? [{ ...m, recipientId }] : [];
      }),
    addChannel: (spec) => void channels.set(spec.id, spec),
    addWebhook: (spec) => void webhooks.set(spec.id, spec),
  };
}

/**
 * A modal as Discord's Component Reference documents it (developers/components/reference.mdx, "Label",
 * "Text Input"; interactions/receiving-and-responding.mdx, "Modal"): 1-5 top-level components; a text
 * input sits in a Label (type 18: `label` ≤ 45, `description` ≤ 100, one `component`), not in an
 * action row, and has no `label` of its own (both deprecated). Discord still takes the deprecated
 * form for now; the stand-in holds the bot to the documented one so it cannot drift back.
 * Answers the first problem as Discord names form errors, or undefined for a good modal.
 */
/**
 * Discord's limits on a command and its options (Application Commands, "Application Command
 * Naming" and the option structure): lowercase names of 1–32, descriptions of 1–100, at most 25
 * options and 25 choices, required options before optional ones, and subcommands never mixed with
 * plain options.
 */
function checkCommand(c: Record<string, unknown>, path: string): void {
  const name = c.name;
  if (typeof name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name))
    throw formError(`${path}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  const description = c.description;
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    throw formError(`${path}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const options = (Array.isArray(c.options) ? c.options : []) as Array<Record<string, unknown>>;
  if (options.length > 25) throw formError(`${path}.options`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const subs = options.filter((o) => o.type === 1 || o.type === 2).length;
  if (subs && subs !== options.length)
    throw formError(
      `${path}.options`,
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
  let optionalSeen = false;
  options.forEach((o, n) => {
    checkCommand(o, `${path}.options.${n}`);
    if (o.required === true && optionalSeen)
      throw formError(`${path}.options`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    if (o.required !== true) optionalSeen = true;
    if (Array.isArray(o.choices) && o.choices.length > 25)
      throw formError(`${path}.options.${n}.choices`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    if (o.autocomplete === true && Array.isArray(o.choices) && o.choices.length) {
      throw formError(`${path}.options.${n}.autocomplete`, 'AUTOCOMPLETE_CHOICES', 'Autocomplete cannot be set with choices');
    }
  });
}

export function modalProblem(data: unknown): { field: string; code: string; message: string } | undefined {
  const m = obj(data);
  const bad = (field: string, message: string, code = 'BASE_TYPE_BAD_LENGTH') => ({ field, code, message });
  if (!m) return bad('data', 'This field is required', 'BASE_TYPE_REQUIRED');
  const len = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
  if (!len(m.custom_id, 1, 100)) return bad('data.custom_id', 'Must be between 1 and 100 in length.');
  if (!len(m.title, 1, 45)) return bad('data.title', 'Must be between 1 and 45 in length.');
  const components = Array.isArray(m.components) ? m.components : [];
  if (components.length < 1 || components.length > 5) return bad('data.components', 'Must be between 1 and 5 in length.');
  for (const [i, raw] of components.entries()) {
    const c = obj(raw) ?? {};
    const at = `data.components.${i}`;
    if (c.type === 10) continue; // Text Display
    if (c.type !== 18)
      return bad(
        `${at}.type`,
        `Component type ${String(c.type)} is not a documented top-level modal component; wrap inputs in a Label (18).`,
        'COMPONENT_TYPE_INVALID',
      );
    if (!len(c.label, 1, 45)) return bad(`${at}.label`, 'Must be between 1 and 45 in length.');
    if (c.description !== undefined && !len(c.description, 0, 100)) return bad(`${at}.description`, 'Must be 100 or fewer in length.');
    const input = obj(c.component);
    if (!input || input.type !== 4) continue; // selects, uploads: not used by PostForge, not checked here
    const inp = `${at}.component`;
    if (!len(input.custom_id, 1, 100)) return bad(`${inp}.custom_id`, 'Must be between 1 and 100 in length.');
    if (input.style !== 1 && input.style !== 2) return bad(`${inp}.style`, 'Value must be one of {1, 2}.', 'BASE_TYPE_CHOICES');
    if ('label' in input) return bad(`${inp}.label`, 'A text input in a Label takes its label from the Label.', 'COMPONENT_FIELD_DEPRECATED');
    if (input.value !== undefined && !len(input.value, 0, 4000)) return bad(`${inp}.value`, 'Must be 4000 or fewer in length.');
    if (input.placeholder !== undefined && !len(input.placeholder, 0, 100)) return bad(`${inp}.placeholder`, 'Must be 100 or fewer in length.');
    for (const [k, min] of [
      ['max_length', 1],
      ['min_length', 0],
    ] as const) {
      const v = input[k];
      if (v !== undefined && (typeof v !== 'number' || v < min || v > 4000))
        return bad(`${inp}.${k}`, `int value should be between ${min} and 4000.`, 'NUMBER_TYPE_MAX');
    }
  }
  return undefined;
}

function formError(field: string, code: string, message: string): DiscordHttpError {
  return new DiscordHttpError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

function sendFailure(res: Response, name: DiscordRoute, failure: DiscordFailure): void {
  if ('hang' in failure) return;
  if (failure.status === 429) {
    const retryAfter = failure.retryAfter ?? 1;
    rateHeaders(res, `canned-${name}`, 0, retryAfter);
    res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    if (failure.global) res.setHeader('X-RateLimit-Global', 'true');
    res.setHeader('X-RateLimit-Scope', failure.global ? 'global' : 'user');
    res.status(429).json({
      message: failure.message ?? 'You are being rate limited.',
      retry_after: retryAfter,
      global: Boolean(failure.global),
      ...(failure.code !== undefined ? { code: failure.code } : {}),
    });
    return;
  }
  res.status(failure.status).json({ message: failure.message ?? `${failure.status}: Canned failure`, code: failure.code ?? 0 });
}
