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
});
