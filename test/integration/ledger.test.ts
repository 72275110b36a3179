// The credit ledger on FerretDB, whose updates are read-then-write: the balance must still never
// go below zero, and every movement must happen exactly once.
import { ensureAccount } from '../../core/accounts';
import type { Database } from '../../core/db';
import { appendToLedger, balanceOf, checkLedger } from '../../core/ledger';
import { creditActivities } from '../../worker/activities/credits';
import { expectLedgersConsistent, testConfig, testDatabase } from '../helpers/common';

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
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ensureAccount(db, { _id: 'person:racer', kind: 'person', name: 'Racer' }, 10)),
    );
    expect(await balanceOf(db, 'person:racer')).toBe(10);
    expect(results.every((r) => r.account._id === 'person:racer')).toBe(true);
    expect(await db.ledger.countDocuments({ accountId: 'person:racer' })).toBe(1);
    expect(await db.accounts.countDocuments({ _id: 'person:racer' })).toBe(1);
  });

  it('100 concurrent charges against 10 credits: exactly 10 succeed, balance ends at 0', async () => {
    await ensureAccount(db, { _id: 'person:busy', kind: 'person', name: 'Busy' }, 10);
    const { chargeCredit } = creditActivities({ db, config: testConfig(), generator: { generate: async () => { throw new Error('unused'); } } });
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
    const acts = creditActivities({ db, config: testConfig(), generator: { generate: async () => { throw new Error('unused'); } } });
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
    const charges = creditActivities({ db, config: testConfig(), generator: { generate: async () => { throw new Error('unused'); } } });
    const results = await Promise.all(ids.flatMap((accountId) => Array.from({ length: 50 }, (_, i) => charges.chargeCredit({ accountId, postId: `${accountId}-p${i}` }))));
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
});
