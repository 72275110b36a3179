// Accounts are who pays: a Slack workspace, a Discord guild or one person.
import type { Database } from './db';
import { isDuplicateKey } from './db';
import { appendToLedger, balanceOf } from './ledger';
import { welcomeKey } from './ledgerKeys';
import type { AccountDoc } from './records';

export interface AccountSummary {
  account: AccountDoc;
  credits: number;
}

/**
 * Finds or creates the account. Its welcome credits are a ledger entry keyed by the account id,
 * so however many first requests race here, they are granted exactly once.
 */
export async function ensureAccount(db: Database, account: Pick<AccountDoc, '_id' | 'kind' | 'name'>, freeCredits: number): Promise<AccountSummary> {
  let doc = await db.accounts.findOne({ _id: account._id });
  if (!doc) {
    const fresh: AccountDoc = { ...account, createdAt: new Date() };
    try {
      await db.accounts.insertOne(fresh);
      doc = fresh;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      doc = await db.accounts.findOne({ _id: account._id });
      if (!doc) throw err;
    }
  }
  if (freeCredits > 0) {
    await appendToLedger(db, doc._id, welcomeKey(doc._id), {
      amount: freeCredits,
      kind: 'grant',
      reason: `Welcome: ${freeCredits} free credits`,
    });
  }
  return { account: doc, credits: await balanceOf(db, doc._id) };
}
