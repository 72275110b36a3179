// The credit ledger: an append-only chain of entries per account. Appending entry n+1 is an insert
// under the unique index (accountId, seq), so of any writers racing for the same n+1 exactly one wins
// and the others re-read the head and try again. The balance is the head's `balanceAfter`, which is
// therefore always the sum of the chain, and a debit that would go below zero is never appended.
//
// Finding the head by (accountId, seq) is an index lookup on MongoDB but a scan of the whole ledger
// on FerretDB v1, which pushes only `_id` equality down to SQLite: every charge got slower as the
// ledger grew (157 ms per append at 4,000 entries, measured by `npm run bench`). So appends start
// from `ledger_heads`, read by `_id`. It is written after each append and can only lag: an insert at
// its seq+1 succeeds only if that really is the next seq, and a lagging head costs one full read.
import type { Database, LedgerHeadDoc } from './db';
import { isDuplicateKey } from './db';
import type { LedgerEntryDoc } from './records';

export type Movement = Pick<LedgerEntryDoc, 'amount' | 'kind' | 'reason' | 'postId' | 'purchaseId'>;

export type AppendResult =
  | { ok: true; entry: LedgerEntryDoc; duplicate: boolean }
  | { ok: false; reason: 'insufficient_credits'; balance: number };

export interface AppendOptions {
  /** Debits normally stop at zero; a clawback of credits already spent may take the balance below it. */
  allowNegative?: boolean;
}

/** The latest entry of an account's chain, or undefined for an account that has none. */
export async function ledgerHead(db: Database, accountId: string): Promise<LedgerEntryDoc | undefined> {
  const [head] = await db.ledger.find({ accountId }).sort({ seq: -1 }).limit(1).toArray();
  return head;
}

export async function balanceOf(db: Database, accountId: string): Promise<number> {
  return (await ledgerHead(db, accountId))?.balanceAfter ?? 0;
}

/**
 * Appends one movement keyed by `key`, exactly once: calling it again with the same key answers the
 * entry written the first time, whatever the balance is now.
 */
export async function appendToLedger(
  db: Database,
  accountId: string,
  key: string,
  movement: Movement,
  opts: AppendOptions = {},
): Promise<AppendResult> {
  // The head to build on: the shortcut first; the full read when there is none, or when it did not
  // move since an insert built on it collided (so it lags the chain).
  let shortcut: Pick<LedgerHeadDoc, 'seq' | 'balanceAfter'> | null | undefined;
  let collidedAt: number | undefined;
  let staleReads = 0;
  for (let attempt = 0; ; attempt++) {
    const existing = await db.ledger.findOne({ _id: key });
    if (existing) return { ok: true, entry: existing, duplicate: true };

    shortcut = await db.ledgerHeads.findOne({ _id: accountId });
    if (shortcut && shortcut.seq === collidedAt && staleReads < 4) {
      // The writer that beat us has inserted but may not have moved the shortcut yet: give it a
      // moment rather than read the whole chain (under contention that read was the bottleneck).
      staleReads++;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
      continue;
    }
    // No shortcut usually means a new account: a credit can go straight for seq 1, and the unique
    // index sends it to the full read if the chain has entries after all. Reading the chain of an
    // account with no entries scanned the whole ledger on FerretDB (the bench's 1,000 new accounts
    // took six minutes). A debit with no shortcut reads first, so it is never refused on a guess.
    const optimistic = !shortcut && collidedAt === undefined && (movement.amount >= 0 || opts.allowNegative);
    const head = optimistic ? undefined : !shortcut || shortcut.seq === collidedAt ? await ledgerHead(db, accountId) : shortcut;
    staleReads = 0;
    const balance = head?.balanceAfter ?? 0;
    const balanceAfter = balance + movement.amount;
    if (movement.amount < 0 && balanceAfter < 0 && !opts.allowNegative) {
      return { ok: false, reason: 'insufficient_credits', balance };
    }
    const entry: LedgerEntryDoc = {
      _id: key,
      accountId,
      seq: (head?.seq ?? 0) + 1,
      amount: movement.amount,
      balanceAfter,
      kind: movement.kind,
      reason: movement.reason,
      ...(movement.postId ? { postId: movement.postId } : {}),
      ...(movement.purchaseId ? { purchaseId: movement.purchaseId } : {}),
      at: new Date(),
    };
    try {
      await db.ledger.insertOne(entry);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Lost the race for this seq (or for this key): re-read and decide again. Back off a little
      // so a hundred writers on one account don't spin in lockstep.
      collidedAt = head?.seq ?? 0;
      if (attempt > 2) await new Promise((r) => setTimeout(r, Math.min(50, attempt * 2) * Math.random()));
      continue;
    }
    await advanceHead(db, accountId, entry);
    return { ok: true, entry, duplicate: false };
  }
}

/** Moves the shortcut forward to `entry`, never back (a racing writer may, which only makes it lag). */
async function advanceHead(db: Database, accountId: string, entry: LedgerEntryDoc): Promise<void> {
  // Filters by `_id` alone, so FerretDB answers from its primary key instead of scanning every account.
  const current = await db.ledgerHeads.findOne({ _id: accountId });
  const head: LedgerHeadDoc = { _id: accountId, seq: entry.seq, balanceAfter: entry.balanceAfter, at: entry.at };
  if (!current) {
    try {
      await db.ledgerHeads.insertOne(head);
    } catch (err) {
      // Another writer created it first; the next append corrects whatever it holds.
      if (!isDuplicateKey(err)) throw err;
    }
  } else if (current.seq < entry.seq) {
    await db.ledgerHeads.replaceOne({ _id: accountId }, head);
  }
}

export interface LedgerCheck {
  accountId: string;
  balance: number;
  sum: number;
  entries: number;
  problems: string[];
}

/** Verifies an account's chain: seq 1..n without gaps, each balanceAfter = previous + amount. */
export async function checkLedger(db: Database, accountId: string): Promise<LedgerCheck> {
  const entries = await db.ledger.find({ accountId }).sort({ seq: 1 }).toArray();
  const problems: string[] = [];
  let running = 0;
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`entry ${e._id} has seq ${e.seq}, expected ${i + 1}`);
    running += e.amount;
    if (e.balanceAfter !== running) problems.push(`entry ${e._id} says balance ${e.balanceAfter}, sum is ${running}`);
    if (e.balanceAfter < 0 && e.kind !== 'clawback') problems.push(`entry ${e._id} (${e.kind}) took the balance below zero`);
  });
  const balance = entries.at(-1)?.balanceAfter ?? 0;
  return { accountId, balance, sum: running, entries: entries.length, problems };
}

export async function listTransactions(
  db: Database,
  accountId: string,
  page: { limit: number; beforeSeq?: number },
): Promise<LedgerEntryDoc[]> {
  const filter = page.beforeSeq ? { accountId, seq: { $lt: page.beforeSeq } } : { accountId };
  return db.ledger.find(filter).sort({ seq: -1 }).limit(page.limit).toArray();
}
