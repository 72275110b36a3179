// Credits as the front ends see them: what a post costs is taken when the post is created.
import { appendToLedger } from '../core/ledger';
import { chargeKey, refundKey } from '../core/ledgerKeys';
import type { ServiceContext } from './context';
import { UserError } from './errors';

export const BUY_HINT = 'Buy a pack with /postforge credits (Slack), /credits (Discord) or POST /v1/checkout.';

/**
 * Takes a new post's credit before anything starts, so an account without credits hears so at once
 * (402) instead of a 202 and a failure minutes later. The ledger decides, exactly, under any number
 * of concurrent creates. The workflow's own charge uses the same key and finds this entry.
 */
export async function reservePostCredit(ctx: ServiceContext, accountId: string, postId: string): Promise<void> {
  // A new post's charge: its key repeats only when a keyed create is retried before its workflow started.
  const r = await appendToLedger(ctx.db, accountId, chargeKey(postId), { amount: -1, kind: 'charge', reason: 'Post created', postId }, { expectNew: true });
  if (!r.ok) {
    throw new UserError(`No credits left (balance ${r.balance}), so the post was not created and nothing was charged. ${BUY_HINT}`, 402, [
      { path: 'credits', message: 'no credits left' },
    ]);
  }
}

/** Gives back a reservation whose post can never start (its random id will not come again). */
export async function releasePostCredit(ctx: ServiceContext, accountId: string, postId: string): Promise<void> {
  await appendToLedger(ctx.db, accountId, refundKey(postId), { amount: 1, kind: 'refund', reason: 'Post could not be started', postId });
}

// The front ends read balances and history through here, not from the ledger module itself.
export { balanceOf, listTransactions, postWasRefunded } from '../core/ledger';
