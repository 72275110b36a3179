// The credit ledger: an append-only chain of entries per account. Appending entry n+1 is an insert
// under the unique index (accountId, seq), so of any writers racing for the same n+1 exactly one wins
// and the others re-read the head and try again. The balance is the head's `balanceAfter`, which is
// therefore always the sum of the chain, and a debit that would go below zero is never appended.
//
// Finding the head by (accountId, seq) is an index lookup on MongoDB but a scan of the whole ledger
// on FerretDB v1, which pushes only `_id` equality down to SQLite: every charge got slower as the
// ledger grew (157 ms per append at 4,000 entries, measured by `npm run bench`). So the head is found
// with reads by `_id` only:
// - `ledger_heads` (by account) is a shortcut written after each append. Racing writers can set it
//   back (FerretDB updates are read-then-write), so it may LAG the chain, never run ahead of it.
// - `ledger_seqs` (by `<accountId>:<seq>`) holds one immutable marker per entry, inserted right
//   after the entry by its writer. From the shortcut, the head is found by probing seq+1, seq+2, …
//   until a marker is missing: a few reads by `_id`, never a scan, and never ahead of the chain
//   because a marker is only ever written for an entry that exists.
// The one gap: a process that dies between an entry's insert and its marker's insert. The next
// append on that account collides at that seq, waits a moment, then reads the chain once and writes
// the missing markers; a retried append with the same key (Temporal retries activities) repairs it
// too. Until then balanceOf shows the balance before that one entry. Money decisions never rely on
// balanceOf: a debit is refused or appended by appendToLedger, which the unique index keeps exact.
import type { Database, LedgerHeadDoc, LedgerSeqDoc } from './db';
import { isDuplicateKey } from './db';
import { refundKey } from './ledgerKeys';
import type { LedgerEntryDoc } from './records';

export type Movement = Pick<LedgerEntryDoc, 'amount' | 'kind' | 'reason' | 'postId' | 'purchaseId'>;

export type AppendResult = { ok: true; entry: LedgerEntryDoc; duplicate: boolean } | { ok: false; reason: 'insufficient_credits'; balance: number };

export interface AppendOptions {
  /** Debits normally stop at zero; a clawback of credits already spent may take the balance below it. */
  allowNegative?: boolean;
  /**
   * The key is almost surely new (a post's charge at its create): the first attempt goes straight to
   * the insert, whose unique `_id` still catches a repeat, and reads the key only when the insert or
   * the balance says it must. One read by `_id` less per append; a repeat costs two operations more.
   */
  expectNew?: boolean;
}

/**
 * The latest entry of an account's chain, read from the chain itself: a scan of the whole ledger on
 * FerretDB. Only for checks and for repairing after a crash; balances come from `knownHead`.
 */
export async function ledgerHead(db: Database, accountId: string): Promise<LedgerEntryDoc | undefined> {
  const [head] = await db.ledger.find({ accountId }).sort({ seq: -1 }).limit(1).toArray();
  return head;
}

export const ledgerSeqId = (accountId: string, seq: number): string => `${accountId}:${seq}`;

type Head = Pick<LedgerHeadDoc, 'seq' | 'balanceAfter'>;

/**
 * The newest entry the shortcut and the seq markers know of, with reads by `_id` only. `shortcut`
 * says whether the account had a shortcut at all (ledgers written before it existed have none).
 */
async function knownHead(db: Database, accountId: string, opts: { walk: boolean } = { walk: true }): Promise<{ head: Head | undefined; shortcut: boolean }> {
  const shortcut = await db.ledgerHeads.findOne({ _id: accountId });
  let head: Head | undefined = shortcut ? { seq: shortcut.seq, balanceAfter: shortcut.balanceAfter } : undefined;
  if (shortcut && !opts.walk) return { head, shortcut: true };
  for (;;) {
    const next = await db.ledgerSeqs.findOne({ _id: ledgerSeqId(accountId, (head?.seq ?? 0) + 1) });
    if (!next) return { head, shortcut: Boolean(shortcut) };
    head = { seq: next.seq, balanceAfter: next.balanceAfter };
  }
}

/** The account's balance: O(1) reads by `_id` (plus one per entry the shortcut lags behind). */
export async function balanceOf(db: Database, accountId: string): Promise<number> {
  return (await knownHead(db, accountId)).head?.balanceAfter ?? 0;
}

/**
 * Appends one movement keyed by `key`, exactly once: calling it again with the same key answers the
 * entry written the first time, whatever the balance is now.
 */
export async function appendToLedger(db: Database, accountId: string, key: string, movement: Movement, opts: AppendOptions = {}): Promise<AppendResult> {
  // The head to build on: the shortcut and the markers after it. If an insert built on that head
  // collided and the markers still do not show the entry that beat us, its writer is between its
  // insert and its marker (or died there): wait a moment, then read the chain once and repair.
  let collidedAt: number | undefined;
  let staleReads = 0;
  /** The entry this key already wrote, finished as a retry would; undefined if the key is new. */
  const earlier = async (): Promise<AppendResult | undefined> => {
    const existing = await db.ledger.findOne({ _id: key });
    if (!existing) return undefined;
    await finishRetried(db, existing);
    return { ok: true, entry: existing, duplicate: true };
  };
  for (let attempt = 0; ; attempt++) {
    // Every attempt after a failed insert reads the key: the insert may have failed on it.
    const keyRead = attempt > 0 || !opts.expectNew;
    if (keyRead) {
      const done = await earlier();
      if (done) return done;
    }

    // The first try builds on the shortcut alone (usually right: one read fewer per append); after
    // a collision the markers show how far the chain really goes.
    const known = await knownHead(db, accountId, { walk: collidedAt !== undefined });
    let head = known.head;
    const behind = collidedAt !== undefined && (head?.seq ?? 0) <= collidedAt;
    if (behind && known.shortcut && staleReads < 4) {
      staleReads++;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
      continue;
    }
    // No shortcut and no markers usually means a new account: a credit can go straight for seq 1,
    // and the unique index sends it here again if the chain has entries after all. A debit reads
    // the chain first, so a ledger written before the shortcut existed is never refused on a guess.
    const legacyDebit = !head && !known.shortcut && collidedAt === undefined && movement.amount < 0 && !opts.allowNegative;
    if (behind || legacyDebit) head = await repairFromChain(db, accountId, head);
    staleReads = 0;
    const balance = head?.balanceAfter ?? 0;
    const balanceAfter = balance + movement.amount;
    if (movement.amount < 0 && balanceAfter < 0 && !opts.allowNegative) {
      // A key already appended answers its entry, whatever the balance is now.
      return (keyRead ? undefined : await earlier()) ?? { ok: false, reason: 'insufficient_credits', balance };
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
    await markSeq(db, entry);
    await advanceHead(db, accountId, entry);
    return { ok: true, entry, duplicate: false };
  }
}

/**
 * A key appended before (a retried activity, or `ensureAccount`'s welcome grant on every call):
 * if its writer died before its marker or shortcut, finish those. Reads first, so the common
 * case writes nothing and an old entry never sets the shortcut back.
 */
async function finishRetried(db: Database, entry: LedgerEntryDoc): Promise<void> {
  const [marker, shortcut] = await Promise.all([
    db.ledgerSeqs.findOne({ _id: ledgerSeqId(entry.accountId, entry.seq) }),
    db.ledgerHeads.findOne({ _id: entry.accountId }),
  ]);
  if (!marker) await markSeq(db, entry);
  if (!shortcut || shortcut.seq < entry.seq) await advanceHead(db, entry.accountId, entry);
}

/** Writes an entry's seq marker; it may exist already (a retry, or a repair got there first). */
async function markSeq(db: Database, entry: LedgerEntryDoc): Promise<void> {
  const marker: LedgerSeqDoc = {
    _id: ledgerSeqId(entry.accountId, entry.seq),
    accountId: entry.accountId,
    seq: entry.seq,
    key: entry._id,
    balanceAfter: entry.balanceAfter,
  };
  try {
    await db.ledgerSeqs.insertOne(marker);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Reads the entries after what the markers know (a scan on FerretDB: only after a writer died
 * between insert and marker, or for a ledger older than the markers), writes their markers, and
 * answers the chain's real head.
 */
async function repairFromChain(db: Database, accountId: string, known: Head | undefined): Promise<Head | undefined> {
  const after = await db.ledger
    .find({ accountId, seq: { $gt: known?.seq ?? 0 } })
    .sort({ seq: 1 })
    .toArray();
  for (const entry of after) await markSeq(db, entry);
  const last = after.at(-1);
  if (!last) return known;
  await advanceHead(db, accountId, last);
  return { seq: last.seq, balanceAfter: last.balanceAfter };
}

/**
 * Moves the shortcut to `entry`. A slower writer may set it back (FerretDB updates are
 * read-then-write, so a "never back" check could not hold anyway): it only lags, never leads, and
 * the markers after it lead to the head. One write by `_id`, no read.
 */
async function advanceHead(db: Database, accountId: string, entry: LedgerEntryDoc): Promise<void> {
  const head: LedgerHeadDoc = { _id: accountId, seq: entry.seq, balanceAfter: entry.balanceAfter, at: entry.at };
  try {
    await db.ledgerHeads.replaceOne({ _id: accountId }, head, { upsert: true });
  } catch (err) {
    // Two first writers upserting at once: one insert loses; the other's head is as good.
    if (!isDuplicateKey(err)) throw err;
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

export async function listTransactions(db: Database, accountId: string, page: { limit: number; beforeSeq?: number }): Promise<LedgerEntryDoc[]> {
  const filter = page.beforeSeq ? { accountId, seq: { $lt: page.beforeSeq } } : { accountId };
  return db.ledger.find(filter).sort({ seq: -1 }).limit(page.limit).toArray();
}

/** Whether a post's own credit came back (a post its draft paid for is refunded under the draft's key). */
export async function postWasRefunded(db: Database, postId: string): Promise<boolean> {
  return (await db.ledger.findOne({ _id: refundKey(postId) }, { projection: { _id: 1 } })) !== null;
}
