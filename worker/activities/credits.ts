// Charging and refunding one credit per post. Keys come from the post id, so a retried or
// replayed activity finds its own ledger entry instead of moving credits twice.
import { findOwned } from '../../core/db';
import { appendToLedger, balanceOf } from '../../core/ledger';
import type { ActivityDeps } from './deps';

export type ChargeResult = { ok: true; balance: number } | { ok: false; balance: number };

export function creditActivities({ db }: ActivityDeps) {
  return {
    async chargeCredit(input: { accountId: string; postId: string; chargeKey?: string }): Promise<ChargeResult> {
      if (input.chargeKey) {
        // Paid already (an interactive draft): the API checked the entry belongs to this account.
        const paid = await findOwned(db.ledger, input.chargeKey, input.accountId);
        if (paid?.kind === 'charge') return { ok: true, balance: await balanceOf(db, input.accountId) };
      }
      const r = await appendToLedger(db, input.accountId, `charge:${input.postId}`, {
        amount: -1,
        kind: 'charge',
        reason: 'Post generated and scheduled',
        postId: input.postId,
      });
      return r.ok ? { ok: true, balance: r.entry.balanceAfter } : { ok: false, balance: r.balance };
    },

    /** Gives back the post's credit, only if it was charged, and only once. */
    async refundCredit(input: { accountId: string; postId: string; reason: string; chargeKey?: string }): Promise<{ refunded: boolean }> {
      const charged =
        (input.chargeKey ? await findOwned(db.ledger, input.chargeKey, input.accountId) : null) ??
        (await db.ledger.findOne({ _id: `charge:${input.postId}` }));
      if (!charged) return { refunded: false };
      const r = await appendToLedger(db, input.accountId, `refund:${input.postId}`, {
        amount: 1,
        kind: 'refund',
        reason: input.reason,
        postId: input.postId,
      });
      return { refunded: r.ok };
    },
  };
}
