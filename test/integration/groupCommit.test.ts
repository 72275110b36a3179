// Group commit on FerretDB: inserts that arrive together are written with one insertMany
// (ordered: false), and each caller still learns its own outcome, duplicates included.
import type { Database } from '../../core/db';
import { groupInserter } from '../../core/groupCommit';
import { testDatabase } from '../helpers/common';

let db: Database;
beforeAll(async () => {
  db = await testDatabase('groupcommit');
});
afterAll(async () => {
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
});

it('one batch: inserted, already there, a twin in the same batch; each told apart', async () => {
  const inbox = db.db.collection<{ _id: string; n: number }>('group_check');
  await inbox.insertOne({ _id: 'taken', n: 0 });
  const grouped = groupInserter(inbox, { windowMs: 5 });
  const outcomes = await Promise.all([
    grouped.insert({ _id: 'a', n: 1 }),
    grouped.insert({ _id: 'taken', n: 2 }),
    grouped.insert({ _id: 'b', n: 3 }),
    grouped.insert({ _id: 'a', n: 4 }),
  ]);
  expect(outcomes).toEqual([true, false, true, false]);
  expect(await inbox.find({}).sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'a', n: 1 },
    { _id: 'b', n: 3 },
    { _id: 'taken', n: 0 },
  ]);
});

it('a full batch is written at once, and later inserts start a new one', async () => {
  const inbox = db.db.collection<{ _id: string }>('group_full');
  const grouped = groupInserter(inbox, { windowMs: 10_000, maxBatch: 3 });
  const first = await Promise.all(['x1', 'x2', 'x3'].map((_id) => grouped.insert({ _id })));
  expect(first).toEqual([true, true, true]);
  expect(await inbox.countDocuments({})).toBe(3);
});

it('oneWriteAtATime: never two insertMany in flight; what comes meanwhile is the next batch, written as soon as the first ends', async () => {
  const real = db.db.collection<{ _id: string }>('group_serial');
  let inFlight = 0;
  let most = 0;
  const batches: string[][] = [];
  // The real collection, with each insertMany held 30 ms longer: a busy database file.
  const slow = new Proxy(real, {
    get(target, prop, r) {
      if (prop !== 'insertMany') return Reflect.get(target, prop, r) as unknown;
      return async (docs: { _id: string }[], o: object) => {
        batches.push(docs.map((d) => d._id));
        most = Math.max(most, ++inFlight);
        try {
          await new Promise((res) => setTimeout(res, 30));
          return await target.insertMany(docs, o);
        } finally {
          inFlight--;
        }
      };
    },
  });
  const grouped = groupInserter(slow, { windowMs: 2, oneWriteAtATime: true });
  const first = Promise.all(['s1', 's2'].map((_id) => grouped.insert({ _id })));
  await new Promise((r) => setTimeout(r, 10)); // the first batch is being written now
  const later = Promise.all(['s3', 's4', 's1'].map((_id) => grouped.insert({ _id })));
  expect(await first).toEqual([true, true]);
  expect(await later).toEqual([true, true, false]);
  expect(most).toBe(1);
  expect(batches).toEqual([
    ['s1', 's2'],
    ['s3', 's4', 's1'],
  ]);
  expect(await real.countDocuments({})).toBe(4);
});
