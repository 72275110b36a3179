// Discord drops a repeated message nonce (enforce_nonce) only "in the past few minutes" (Create
// Message, Discord's docs). The publish activity resends a channel post whose answer was lost, which
// is safe inside that window; past it a resend could post twice, so the target becomes unconfirmed.
// Runs the real activity (MockActivityEnvironment gives it a context) on FerretDB against the Discord
// stand-in, whose nonce memory expires like Discord's.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Database } from '../../core/db';
import type { TargetResult } from '../../core/domain';
import { DISCORD_NONCE_WINDOW_MS, publishActivities, publishKey } from '../../worker/activities/publish';
import { createDiscordPublisher } from '../../worker/publishers';
import type { Publishers } from '../../worker/activities/publishers';
import { createGenerator } from '../../core/generation';
import { startDiscordStandin, type DiscordStandin } from '../standins/discord';
import { testConfig, testDatabase } from '../helpers/common';

const BOT = 'standin-token';
const GUILD = '910000000000000001';
const CHANNEL = '910000000000000010';

let db: Database;
let discord: DiscordStandin;
let clock = Date.now();
let activities: ReturnType<typeof publishActivities>;

beforeAll(async () => {
  db = await testDatabase('discord-nonce');
  discord = await startDiscordStandin({ botTokens: [BOT], channels: [{ id: CHANNEL, guildId: GUILD, name: 'news' }], now: () => clock });
  const config = testConfig({ DISCORD_BOT_TOKEN: BOT, DISCORD_API_URL: discord.apiUrl });
  const discordPublisher = createDiscordPublisher({ apiBaseUrl: discord.apiUrl, timeoutMs: 400 });
  const publishers: Publishers = {
    publish: (target, call) => {
      if (target.kind !== 'discord') throw new Error('only Discord here');
      return discordPublisher.publish({ ...call, target, credentials: call.credentials as { botToken?: string } });
    },
  };
  activities = publishActivities({ db, config, generator: createGenerator({ model: config.ANTHROPIC_MODEL }) }, publishers);
});
afterAll(async () => {
  await discord?.close();
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
});

const target = { kind: 'discord' as const, channelId: CHANNEL };
const input = (postId: string) => ({ postId, accountId: `discord:${GUILD}`, authorId: 'u1', target, text: `Post ${postId}` });
const run = (postId: string): Promise<TargetResult> => new MockActivityEnvironment().run(activities.publishToTarget, input(postId));
const sendsOf = (postId: string) =>
  discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${CHANNEL}/messages`) && JSON.stringify(r.body).includes(`Post ${postId}`));

it('resends a post whose answer was lost inside the nonce window: Discord drops the repeat, one message', async () => {
  discord.loseNextAnswer();
  await expect(run('n1')).rejects.toThrow(/did not answer within 400 ms; sending again is safe/);
  expect((await db.publishAttempts.findOne({ _id: publishKey('n1', target) }))?.uncertainSince).toBeInstanceOf(Date);

  clock += 60_000;
  const out = await run('n1');
  expect(out.outcome).toBe('published');
  expect(sendsOf('n1')).toHaveLength(2);
  expect(discord.messages.filter((m) => m.content === 'Post n1')).toHaveLength(1);
});

it('past the window it does not resend (that would post twice): the target is unconfirmed and says to check', async () => {
  discord.loseNextAnswer();
  await expect(run('n2')).rejects.toThrow(/sending again is safe/);
  const first = await db.publishAttempts.findOne({ _id: publishKey('n2', target) });

  // Temporal's backoff (5 s doubling to 5 min) can bring the next attempt here well after the window.
  clock += DISCORD_NONCE_WINDOW_MS + 60_000;
  await db.publishAttempts.updateOne({ _id: first!._id }, { $set: { uncertainSince: new Date(Date.now() - DISCORD_NONCE_WINDOW_MS - 1_000) } });
  const out = await run('n2');
  expect(out.outcome).toBe('unconfirmed');
  expect(out.error).toMatch(/may have been posted.*no longer drops a repeat that old.*Check the channel/);
  expect(sendsOf('n2')).toHaveLength(1);
  expect(discord.messages.filter((m) => m.content === 'Post n2')).toHaveLength(1);
});

it('a worker that died mid-send long ago is not resent either', async () => {
  await db.publishAttempts.insertOne({
    _id: publishKey('n3', target),
    postId: 'n3',
    targetKey: 'discord',
    state: 'attempting',
    attempts: 1,
    updatedAt: new Date(Date.now() - DISCORD_NONCE_WINDOW_MS - 5_000),
  });
  const out = await run('n3');
  expect(out.outcome).toBe('unconfirmed');
  expect(sendsOf('n3')).toHaveLength(0);
});

it('a failure that certainly did not land (429) is retried at any age', async () => {
  discord.failNext('createMessage', { status: 429, retryAfter: 0.01 });
  await expect(run('n4')).rejects.toThrow(/429/);
  expect((await db.publishAttempts.findOne({ _id: publishKey('n4', target) }))?.uncertainSince).toBeUndefined();
  clock += 10 * 60_000;
  expect((await run('n4')).outcome).toBe('published');
});
