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
