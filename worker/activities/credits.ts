// Charging and refunding one credit per post. Keys come from core/ledgerKeys.ts, so a retried or
// replayed activity finds its own ledger entry instead of moving credits twice.
import { claimDraftCredit, claimIsFor } from '../../core/draftCredits';
import { findOwned } from '../../core/db';
import { appendToLedger, balanceOf } from '../../core/ledger';
import { chargeKey, draftIdOfChargeKey, draftRefundKey, refundKey } from '../../core/ledgerKeys';
import type { ActivityDeps } from './deps';

export type ChargeResult = { ok: true; balance: number } | { ok: false; balance: number };

export function creditActivities({ db }: ActivityDeps) {
  /**
   * The draft whose credit pays for this post, if the post names one and holds its claim. The API
   * claims it when the post is created; claiming here as well covers posts created before claims
   * existed, and the claim (first insert wins) makes sure one draft pays for one post only.
   */
  async function paidByDraft(input: { accountId: string; postId: string; chargeKey?: string }): Promise<string | undefined> {
    const draftId = input.chargeKey ? draftIdOfChargeKey(input.chargeKey) : undefined;
    if (!draftId || !input.chargeKey) return undefined;
    const paid = await findOwned(db.ledger, input.chargeKey, input.accountId);
    if (paid?.kind !== 'charge') return undefined;
    const claim = await claimDraftCredit(db, input.accountId, draftId, { postId: input.postId });
    return claimIsFor(claim, input.accountId, input.postId) ? draftId : undefined;
  }

  return {
    async chargeCredit(input: { accountId: string; postId: string; chargeKey?: string }): Promise<ChargeResult> {
      // Paid already by its interactive draft, if this post holds the draft's claim; a post whose
      // draft paid for another post (or was refunded) pays like any other.
      if (await paidByDraft(input)) return { ok: true, balance: await balanceOf(db, input.accountId) };
      const r = await appendToLedger(db, input.accountId, chargeKey(input.postId), {
        amount: -1,
        kind: 'charge',
        reason: 'Post generated and scheduled',
        postId: input.postId,
      });
      return r.ok ? { ok: true, balance: r.entry.balanceAfter } : { ok: false, balance: r.balance };
    },

    /**
     * Gives back the post's credit, only if it was charged, and only once. A draft's credit goes
     * back under the draft's one refund key, the same as the stream's own refund, so a draft is
     * refunded at most once whoever asks.
     */
    async refundCredit(input: { accountId: string; postId: string; reason: string; chargeKey?: string }): Promise<{ refunded: boolean }> {
      const draftId = await paidByDraft(input);
      if (!draftId && !(await db.ledger.findOne({ _id: chargeKey(input.postId) }))) return { refunded: false };
      const r = await appendToLedger(db, input.accountId, draftId ? draftRefundKey(draftId) : refundKey(input.postId), {
        amount: 1,
        kind: 'refund',
        reason: input.reason,
        postId: input.postId,
      });
      return { refunded: r.ok };
    },
  };
}
