// A local Slack Web API: POST /api/<method>, form-encoded or JSON, Bearer token, HTTP 200 with
// `{ ok: false, error }` for every failure but rate limits, like the real one. Enough methods for the
// publisher and the Slack bot; every call is recorded. Also a receiver for `response_url` posts.
import type { Request, Response } from 'express';
import {
  FailureQueue,
  bearerToken,
  obj,
  rawBodyApp,
  recordRequest,
  sendCanned,
  startServer,
  type CannedFailure,
  type RecordedRequest,
  type RunningServer,
} from './http';

export interface SlackBotIdentity {
  teamId?: string;
  botUserId?: string;
  botId?: string;
}

export interface SlackChannelSpec {
  id: string;
  name?: string;
  /** Whether the bot is in the channel; default true. */
  isMember?: boolean;
  isArchived?: boolean;
  isPrivate?: boolean;
  /** User ids in the channel, for chat.postEphemeral; default: anyone. */
  members?: string[];
  /** The workspace the channel belongs to; only bot tokens of that workspace can see it. Default T0STANDIN. */
  teamId?: string;
}

export interface SlackUserSpec {
  id: string;
  name?: string;
  realName?: string;
  tz?: string;
  tzLabel?: string;
  tzOffset?: number;
  email?: string;
  /** Workspace admin / owner, as users.info reports them. */
  isAdmin?: boolean;
  isOwner?: boolean;
}

export interface SlackStandinOptions {
  /** Bot tokens that authenticate; a list, or token → identity. Default: ['xoxb-standin']. */
  tokens?: string[] | Record<string, SlackBotIdentity>;
  channels?: SlackChannelSpec[];
  users?: SlackUserSpec[];
  /** The OAuth app `oauth.v2.access` accepts; default client id `standin-client`, secret `standin-secret`. */
  oauth?: { clientId: string; clientSecret: string };
  /** How long a trigger_id can open a modal after Slack sent it; Slack documents 3 seconds. */
  triggerLifetimeMs?: number;
}

/** What one authorization code turns into at `oauth.v2.access`: a workspace and its new bot token. */
export interface SlackInstallGrant {
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId?: string;
  botId?: string;
  userId?: string;
  scope?: string;
}

export interface SlackCall {
  method: string;
  /** Form values are strings; `blocks`, `view`, `attachments` and `metadata` sent as JSON strings are parsed. */
  args: Record<string, unknown>;
  token?: string;
  contentType?: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  user: string;
  botId: string;
  threadTs?: string;
  edits: number;
  args: Record<string, unknown>;
}

export interface SlackView {
  id: string;
  via: 'views.open' | 'views.publish' | 'views.update';
  triggerId?: string;
  userId?: string;
  view: Record<string, unknown>;
}

/** A string is the `error` of `{ ok: false }`; `status` answers with that HTTP status (429 sets Retry-After); `delayMs` answers normally, late. */
export type SlackFailure = string | { status: number; retryAfter?: number; body?: unknown } | { hang: true } | { delayMs: number };

export interface SlackStandin extends RunningServer {
  /** The Web API base to hand to WebClient / Bolt as slackApiUrl: http://127.0.0.1:P/api/ */
  apiUrl: string;
  calls: SlackCall[];
  requests: RecordedRequest[];
  messages: SlackMessage[];
  ephemerals: SlackMessage[];
  views: SlackView[];
  responses: Array<{ id: string; body: unknown }>;
  /** A response_url on this stand-in; posts to it land in `responses`. */
  responseUrl(id: string): string;
  failNext(method: string, failure: SlackFailure, times?: number): void;
  hangNext(method: string, times?: number): void;
  /** The next calls of `method` are answered as usual, but only after `ms`. */
  slowNext(method: string, ms: number, times?: number): void;
  /**
   * A trigger_id as Slack puts it in a slash command or an interaction it sends now: views.open takes
   * it once, within the trigger lifetime (3 s); unknown ids are `invalid_trigger_id`.
   */
  issueTrigger(id?: string): string;
  addChannel(spec: SlackChannelSpec): void;
  /** An authorization code `oauth.v2.access` will exchange once; its bot token then authenticates. */
  grantCode(code: string, grant: SlackInstallGrant): void;
  setMember(channelId: string, isMember: boolean): void;
  callsTo(method: string): SlackCall[];
}

const JSON_ARGS = ['blocks', 'view', 'attachments', 'metadata'];
/** Slack's plain_text_input: `initial_value` and `max_length` at most 3,000 characters. */
const PLAIN_TEXT_INPUT_MAX = 3000;
const TEAM = { id: 'T0STANDIN', domain: 'standin' };

type Handler = (args: Record<string, unknown>, bot: Required<SlackBotIdentity>) => Record<string, unknown> | string;

export async function startSlackStandin(opts: SlackStandinOptions = {}): Promise<SlackStandin> {
  const tokens = new Map<string, Required<SlackBotIdentity>>();
  const tokenSpec = opts.tokens ?? ['xoxb-standin'];
  const entries: Array<[string, SlackBotIdentity]> = Array.isArray(tokenSpec) ? tokenSpec.map((t) => [t, {}]) : Object.entries(tokenSpec);
  for (const [t, id] of entries) {
    tokens.set(t, { teamId: id.teamId ?? TEAM.id, botUserId: id.botUserId ?? 'U0BOTUSER', botId: id.botId ?? 'B0BOT' });
  }
  const channels = new Map<string, SlackChannelSpec>((opts.channels ?? []).map((c) => [c.id, { ...c }]));
  const users = new Map<string, SlackUserSpec>((opts.users ?? []).map((u) => [u.id, u]));
  const calls: SlackCall[] = [];
  const requests: RecordedRequest[] = [];
  const messages: SlackMessage[] = [];
  const ephemerals: SlackMessage[] = [];
  const views: SlackView[] = [];
  const responses: Array<{ id: string; body: unknown }> = [];
  const failures = new FailureQueue<SlackFailure>();
  const oauthApp = opts.oauth ?? { clientId: 'standin-client', clientSecret: 'standin-secret' };
  const grants = new Map<string, SlackInstallGrant>();

  /** Like Slack: client credentials in the form body or as HTTP Basic auth; each code works once. */
  const oauthV2Access = (req: Request, a: Record<string, unknown>): Record<string, unknown> | string => {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1] ?? '', 'base64')
          .toString('utf8')
          .split(':', 2)
      : [a.client_id, a.client_secret];
    if (id !== oauthApp.clientId) return 'invalid_client_id';
    if (secret !== oauthApp.clientSecret) return 'bad_client_secret';
    const grant = typeof a.code === 'string' ? grants.get(a.code) : undefined;
    if (!grant) return 'invalid_code';
    grants.delete(a.code as string);
    const bot = { teamId: grant.teamId, botUserId: grant.botUserId ?? 'U0BOTUSER', botId: grant.botId ?? 'B0BOT' };
    tokens.set(grant.botToken, bot);
    return {
      app_id: 'A0STANDIN',
      authed_user: { id: grant.userId ?? 'U0INSTALLER' },
      scope: grant.scope ?? 'commands,chat:write',
      token_type: 'bot',
      access_token: grant.botToken,
      bot_user_id: bot.botUserId,
      team: { id: grant.teamId, name: grant.teamName ?? 'Installed Team' },
      enterprise: null,
      is_enterprise_install: false,
    };
  };
  const triggerLifetimeMs = opts.triggerLifetimeMs ?? 3000;
  const triggers = new Map<string, { issuedAt: number; used: boolean }>();
  let triggerSeq = 0;
  let seq = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  /** By id, or by name with or without '#', as Slack resolves it; a token sees only its own workspace's channels. */
  const findChannel = (ref: unknown, teamId: string): SlackChannelSpec | undefined => {
    if (typeof ref !== 'string') return undefined;
    const name = ref.replace(/^#/, '');
    const c = channels.get(ref) ?? [...channels.values()].find((x) => x.name === name && (x.teamId ?? TEAM.id) === teamId);
    return c && (c.teamId ?? TEAM.id) === teamId ? c : undefined;
  };

  /** The channel a bot may post in, or the error Slack gives. */
  const postable = (ref: unknown, teamId: string): SlackChannelSpec | string => {
    const c = findChannel(ref, teamId);
    if (!c || (c.isPrivate && c.isMember === false)) return 'channel_not_found';
    if (c.isArchived) return 'is_archived';
    if (c.isMember === false) return 'not_in_channel';
    return c;
  };

  const hasContent = (a: Record<string, unknown>) => Boolean(a.text || a.blocks || a.attachments);
  const permalink = (channel: string, ts: string) => `https://${TEAM.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

  const channelInfo = (c: SlackChannelSpec) => ({
    id: c.id,
    name: c.name ?? c.id.toLowerCase(),
    is_channel: !c.isPrivate,
    is_group: Boolean(c.isPrivate),
    is_private: Boolean(c.isPrivate),
    is_archived: Boolean(c.isArchived),
    is_member: c.isMember !== false,
  });

  const methods: Record<string, Handler> = {
    'auth.test': (_a, bot) => ({
      url: `https://${TEAM.domain}.slack.com/`,
      team: 'Stand-in Team',
      user: 'postforge',
      team_id: bot.teamId,
      user_id: bot.botUserId,
      bot_id: bot.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (a, bot) => {
      const c = postable(a.channel, bot.teamId);
      if (typeof c === 'string') return c;
      if (!hasContent(a)) return 'no_text';
      if (typeof a.blocks === 'string') return 'invalid_blocks';
      if (typeof a.text === 'string' && a.text.length > 40_000) return 'msg_too_long';
      const msg: SlackMessage = {
        channel: c.id,
        ts: nextTs(),
        user: bot.botUserId,
        botId: bot.botId,
        edits: 0,
        args: a,
        ...(typeof a.text === 'string' ? { text: a.text } : {}),
        ...(a.blocks !== undefined ? { blocks: a.blocks } : {}),
        ...(typeof a.thread_ts === 'string' ? { threadTs: a.thread_ts } : {}),
      };
      messages.push(msg);
      return {
        channel: c.id,
        ts: msg.ts,
        message: { type: 'message', text: msg.text ?? '', user: msg.user, bot_id: msg.botId, ts: msg.ts, blocks: msg.blocks },
      };
    },
    'chat.update': (a, bot) => {
      const c = findChannel(a.channel, bot.teamId);
      if (!c) return 'channel_not_found';
      const msg = messages.find((m) => m.channel === c.id && m.ts === a.ts);
      if (!msg) return 'message_not_found';
      if (msg.botId !== bot.botId) return 'cant_update_message';
      if (!hasContent(a)) return 'no_text';
      if (typeof a.text === 'string') msg.text = a.text;
      if (a.blocks !== undefined) msg.blocks = a.blocks;
      msg.edits++;
      return { channel: c.id, ts: msg.ts, text: msg.text ?? '', message: { text: msg.text ?? '', blocks: msg.blocks, ts: msg.ts } };
    },
    'chat.postEphemeral': (a, bot) => {
      const c = postable(a.channel, bot.teamId);
      if (typeof c === 'string') return c;
      if (typeof a.user !== 'string' || a.user === '') return 'user_not_found';
      if (c.members && !c.members.includes(a.user)) return 'user_not_in_channel';
      if (!hasContent(a)) return 'no_text';
      const msg: SlackMessage = { channel: c.id, ts: nextTs(), user: bot.botUserId, botId: bot.botId, edits: 0, args: a };
      if (typeof a.text === 'string') msg.text = a.text;
      if (a.blocks !== undefined) msg.blocks = a.blocks;
      ephemerals.push(msg);
      return { message_ts: msg.ts };
    },
    'chat.getPermalink': (a, bot) => {
      const c = findChannel(a.channel, bot.teamId);
      if (!c) return 'channel_not_found';
      if (!messages.some((m) => m.channel === c.id && m.ts === a.message_ts)) return 'message_not_found';
      return { channel: c.id, permalink: permalink(c.id, String(a.message_ts)) };
    },
    'conversations.info': (a, bot) => {
      const c = findChannel(a.channel, bot.teamId);
      if (!c || (c.isPrivate && c.isMember === false)) return 'channel_not_found';
      return { channel: channelInfo(c) };
    },
    'views.open': (a) => openView('views.open', a),
    'views.publish': (a) => openView('views.publish', a),
    'views.update': (a) => {
      const existing = views.find((v) => v.id === a.view_id || (a.external_id && v.view.external_id === a.external_id));
      if (!existing) return 'not_found';
      return openView('views.update', a, existing.id);
    },
    'users.info': (a, bot) => {
      const u = typeof a.user === 'string' ? users.get(a.user) : undefined;
      if (!u) return 'user_not_found';
      const realName = u.realName ?? u.name ?? u.id;
      return {
        user: {
          id: u.id,
          team_id: bot.teamId,
          name: u.name ?? u.id.toLowerCase(),
          deleted: false,
          color: '9f69e7',
          real_name: realName,
          tz: u.tz ?? 'America/Los_Angeles',
          tz_label: u.tzLabel ?? 'Pacific Standard Time',
          tz_offset: u.tzOffset ?? -28_800,
          // As Slack reports roles: an owner is also an admin; the primary owner is one of the owners.
          is_admin: Boolean(u.isAdmin || u.isOwner),
          is_owner: Boolean(u.isOwner),
          is_primary_owner: false,
          is_restricted: false,
          is_ultra_restricted: false,
          is_bot: false,
          is_app_user: false,
          updated: 1_700_000_000,
          profile: { real_name: realName, display_name: u.name ?? '', ...(u.email ? { email: u.email } : {}) },
        },
      };
    },
  };

  function openView(via: SlackView['via'], a: Record<string, unknown>, id?: string): Record<string, unknown> | string {
    const view = obj(a.view);
    if (!view || typeof view.type !== 'string') return 'invalid_arguments';
    if (!inputsFit(view)) return 'invalid_arguments';
    if (via === 'views.open') {
      if (typeof a.trigger_id !== 'string' || a.trigger_id === '') return 'invalid_arguments';
      const trigger = triggers.get(a.trigger_id);
      if (!trigger) return 'invalid_trigger_id';
      if (trigger.used) return 'exchanged_trigger_id';
      if (Date.now() - trigger.issuedAt > triggerLifetimeMs) return 'expired_trigger_id';
      trigger.used = true;
    }
    if (via === 'views.publish' && (typeof a.user_id !== 'string' || a.user_id === '')) return 'invalid_arguments';
    const rec: SlackView = {
      id: id ?? `V${String(views.length + 1).padStart(8, '0')}`,
      via,
      view,
      ...(typeof a.trigger_id === 'string' ? { triggerId: a.trigger_id } : {}),
      ...(typeof a.user_id === 'string' ? { userId: a.user_id } : {}),
    };
    views.push(rec);
    return { view: { id: rec.id, team_id: TEAM.id, ...view, hash: `h${views.length}` } };
  }

  const app = rawBodyApp();

  app.post('/api/:method', async (req: Request, res: Response) => {
    const rec = recordRequest(req);
    requests.push(rec);
    const method = String(req.params.method);
    const args = normalizeArgs(obj(rec.body) ?? {});
    const token = bearerToken(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    calls.push({ method, args, ...(token ? { token } : {}), ...(rec.headers['content-type'] ? { contentType: rec.headers['content-type'] } : {}) });

    const failure = failures.take(method);
    if (failure !== undefined && typeof failure === 'object' && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    else if (failure !== undefined) return sendSlackFailure(res, failure);
    if (method === 'oauth.v2.access') {
      const out = oauthV2Access(req, args);
      return res.json(typeof out === 'string' ? { ok: false, error: out } : { ok: true, ...out });
    }
    const handler = methods[method];
    if (!handler) return res.json({ ok: false, error: 'unknown_method', req_method: method });
    const bot = token ? tokens.get(token) : undefined;
    if (!bot) return res.json({ ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    const out = handler(args, bot);
    if (typeof out === 'string') return res.json({ ok: false, error: out });
    res.json({ ok: true, ...out });
  });

  app.post('/response/:id', (req, res) => {
    const rec = recordRequest(req);
    requests.push(rec);
    responses.push({ id: String(req.params.id), body: rec.body });
    res.json({ ok: true });
  });

  app.use((_req, res) => res.status(404).send('Not Found'));

  const server = await startServer(app);
  return {
    ...server,
    apiUrl: `${server.url}/api/`,
    calls,
    requests,
    messages,
    ephemerals,
    views,
    responses,
    responseUrl: (id) => `${server.url}/response/${encodeURIComponent(id)}`,
    failNext: (method, failure, times = 1) => failures.add(method, failure, times),
    hangNext: (method, times = 1) => failures.add(method, { hang: true }, times),
    slowNext: (method, ms, times = 1) => failures.add(method, { delayMs: ms }, times),
    issueTrigger(id) {
      const triggerId = id ?? `${Date.now()}.${++triggerSeq}.standin${triggerSeq.toString(16).padStart(8, '0')}`;
      triggers.set(triggerId, { issuedAt: Date.now(), used: false });
      return triggerId;
    },
    addChannel: (spec) => void channels.set(spec.id, { ...spec }),
    grantCode: (code, grant) => void grants.set(code, grant),
    setMember(channelId, isMember) {
      const c = channels.get(channelId);
      if (!c) throw new Error(`no channel ${channelId} in the Slack stand-in`);
      c.isMember = isMember;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
  };
}

/** Every plain_text_input in the view's blocks within Slack's 3,000-character limits. */
function inputsFit(view: Record<string, unknown>): boolean {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
  return blocks.every((b) => {
    const el = obj(obj(b)?.element);
    if (!el || el.type !== 'plain_text_input') return true;
    if (typeof el.initial_value === 'string' && el.initial_value.length > PLAIN_TEXT_INPUT_MAX) return false;
    if (typeof el.max_length === 'number' && el.max_length > PLAIN_TEXT_INPUT_MAX) return false;
    return true;
  });
}

function normalizeArgs(body: Record<string, unknown>): Record<string, unknown> {
  const args = { ...body };
  for (const k of JSON_ARGS) {
    const v = args[k];
    if (typeof v !== 'string') continue;
    try {
      args[k] = JSON.parse(v) as unknown;
    } catch {
      // Left as the string it was; handlers then reject it as Slack does.
    }
  }
  return args;
}

function sendSlackFailure(res: Response, failure: SlackFailure): void {
  if (typeof failure === 'string') {
    res.json({ ok: false, error: failure });
    return;
  }
  if ('hang' in failure || 'delayMs' in failure) return;
  const canned: CannedFailure = {
    status: failure.status,
    body: failure.body ?? { ok: false, error: failure.status === 429 ? 'ratelimited' : 'fatal_error' },
    ...(failure.retryAfter !== undefined || failure.status === 429 ? { headers: { 'Retry-After': String(failure.retryAfter ?? 1) } } : {}),
  };
  sendCanned(res, canned);
}
