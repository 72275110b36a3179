import { createDiscordPublisher, discordNonce, PublishError, type DiscordPublisher } from '../../../worker/publishers';
import { closedPortUrl } from '../../standins/http';
import { startDiscordStandin, type DiscordStandin } from '../../standins/discord';

const BOT = 'standin-token';
/** The stand-in's webhook URLs are on 127.0.0.1, as on a self-hosted install (ALLOW_PRIVATE_WEBHOOK_HOSTS=true). */
const LOCAL = { allowPrivate: true };
const GUILD = '900000000000000001';
const CHANNEL = '900000000000000010';
const DM = '900000000000000020';
const HIDDEN = '900000000000000030';
const WEBHOOK = { id: '900000000000000040', token: 'hook-token', channelId: CHANNEL, guildId: GUILD };

async function rejection(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

let discord: DiscordStandin;
let publisher: DiscordPublisher;
const toChannel = (text: string, opts: { channelId?: string; key?: string; botToken?: string; p?: DiscordPublisher } = {}) =>
  (opts.p ?? publisher).publish({
    target: { kind: 'discord', channelId: opts.channelId ?? CHANNEL },
    text,
    idempotencyKey: opts.key ?? 'publish:p1:discord',
    credentials: { botToken: opts.botToken ?? BOT },
  });
const toWebhook = (text: string, webhookUrl: string, p: DiscordPublisher = publisher) =>
  p.publish({ target: { kind: 'discord', webhookUrl }, text, idempotencyKey: 'publish:p1:hook', credentials: {} });
const posts = () => discord.requests.filter((r) => r.method === 'POST');

beforeEach(async () => {
  discord = await startDiscordStandin({
    botTokens: [BOT],
    channels: [{ id: CHANNEL, guildId: GUILD, name: 'announcements' }, { id: DM }, { id: HIDDEN, guildId: GUILD, access: 'no_access' }],
    webhooks: [WEBHOOK],
  });
  publisher = createDiscordPublisher({ apiBaseUrl: discord.apiUrl, timeoutMs: 2_000, outbound: LOCAL });
});
afterEach(() => discord.close());

describe('discordNonce', () => {
  it('is at most 25 characters, stable for a key and different across keys', () => {
    const a = discordNonce('publish:p1:discord:1');
    expect(a.length).toBeLessThanOrEqual(25);
    expect(a).toMatch(/^[0-9a-z]+$/);
    expect(discordNonce('publish:p1:discord:1')).toBe(a);
    expect(discordNonce('publish:p1:discord:2')).not.toBe(a);
  });
});

describe('Discord publisher, channel target', () => {
  it('posts with the bot token, a nonce and no mentions, and links the message in its guild', async () => {
    const out = await toChannel('Hello @everyone');

    expect(discord.messages).toHaveLength(1);
    const msg = discord.messages[0]!;
    expect(out).toEqual({ externalId: msg.id, url: `https://discord.com/channels/${GUILD}/${CHANNEL}/${msg.id}` });
    const req = posts()[0]!;
    expect(req.path).toBe(`/api/v10/channels/${CHANNEL}/messages`);
    expect(req.headers.authorization).toBe(`Bot ${BOT}`);
    expect(req.headers['user-agent']).toMatch(/^DiscordBot \(/);
    expect(req.body).toEqual({
      content: 'Hello @everyone',
      nonce: discordNonce('publish:p1:discord'),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
  });

  it('links a DM message under @me', async () => {
    const out = await toChannel('hi', { channelId: DM });
    expect(out.url).toBe(`https://discord.com/channels/@me/${DM}/${out.externalId}`);
  });

  it('looks a channel guild up once, not on every post', async () => {
    await toChannel('one', { key: 'k1' });
    await toChannel('two', { key: 'k2' });
    expect(discord.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('publishing the same idempotency key twice leaves one message (nonce dedupe)', async () => {
    const first = await toChannel('once');
    const second = await toChannel('once');
    expect(second.externalId).toBe(first.externalId);
    expect(discord.messages).toHaveLength(1);
    expect(posts()).toHaveLength(2);

    await toChannel('once', { key: 'another-post' });
    expect(discord.messages).toHaveLength(2);
  });

  it('treats a hang past the deadline as retryable, since a retry is deduplicated', async () => {
    discord.hangNext('createMessage');
    const quick = createDiscordPublisher({ apiBaseUrl: discord.apiUrl, timeoutMs: 150, outbound: LOCAL });
    const err = await rejection(toChannel('hi', { p: quick }));
    expect(err).toMatchObject({ kind: 'retryable', code: 'timeout' });
    await toChannel('hi', { p: quick });
    expect(discord.messages).toHaveLength(1);
  });

  it('refuses more than 2,000 characters before sending, and sends exactly 2,000', async () => {
    const err = await rejection(toChannel('x'.repeat(2001)));
    expect(err.kind).toBe('permanent');
    expect(posts()).toHaveLength(0);
    await toChannel('x'.repeat(2000));
    expect(discord.messages[0]!.content).toHaveLength(2000);
  });

  it('turns a bad bot token into a permanent 401', async () => {
    const err = await rejection(toChannel('hi', { botToken: 'wrong' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(err.message).toMatch(/bot token/);
  });

  it('needs a bot token for a channel target', async () => {
    const err = await rejection(publisher.publish({ target: { kind: 'discord', channelId: CHANNEL }, text: 'hi', idempotencyKey: 'k', credentials: {} }));
    expect(err.kind).toBe('permanent');
    expect(discord.requests).toHaveLength(0);
  });

  it('explains 50001 Missing Access', async () => {
    const err = await rejection(toChannel('hi', { channelId: HIDDEN }));
    expect(err).toMatchObject({ kind: 'permanent', status: 403, code: '50001' });
    expect(err.message).toMatch(/cannot see .*50001 Missing Access/);
  });

  it('explains 10003 Unknown Channel', async () => {
    const err = await rejection(toChannel('hi', { channelId: '900000000000000099' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 404, code: '10003' });
  });

  it('treats 429 as retryable after retry_after', async () => {
    discord.failNext('createMessage', { status: 429, retryAfter: 1.5 });
    const err = await rejection(toChannel('hi'));
    expect(err).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 1500 });
    expect(discord.messages).toHaveLength(0);
  });

  it('treats 500 as retryable', async () => {
    discord.failNext('createMessage', { status: 500 });
    expect(await rejection(toChannel('hi'))).toMatchObject({ kind: 'retryable', status: 500 });
  });

  it('treats connection refused as retryable', async () => {
    const down = createDiscordPublisher({ apiBaseUrl: `${await closedPortUrl()}/api`, timeoutMs: 2_000, outbound: LOCAL });
    expect(await rejection(toChannel('hi', { p: down }))).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });

  it('still succeeds, without a url, when the guild lookup fails', async () => {
    discord.failNext('getChannel', { status: 500 });
    const out = await toChannel('hi');
    expect(out).toEqual({ externalId: discord.messages[0]!.id });
  });
});

describe('Discord publisher, webhook target', () => {
  it('posts to the webhook with wait=true, no token, and no mentions', async () => {
    const out = await toWebhook('Hello via hook', discord.webhookUrl(WEBHOOK.id));

    const msg = discord.messages[0]!;
    expect(out).toEqual({ externalId: msg.id, url: `https://discord.com/channels/${GUILD}/${CHANNEL}/${msg.id}` });
    const req = posts()[0]!;
    expect(req.path).toBe(`/api/webhooks/${WEBHOOK.id}/${WEBHOOK.token}`);
    expect(req.query).toEqual({ wait: 'true' });
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({ content: 'Hello via hook', allowed_mentions: { parse: [] } });
  });

  it('treats a hang as an unknown outcome: webhooks take no nonce', async () => {
    discord.hangNext('executeWebhook');
    const quick = createDiscordPublisher({ apiBaseUrl: discord.apiUrl, timeoutMs: 150, outbound: LOCAL });
    expect(await rejection(toWebhook('hi', discord.webhookUrl(WEBHOOK.id), quick))).toMatchObject({ kind: 'unknown_outcome' });
  });

  it('says to create a new webhook when it was deleted (10015) or its token is wrong', async () => {
    const gone = await rejection(toWebhook('hi', `${discord.url}/api/webhooks/900000000000000041/x`));
    expect(gone).toMatchObject({ kind: 'permanent', status: 404, code: '10015' });
    expect(gone.message).toMatch(/create a new/);
    const wrong = await rejection(toWebhook('hi', `${discord.url}/api/webhooks/${WEBHOOK.id}/not-the-token`));
    expect(wrong).toMatchObject({ kind: 'permanent', status: 401 });
  });
});
