// An acknowledged command is never lost: real processes (Temporal dev server, FerretDB, the worker
// and the API as their own Node processes, as `npm start` runs them), a signed Slack slash command
// and a signed Discord /post, the API killed with SIGKILL right after each ack and started again;
// the Slack/Discord stand-in still gets the preview exactly once, and the draft arrives.
import { createHmac, sign as edSign } from 'node:crypto';
import { startNodeChild, type NodeChild } from '../../bench/child';
import {
  DISCORD_ACCOUNT,
  DISCORD_APP_ID,
  DISCORD_CHANNELS,
  DISCORD_GUILD,
  DISCORD_SIGNING_KEY,
  SLACK_ACCOUNT,
  SLACK_CHANNELS,
  SLACK_SIGNING_SECRET,
  startBenchStack,
  type BenchStack,
} from '../../bench/stack';
import { readyLine } from '../../core/log';
import { eventually } from '../helpers/common';

jest.setTimeout(240_000);

let stack: BenchStack;
let api: NodeChild | undefined;

async function startApi(): Promise<void> {
  api = startNodeChild('api', 'api/main.ts', stack.env);
  await api.waitForLine(readyLine('api'), 120_000);
}

beforeAll(async () => {
  stack = await startBenchStack({ label: 'edgecrash', api: false });
  await stack.newAccount('slack-crash', { accountId: SLACK_ACCOUNT, credits: 5 });
  await stack.newAccount('discord-crash', { accountId: DISCORD_ACCOUNT, credits: 5 });
  await startApi();
});

afterAll(async () => {
  await api?.stop();
  await stack?.stop();
});

const json = (v: unknown): string => JSON.stringify(v) ?? '';

it('Slack: the API dies right after acknowledging /postforge write; the preview is posted once and the draft arrives', async () => {
  const topic = 'What survives a kill -9 after the Slack ack';
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0STANDIN',
    team_domain: 'standin',
    channel_id: SLACK_CHANNELS.ok,
    channel_name: 'bench',
    user_id: 'U0CRASH',
    user_name: 'crash',
    command: '/postforge',
    text: `write ${topic}`,
    api_app_id: 'A0STANDIN',
    response_url: stack.slack.responseUrl('crash'),
    trigger_id: stack.slack.issueTrigger(),
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(`${stack.apiUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { text: string }).text).toContain('Drafting');
  await api!.kill9();
  await startApi();

  const previews = () => stack.slack.messages.filter((m) => m.channel === SLACK_CHANNELS.ok && json(m.blocks).includes(topic));
  await eventually(async () => previews().length > 0, { what: 'the preview message', timeoutMs: 60_000 });
  await eventually(async () => (await stack.db.posts.findOne({ accountId: SLACK_ACCOUNT, topic }))?.status === 'draft', {
    what: 'the draft',
    timeoutMs: 90_000,
  });
  await new Promise((r) => setTimeout(r, 2_000));
  expect(previews()).toHaveLength(1);
  expect(await stack.db.posts.countDocuments({ accountId: SLACK_ACCOUNT, topic })).toBe(1);
});

it('Discord: the API dies right after deferring /post; the preview edit arrives once and the draft follows', async () => {
  const topic = 'What survives a kill -9 after the Discord ack';
  const id = '700000000000000042';
  const token = `crash-token-${id}-${'x'.repeat(60)}`;
  const permissions = String((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 14n));
  const body = JSON.stringify({
    id,
    application_id: DISCORD_APP_ID,
    type: 2,
    data: { id: '800000000000000001', name: 'post', type: 1, options: [{ name: 'topic', type: 3, value: topic }] },
    guild_id: DISCORD_GUILD,
    channel_id: DISCORD_CHANNELS.ok,
    channel: { id: DISCORD_CHANNELS.ok, type: 0, name: 'bench' },
    member: {
      user: { id: '500000000000000042', username: 'crash', discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    token,
    version: 1,
    app_permissions: String((1n << 10n) | (1n << 11n) | (1n << 14n)),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': DISCORD_GUILD },
    context: 0,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${stack.apiUrl}/discord/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': edSign(null, Buffer.from(ts + body), DISCORD_SIGNING_KEY).toString('hex'),
      'x-signature-timestamp': ts,
    },
    body,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ type: 5, data: { flags: 64 } });
  await api!.kill9();
  await startApi();

  const edits = () => stack.discord.originalEdits.filter((e) => e.token === token).map((e) => json(e.body));
  // The first edit of the deferred reply is the "drafting" preview; the workflow's draft milestone edits it again.
  await eventually(async () => (await stack.db.posts.findOne({ accountId: DISCORD_ACCOUNT, topic }))?.status === 'draft', {
    what: 'the draft',
    timeoutMs: 90_000,
  });
  await eventually(async () => edits().some((e) => e.includes('pf:post:approve:')), { what: 'the draft in the reply', timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 2_000));
  const previews = edits().filter((e) => e.includes(topic) && !e.includes('pf:post:approve:'));
  expect(previews).toHaveLength(1);
  expect(await stack.db.posts.countDocuments({ accountId: DISCORD_ACCOUNT, topic })).toBe(1);
});
