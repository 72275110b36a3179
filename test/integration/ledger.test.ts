// The credit ledger on FerretDB, whose updates are read-then-write: the balance must still never
// go below zero, and every movement must happen exactly once.
import { ensureAccount } from '../../core/accounts';
import type { Database } from '../../core/db';
import { appendToLedger, balanceOf, checkLedger } from '../../core/ledger';
import { creditActivities } from '../../worker/activities/credits';
import { expectLedgersConsistent, testConfig, testDatabase } from '../helpers/common';
import { recordingDb, scans } from '../helpers/recordingDb';

let db: Database;
beforeAll(async () => {
  db = await testDatabase('ledger');
});
afterEach(async () => {
  await expectLedgersConsistent(db);
});
afterAll(async () => {
  await db.db.dropDatabase();
  await db.close();
});

describe('credit ledger', () => {
  it('grants the welcome credits exactly once, however many first requests race', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => ensureAccount(db, { _id: 'person:racer', kind: 'person', name: 'Racer' }, 10)));
    expect(await balanceOf(db, 'person:racer')).toBe(10);
    expect(results.every((r) => r.account._id === 'person:racer')).toBe(true);
    expect(await db.ledger.countDocuments({ accountId: 'person:racer' })).toBe(1);
    expect(await db.accounts.countDocuments({ _id: 'person:racer' })).toBe(1);
  });

  it('100 concurrent charges against 10 credits: exactly 10 succeed, balance ends at 0', async () => {
    await ensureAccount(db, { _id: 'person:busy', kind: 'person', name: 'Busy' }, 10);
    const { chargeCredit } = creditActivities({
      db,
      config: testConfig(),
      generator: {
        generate: async () => {
          throw new Error('unused');
        },
      },
    });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => chargeCredit({ accountId: 'person:busy', postId: `p${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok)).toHaveLength(90);
    expect(await balanceOf(db, 'person:busy')).toBe(0);
    const check = await checkLedger(db, 'person:busy');
    expect(check.entries).toBe(11);
    expect(check.problems).toEqual([]);
  });

  it('a charge or refund retried with the same key moves credits once', async () => {
    await ensureAccount(db, { _id: 'person:retry', kind: 'person', name: 'Retry' }, 3);
    const acts = creditActivities({
      db,
      config: testConfig(),
      generator: {
        generate: async () => {
          throw new Error('unused');
        },
      },
    });
    await Promise.all([1, 2, 3, 4, 5].map(() => acts.chargeCredit({ accountId: 'person:retry', postId: 'same' })));
    expect(await balanceOf(db, 'person:retry')).toBe(2);
    await Promise.all([1, 2, 3].map(() => acts.refundCredit({ accountId: 'person:retry', postId: 'same', reason: 'test' })));
    expect(await balanceOf(db, 'person:retry')).toBe(3);
    // Refunding a post that was never charged gives nothing.
    expect(await acts.refundCredit({ accountId: 'person:retry', postId: 'never-charged', reason: 'test' })).toEqual({ refunded: false });
    expect(await balanceOf(db, 'person:retry')).toBe(3);
  });

  it('only a clawback may take the balance below zero', async () => {
    await ensureAccount(db, { _id: 'person:claw', kind: 'person', name: 'Claw' }, 1);
    const debit = await appendToLedger(db, 'person:claw', 'manual:1', { amount: -5, kind: 'charge', reason: 'too much' });
    expect(debit).toEqual({ ok: false, reason: 'insufficient_credits', balance: 1 });
    const claw = await appendToLedger(db, 'person:claw', 'clawback:ch_1', { amount: -5, kind: 'clawback', reason: 'refund' }, { allowNegative: true });
    expect(claw.ok && claw.entry.balanceAfter).toBe(-4);
  });

  it('appends by the head shortcut, and a lagging or missing shortcut never breaks the chain', async () => {
    const id = 'person:shortcut';
    const move = (key: string, amount: number) => appendToLedger(db, id, key, { amount, kind: amount > 0 ? 'grant' : 'charge', reason: key });
    await move('g1', 5);
    await move('c1', -1);
    await move('c2', -1);
    expect(await db.ledgerHeads.findOne({ _id: id })).toMatchObject({ seq: 3, balanceAfter: 3 });

    // A shortcut left behind (a slower writer set it back): the next append still lands on seq 4.
    await db.ledgerHeads.updateOne({ _id: id }, { $set: { seq: 1, balanceAfter: 5 } });
    const after = await move('c3', -1);
    expect(after.ok && [after.entry.seq, after.entry.balanceAfter]).toEqual([4, 2]);
    expect(await db.ledgerHeads.findOne({ _id: id })).toMatchObject({ seq: 4, balanceAfter: 2 });

    // No shortcut at all (a ledger written before it existed): read from the chain, then kept.
    await db.ledgerHeads.deleteOne({ _id: id });
    await move('c4', -1);
    await move('c5', -1);
    expect(await db.ledgerHeads.findOne({ _id: id })).toMatchObject({ seq: 6, balanceAfter: 0 });
    // Still never below zero, however stale the shortcut says the balance is.
    await db.ledgerHeads.updateOne({ _id: id }, { $set: { seq: 1, balanceAfter: 5 } });
    expect(await move('c6', -1)).toEqual({ ok: false, reason: 'insufficient_credits', balance: 0 });
    expect(await checkLedger(db, id)).toMatchObject({ balance: 0, sum: 0, entries: 6, problems: [] });

    // No shortcut and a credit: it tries seq 1 first (a new account's case) and, finding the chain
    // taken, appends after its real head.
    await db.ledgerHeads.deleteOne({ _id: id });
    const grant = await move('g2', 2);
    expect(grant.ok && [grant.entry.seq, grant.entry.balanceAfter]).toEqual([7, 2]);
    expect(await checkLedger(db, id)).toMatchObject({ balance: 2, sum: 2, entries: 7, problems: [] });
  });

  it('50 concurrent charges on each of 4 accounts: chains stay whole, shortcuts never run ahead', async () => {
    const ids = ['a', 'b', 'c', 'd'].map((x) => `person:heads-${x}`);
    for (const id of ids) await ensureAccount(db, { _id: id, kind: 'person', name: id }, 30);
    const charges = creditActivities({
      db,
      config: testConfig(),
      generator: {
        generate: async () => {
          throw new Error('unused');
        },
      },
    });
    const results = await Promise.all(
      ids.flatMap((accountId) => Array.from({ length: 50 }, (_, i) => charges.chargeCredit({ accountId, postId: `${accountId}-p${i}` }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(4 * 30);
    for (const id of ids) {
      const check = await checkLedger(db, id);
      expect(check).toMatchObject({ balance: 0, entries: 31, problems: [] });
      // Concurrent writers may leave it behind (FerretDB updates are read-then-write), never ahead,
      // and what it says is exactly what the chain says at that seq.
      const shortcut = await db.ledgerHeads.findOne({ _id: id });
      expect(shortcut!.seq).toBeLessThanOrEqual(31);
      const entry = await db.ledger.findOne({ accountId: id, seq: shortcut!.seq });
      expect(entry?.balanceAfter).toBe(shortcut!.balanceAfter);
    }
  });

  it('balanceOf reads only by _id (no ledger scan on FerretDB), even when the shortcut lags', async () => {
    const id = 'person:reader';
    await ensureAccount(db, { _id: id, kind: 'person', name: 'Reader' }, 100);
    for (let i = 0; i < 40; i++) await appendToLedger(db, id, `read-c${i}`, { amount: -1, kind: 'charge', reason: 'spend' });
    const { db: watched, queries } = recordingDb(db);
    expect(await balanceOf(watched, id)).toBe(60);
    expect(scans(queries)).toEqual([]);
    expect(queries.length).toBeLessThanOrEqual(2);

    // A shortcut set back by a racing writer (FerretDB updates are read-then-write): the markers
    // after it still lead to the real head, one read by _id each.
    await db.ledgerHeads.updateOne({ _id: id }, { $set: { seq: 35, balanceAfter: 66 } });
    queries.length = 0;
    expect(await balanceOf(watched, id)).toBe(60);
    expect(scans(queries)).toEqual([]);
    expect(queries.length).toBe(1 + 7);

    // An account with no entries at all is answered without reading the ledger either.
    queries.length = 0;
    expect(await balanceOf(watched, 'person:nobody')).toBe(0);
    expect(scans(queries)).toEqual([]);
  });

  it('under concurrent appends a reader sees the balance move only forward, and ends exact', async () => {
    const ids = ['person:live-a', 'person:live-b'];
    for (const id of ids) await ensureAccount(db, { _id: id, kind: 'person', name: id }, 40);
    let writing = true;
    const seen: Record<string, number[]> = Object.fromEntries(ids.map((id) => [id, []]));
    const readers = ids.map(async (id) => {
      while (writing) seen[id]!.push(await balanceOf(db, id));
    });
    const charges = creditActivities({
      db,
      config: testConfig(),
      generator: {
        generate: async () => {
          throw new Error('unused');
        },
      },
    });
    const results = await Promise.all(
      ids.flatMap((accountId) => Array.from({ length: 50 }, (_, i) => charges.chargeCredit({ accountId, postId: `${accountId}-live${i}` }))),
    );
    writing = false;
    await Promise.all(readers);
    expect(results.filter((r) => r.ok)).toHaveLength(2 * 40);
    for (const id of ids) {
      const check = await checkLedger(db, id);
      expect(check).toMatchObject({ balance: 0, problems: [] });
      expect(await balanceOf(db, id)).toBe(check.balance);
      // Only charges ran, so a read that went back up would be a stale head.
      const reads = seen[id]!;
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((b, i) => i === 0 || b <= reads[i - 1]!)).toBe(true);
    }
  });

  it('an entry whose writer died before its marker is repaired by the next append', async () => {
    const id = 'person:crashed';
    await ensureAccount(db, { _id: id, kind: 'person', name: 'Crashed' }, 5);
    // What a process that died between the entry's insert and its marker leaves behind.
    await db.ledger.insertOne({ _id: 'crashed-charge', accountId: id, seq: 2, amount: -1, balanceAfter: 4, kind: 'charge', reason: 'died', at: new Date() });
    const next = await appendToLedger(db, id, 'after-crash', { amount: -1, kind: 'charge', reason: 'next' });
    expect(next.ok && [next.entry.seq, next.entry.balanceAfter]).toEqual([3, 3]);
    expect(await db.ledgerSeqs.findOne({ _id: `${id}:2` })).toMatchObject({ key: 'crashed-charge', balanceAfter: 4 });
    expect(await balanceOf(db, id)).toBe(3);
  });

  it('a charge expected to be new skips the read of its key, and a repeat of it still moves credits once, even at a zero balance', async () => {
    const id = 'person:fresh';
    await ensureAccount(db, { _id: id, kind: 'person', name: 'Fresh' }, 2);
    const charge = { amount: -1, kind: 'charge' as const, reason: 'Post created' };
    const { db: watched, queries } = recordingDb(db);
    const first = await appendToLedger(watched, id, 'fresh-1', charge, { expectNew: true });
    expect(first).toMatchObject({ ok: true, duplicate: false, entry: { seq: 2, balanceAfter: 1 } });
    // The key is not read before its insert (the unique _id decides); only the head shortcut is.
    expect(queries.filter((q) => q.collection === 'ledger')).toEqual([]);
    expect(scans(queries)).toEqual([]);

    // Repeats, one after another and at once: the first entry, never a second movement.
    const again = await Promise.all([1, 2, 3, 4].map(() => appendToLedger(db, id, 'fresh-1', charge, { expectNew: true })));
    expect(again.every((r) => r.ok && r.duplicate && r.entry.seq === 2)).toBe(true);
    await appendToLedger(db, id, 'fresh-2', charge, { expectNew: true });
    expect(await balanceOf(db, id)).toBe(0);
    // At a zero balance a repeat still answers its entry, as without the option (not "no credits").
    expect(await appendToLedger(db, id, 'fresh-1', charge, { expectNew: true })).toMatchObject({ ok: true, duplicate: true, entry: { seq: 2 } });
    expect(await appendToLedger(db, id, 'fresh-3', charge, { expectNew: true })).toEqual({ ok: false, reason: 'insufficient_credits', balance: 0 });
    expect(await db.ledger.countDocuments({ accountId: id })).toBe(3);
  });

  it('50 concurrent new charges expected new against 20 credits: exactly 20 succeed, chains whole', async () => {
    const id = 'person:freshcrowd';
    await ensureAccount(db, { _id: id, kind: 'person', name: 'Crowd' }, 20);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendToLedger(db, id, `crowd-${i % 40}`, { amount: -1, kind: 'charge', reason: 'c' }, { expectNew: true })),
    );
    // Keys 0-9 were asked twice: a second ask answers the first's entry (ok) or, if the first was refused, is refused too.
    const moved = await db.ledger.countDocuments({ accountId: id, kind: 'charge' });
    expect(moved).toBe(20);
    expect(await balanceOf(db, id)).toBe(0);
    for (let k = 0; k < 10; k++) {
      const [a, b] = [results[k]!, results[k + 40]!];
      if (a.ok && b.ok) expect(a.entry._id).toBe(b.entry._id);
    }
    expect((await checkLedger(db, id)).problems).toEqual([]);
  });
});
