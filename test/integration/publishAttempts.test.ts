// The publish attempt record on its plain path: a first send inserts its in-flight marker (the
// unique `_id` says nothing was recorded before) instead of reading and then upserting it, and every
// attempt that finds a record still answers from it as before. The real activity (a
// MockActivityEnvironment gives it a context) on FerretDB; the destination is a recorder.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Database } from '../../core/db';
import type { Target, TargetResult } from '../../core/domain';
import { createGenerator } from '../../core/generation';
import { publishActivities, publishKey } from '../../worker/activities/publish';
import type { Publishers } from '../../worker/activities/publishers';
import { testConfig, testDatabase } from '../helpers/common';
import { recordingDb } from '../helpers/recordingDb';

let db: Database;
const sent: string[] = [];

beforeAll(async () => {
  db = await testDatabase('publish-attempts');
});
afterAll(async () => {
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
});

const publishers: Publishers = {
  publish: async (_target, call) => {
    sent.push(call.postId);
    return { externalId: `m-${call.postId}` };
  },
};
const config = testConfig();
const activitiesOn = (d: Database) => publishActivities({ db: d, config, generator: createGenerator({ model: config.ANTHROPIC_MODEL }) }, publishers);
// A Discord channel webhook: its credential is its URL (nothing to read), and it does not drop repeats.
const target: Target = { kind: 'discord', webhookUrl: 'https://discord.com/api/webhooks/1/abc' };
const run = (d: Database, postId: string, t: Target = target): Promise<TargetResult> =>
  new MockActivityEnvironment().run(activitiesOn(d).publishToTarget, { postId, accountId: 'person:p', authorId: 'm', target: t, text: `Post ${postId}` });

it('a first send writes its attempt twice (the marker, then the outcome) and reads it never', async () => {
  const { db: watched, queries } = recordingDb(db);
  expect((await run(watched, 'first')).outcome).toBe('published');
  expect(sent.filter((p) => p === 'first')).toHaveLength(1);
  expect(queries.filter((q) => q.collection === 'publishAttempts').map((q) => q.op)).toEqual(['updateOne']);
  expect(await db.publishAttempts.findOne({ _id: publishKey('first', target) })).toMatchObject({
    state: 'published',
    attempts: 1,
    postId: 'first',
    externalId: 'm-first',
  });
});

/** An attempt an earlier run left behind, in the given state. */
async function seedAttempt(postId: string, state: 'attempting' | 'retry'): Promise<void> {
  await db.publishAttempts.insertOne({ _id: publishKey(postId, target), postId, targetKey: 'discord', state, attempts: 1, updatedAt: new Date() });
}

it('an attempt that finds its record answers from it: published stays published, sent once', async () => {
  await run(db, 'twice');
  expect((await run(db, 'twice')).outcome).toBe('published');
  expect(sent.filter((p) => p === 'twice')).toHaveLength(1);
});

it('a send a dead worker left in flight is not sent again to a destination that cannot drop repeats', async () => {
  await seedAttempt('died', 'attempting');
  const out = await run(db, 'died');
  expect(out.outcome).toBe('unconfirmed');
  expect(sent.filter((p) => p === 'died')).toHaveLength(0);
});

it('a retry after a refusal that did not land is a fresh attempt (counted), and no credentials means failed without a send', async () => {
  await seedAttempt('again', 'retry');
  expect((await run(db, 'again')).outcome).toBe('published');
  expect(await db.publishAttempts.findOne({ _id: publishKey('again', target) })).toMatchObject({ state: 'published', attempts: 2 });

  // A channel reached through the bot, with no bot token configured: nothing to send with.
  const botChannel: Target = { kind: 'discord', channelId: '910000000000000010' };
  const out = await run(db, 'nobot', botChannel);
  expect(out.outcome).toBe('failed');
  expect(sent.filter((p) => p === 'nobot')).toHaveLength(0);
  expect(await db.publishAttempts.findOne({ _id: publishKey('nobot', botChannel) })).toMatchObject({ state: 'failed', attempts: 0 });
});
