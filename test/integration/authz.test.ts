// Who may do what, as an attacker would try it through the public API, the real worker and Temporal:
// another tenant's Slack channel or Discord server, another member's post, another tenant's webhook
// signature.
import { createInstallationStore } from '../../bots/slack/installationStore';
import { ensureAccount } from '../../core/accounts';
import { issueApiKey } from '../../core/apiKeys';
import { balanceOf } from '../../core/ledger';
import { insertPostRecord } from '../../core/postRecords';
import type { PostDoc } from '../../core/records';
import type { Installation } from '@slack/bolt';
import { postWorkflowId } from '../../core/temporal';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../../worker/publishers/webhook';
import type { PostLifecycleInput } from '../../core/lifecycle';
import { startDiscordStandin, type DiscordStandin } from '../standins/discord';
import { startSlackStandin, type SlackStandin } from '../standins/slack';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

const TEAM_A = 'T0AAA';
const TEAM_B = 'T0BBB';
const SLACK_A = 'C0AAAGEN';
const SLACK_B = 'C0BBBGEN';
const GUILD_1 = '311111111111111111';
const GUILD_2 = '322222222222222222';
const DISCORD_1 = '411111111111111111';
const DISCORD_2 = '422222222222222222';

let stack: Stack;
let slack: SlackStandin;
let discord: DiscordStandin;
let sink: WebhookSink;
/** The secrets the webhook receiver trusts right now. */
let trusted: string[] = [];

beforeAll(async () => {
  slack = await startSlackStandin({
    tokens: { 'xoxb-team-a': { teamId: TEAM_A }, 'xoxb-team-b': { teamId: TEAM_B } },
    channels: [
      { id: SLACK_A, name: 'general', teamId: TEAM_A },
      { id: SLACK_B, name: 'general', teamId: TEAM_B },
    ],
  });
  discord = await startDiscordStandin({
    channels: [
      { id: DISCORD_1, guildId: GUILD_1, name: 'one' },
      { id: DISCORD_2, guildId: GUILD_2, name: 'two' },
    ],
  });
  sink = await startWebhookSink({ secret: () => trusted });
  stack = await startStack('authz', {
    config: {
      // Single-workspace mode for team A; team B installs through OAuth (its installation is stored below).
      SLACK_BOT_TOKEN: 'xoxb-team-a',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_BOT_TOKEN: 'standin-token',
      DISCORD_API_URL: discord.apiUrl,
      WEBHOOK_SECRET_GRACE: '4s',
      PUBLISH_TIMEOUT: '2s',
    },
  });
  await createInstallationStore(stack.db, stack.config).storeInstallation({
    team: { id: TEAM_B, name: 'Team B' },
    enterprise: undefined,
    user: { id: 'U0BINSTALLER', token: undefined, scopes: undefined },
    bot: { token: 'xoxb-team-b', scopes: ['chat:write'], id: 'B0B', userId: 'U0BOTB' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  } as Installation);
}, 120_000);

afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await Promise.all([slack?.close(), discord?.close(), sink?.close()]);
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}

/** A member's key in an account (created with its welcome credits if new). */
async function keyFor(accountId: string, memberId: string, role: 'admin' | 'member' = 'member') {
  const kind = accountId.split(':')[0] as 'slack' | 'discord' | 'person';
  await ensureAccount(stack.db, { _id: accountId, kind, name: accountId }, stack.config.FREE_CREDITS);
  const { key } = await issueApiKey(stack.db, { accountId, memberId, label: 'test', role });
  return { accountId, memberId, auth: { authorization: `Bearer ${key}` } };
}

const soon = (ms = 1000) => new Date(Date.now() + ms).toISOString();
const postDoc = (id: string) => stack.db.posts.findOne({ _id: id }) as Promise<PostDoc | null>;
const settled = (id: string, status: string) =>
  eventually(
    async () => {
      const d = await postDoc(id);
      return d?.status === status ? d : undefined;
    },
    { what: `post ${id} ${status}`, timeoutMs: 45_000 },
  );

describe('targets belong to the caller', () => {
  it("a key of one Slack workspace cannot post into another's channel, nor a person's key into any; each workspace posts with its own token", async () => {
    const a = await keyFor(`slack:${TEAM_A}`, `slack:${TEAM_A}:U0A`);
    const b = await keyFor(`slack:${TEAM_B}`, `slack:${TEAM_B}:U0B`);
    const person = await keyFor('person:mallory', 'mallory');
    const posts = await stack.db.posts.countDocuments();

    for (const [who, channel] of [
      [a, SLACK_B],
      [b, SLACK_A],
      [person, SLACK_A],
    ] as const) {
      const before = await balanceOf(stack.db, who.accountId);
      const res = await api('POST', '/v1/posts', who.auth, { text: 'into someone else’s channel', targets: [{ kind: 'slack', channel }], scheduledAt: soon() });
      expect({ who: who.accountId, status: res.status, type: res.type }).toEqual({
        who: who.accountId,
        status: 403,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(String(res.body.detail)).toContain(`Slack channel ${channel}`);
      expect(res.body.issues).toEqual([{ path: 'targets.0', message: res.body.detail }]);
      expect(await balanceOf(stack.db, who.accountId)).toBe(before);
    }
    expect(await stack.db.posts.countDocuments()).toBe(posts);

    // Each workspace's own channel works, through its own token only.
    const okA = await api('POST', '/v1/posts', a.auth, { text: 'Team A news', targets: [{ kind: 'slack', channel: SLACK_A }], scheduledAt: soon() });
    const okB = await api('POST', '/v1/posts', b.auth, { text: 'Team B news', targets: [{ kind: 'slack', channel: SLACK_B }], scheduledAt: soon() });
    expect([okA.status, okB.status]).toEqual([202, 202]);
    await settled(okA.body.id as string, 'published');
    await settled(okB.body.id as string, 'published');
    const sent = slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('news'));
    expect(sent.map((c) => [c.args.channel, c.token]).sort()).toEqual([
      [SLACK_A, 'xoxb-team-a'],
      [SLACK_B, 'xoxb-team-b'],
    ]);
  });

  it("a key of one Discord server cannot post into another server's channel, nor a person's key into any", async () => {
    const one = await keyFor(`discord:${GUILD_1}`, `discord:${GUILD_1}:501`);
    const person = await keyFor('person:eve', 'eve');
    const posts = await stack.db.posts.countDocuments();
    for (const [who, channelId] of [
      [one, DISCORD_2],
      [person, DISCORD_1],
    ] as const) {
      const res = await api('POST', '/v1/posts', who.auth, { text: 'into another server', targets: [{ kind: 'discord', channelId }], scheduledAt: soon() });
      expect({ status: res.status, type: res.type }).toEqual({ status: 403, type: expect.stringContaining('application/problem+json') });
      expect(String(res.body.detail)).toContain(`Discord channel ${channelId}`);
    }
    expect(await stack.db.posts.countDocuments()).toBe(posts);
    // It asked the server's own channel list.
    expect(discord.requests.some((r) => r.method === 'GET' && r.path === `/api/v10/guilds/${GUILD_1}/channels`)).toBe(true);

    const ok = await api('POST', '/v1/posts', one.auth, { text: 'Server one news', targets: [{ kind: 'discord', channelId: DISCORD_1 }], scheduledAt: soon() });
    expect(ok.status).toBe(202);
    await settled(ok.body.id as string, 'published');
    expect(discord.messages.filter((m) => m.content === 'Server one news').map((m) => m.channel_id)).toEqual([DISCORD_1]);
    expect(discord.messages.some((m) => m.channel_id === DISCORD_2)).toBe(false);
  });

  it('a post created before the check (straight into its workflow) is stopped when it publishes, and refunded', async () => {
    const started: Array<{ accountId: string; postId: string; balance: number }> = [];
    const start = async (accountId: string, targets: PostLifecycleInput['targets']) => {
      await ensureAccount(
        stack.db,
        { _id: accountId, kind: accountId.startsWith('discord:') ? 'discord' : 'person', name: accountId },
        stack.config.FREE_CREDITS,
      );
      const postId = `${Date.now().toString(16)}${String(started.length).padStart(4, '0')}`.padEnd(24, 'a').slice(0, 24);
      const input: PostLifecycleInput = {
        postId,
        accountId,
        authorId: `${accountId}:author`,
        source: 'api',
        text: `Smuggled in by ${accountId}`,
        tone: 'professional',
        language: 'en',
        targets,
        scheduledAt: new Date().toISOString(),
        timeZone: 'UTC',
        requireApproval: false,
      };
      const balance = await balanceOf(stack.db, accountId);
      await insertPostRecord(stack.db, input);
      await stack.env.client.workflow.start('postLifecycle', {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId: postWorkflowId(postId),
        args: [{ ...input, draftExpiryMs: 60_000, pauseLimitMs: 60_000, notify: { kind: 'none' } }],
      });
      started.push({ accountId, postId, balance });
    };
    await start('person:smuggler', [{ kind: 'slack', channel: SLACK_A }]);
    await start(`discord:${GUILD_1}`, [{ kind: 'discord', channelId: DISCORD_2 }]);
    await start('person:smuggler2', [{ kind: 'discord', channelId: DISCORD_1 }]);

    for (const { accountId, postId, balance } of started) {
      const doc = await settled(postId, 'failed');
      expect(doc.results[0]).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/this account|Discord server/) });
      await eventually(async () => (await stack.db.ledger.countDocuments({ _id: `refund:${postId}` })) === 1, { what: `the refund of ${postId}` });
      expect(await balanceOf(stack.db, accountId)).toBe(balance);
    }
    expect(slack.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('Smuggled'))).toBe(false);
    expect(discord.messages.some((m) => m.content.includes('Smuggled'))).toBe(false);
  });
});

describe('only the author or an admin changes a post', () => {
  it("another member's key gets 403 on edit, reschedule, approve and cancel; an admin key may cancel", async () => {
    const account = `slack:${TEAM_A}`;
    const alice = await keyFor(account, `slack:${TEAM_A}:U0ALICE`);
    const bob = await keyFor(account, `slack:${TEAM_A}:U0BOB`);
    const carol = await keyFor(account, `slack:${TEAM_A}:U0CAROL`, 'admin');

    const created = await api('POST', '/v1/posts', alice.auth, {
      text: 'In my own words',
      targets: [{ kind: 'linkedin' }],
      requireApproval: true,
      scheduledAt: soon(3_600_000),
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await settled(id, 'draft');

    const attempts: Array<[string, string, unknown]> = [
      ['PATCH', `/v1/posts/${id}`, { content: 'Words Alice never wrote' }],
      ['PATCH', `/v1/posts/${id}`, { scheduledAt: soon(7_200_000) }],
      ['POST', `/v1/posts/${id}/approve`, undefined],
      ['DELETE', `/v1/posts/${id}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(method, path, bob.auth, body);
      expect({ method, path, status: res.status, type: res.type }).toEqual({
        method,
        path,
        status: 403,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(String(res.body.detail)).toMatch(/Only the author of post .* or an admin/);
    }
    const untouched = await postDoc(id);
    expect(untouched).toMatchObject({ status: 'draft', content: 'In my own words' });
    // Reading stays open to the whole account.
    expect((await api('GET', `/v1/posts/${id}`, bob.auth)).status).toBe(200);

    // Keys say their role.
    expect((await api('GET', '/v1/me', bob.auth)).body.member).toEqual({ id: bob.memberId, role: 'member' });
    expect((await api('GET', '/v1/me', carol.auth)).body.member).toEqual({ id: carol.memberId, role: 'admin' });

    // The author may change it; an admin may cancel it.
    expect((await api('PATCH', `/v1/posts/${id}`, alice.auth, { content: 'In my own, better words' })).status).toBe(200);
    expect((await api('DELETE', `/v1/posts/${id}`, carol.auth)).status).toBe(200);
    await settled(id, 'canceled');
  });
});

describe('per-account webhook signing secrets', () => {
  const signatures = (postId: string) =>
    sink.requests
      .filter((r) => r.path === '/hook' && String(r.headers['idempotency-key']).includes(postId))
      .map((r) => ({ raw: r.rawBody, headers: r.headers }));

  it("one account's delivery verifies with its own secret and never with another account's", async () => {
    const a = await stack.newAccount('hooks-a');
    const b = await stack.newAccount('hooks-b');
    expect(a.webhookSecret).not.toBe(b.webhookSecret);
    trusted = [a.webhookSecret];

    const fromA = await api('POST', '/v1/posts', a.auth, { text: 'from A', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon() });
    await settled(fromA.body.id as string, 'published');
    // B points a post at A's endpoint: signed with B's secret, A's receiver refuses it.
    const fromB = await api('POST', '/v1/posts', b.auth, {
      text: 'from B, pretending',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: soon(),
    });
    await settled(fromB.body.id as string, 'failed');

    const [deliveryA] = signatures(fromA.body.id as string);
    const [deliveryB] = signatures(fromB.body.id as string);
    expect(verifyWebhookSignature(deliveryA!.raw, deliveryA!.headers, a.webhookSecret)).toBe(true);
    expect(verifyWebhookSignature(deliveryA!.raw, deliveryA!.headers, b.webhookSecret)).toBe(false);
    expect(verifyWebhookSignature(deliveryB!.raw, deliveryB!.headers, b.webhookSecret)).toBe(true);
    expect(verifyWebhookSignature(deliveryB!.raw, deliveryB!.headers, a.webhookSecret)).toBe(false);
    // Nothing is signed with the server-wide secret any more.
    expect(verifyWebhookSignature(deliveryA!.raw, deliveryA!.headers, 'postforge-local-webhook-secret')).toBe(false);
  });

  it('rotation: both signatures during the grace period, only the new one after; the secret is shown once', async () => {
    const c = await stack.newAccount('hooks-rotate');
    const old = c.webhookSecret;
    // Made once (by newAccount): asking again shows nothing.
    const again = await api('POST', '/v1/webhook-secret', c.auth);
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(old);
    const status = await api('GET', '/v1/webhook-secret', c.auth);
    expect(status.body).toMatchObject({ configured: true, current: { fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) }, previous: [], graceSeconds: 4 });
    expect(JSON.stringify(status.body)).not.toContain('whsec_');

    const rotated = await api('POST', '/v1/webhook-secret/rotate', c.auth);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(rotated.body.previous).toMatchObject({
      fingerprint: status.body.current && (status.body.current as Json).fingerprint,
      validUntil: expect.any(String),
    });
    const sealed = await stack.db.db.collection('webhook_secrets').find({ accountId: c.accountId }).toArray();
    expect(sealed).toHaveLength(2);
    expect(JSON.stringify(sealed)).not.toContain(fresh.slice(6));

    // During the grace period: two v1= values, each verifying with its own secret.
    trusted = [old];
    const during = await api('POST', '/v1/posts', c.auth, {
      text: 'during the grace period',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: soon(200),
    });
    await settled(during.body.id as string, 'published');
    const [d1] = signatures(during.body.id as string);
    expect(String(d1!.headers[SIGNATURE_HEADER]).split(',')).toHaveLength(2);
    expect(verifyWebhookSignature(d1!.raw, d1!.headers, old)).toBe(true);
    expect(verifyWebhookSignature(d1!.raw, d1!.headers, fresh)).toBe(true);

    // After it: only the new secret signs.
    await new Promise((r) => setTimeout(r, 4_500));
    trusted = [fresh];
    const after = await api('POST', '/v1/posts', c.auth, {
      text: 'after the grace period',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: soon(200),
    });
    await settled(after.body.id as string, 'published');
    const [d2] = signatures(after.body.id as string);
    expect(String(d2!.headers[SIGNATURE_HEADER]).split(',')).toHaveLength(1);
    expect(verifyWebhookSignature(d2!.raw, d2!.headers, fresh)).toBe(true);
    expect(verifyWebhookSignature(d2!.raw, d2!.headers, old)).toBe(false);
    expect((await api('GET', '/v1/webhook-secret', c.auth)).body.previous).toEqual([]);
  }, 60_000);

  it("in a workspace only an admin key may create or rotate the workspace's secret", async () => {
    const account = `slack:${TEAM_B}`;
    const member = await keyFor(account, `slack:${TEAM_B}:U0MEMBER`);
    const admin = await keyFor(account, `slack:${TEAM_B}:U0ADMIN`, 'admin');
    for (const path of ['/v1/webhook-secret', '/v1/webhook-secret/rotate']) {
      const res = await api('POST', path, member.auth);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    const made = await api('POST', '/v1/webhook-secret/rotate', admin.auth);
    expect(made.status).toBe(200);
    expect(made.body.secret).toMatch(/^whsec_/);
  });
});
