// Activities of the credit purchase saga. Every ledger movement and every Stripe refund carries a
// key from core/ledgerKeys.ts derived from the Checkout Session, so retries and replays never move
// money twice.
import { appendToLedger } from '../../core/ledger';
import { disputeClawbackKey, disputeReinstateKey, disputeWonDetailPrefix, purchaseKey } from '../../core/ledgerKeys';
import { paymentMismatches, type PaidFacts } from '../../core/packs';
import type { PurchaseDoc } from '../../core/records';
import type { ActivityDeps } from './deps';

export type GrantResult = { ok: true } | { ok: false; reason: 'account_gone' } | { ok: false; reason: 'mismatch'; detail: string };

export function purchaseActivities({ db, stripe, config }: ActivityDeps) {
  return {
    /** Where a purchase stands, read by `_id` only (a run started by a late event resumes from it). */
    async loadPurchaseProgress(input: { sessionId: string; accountId: string }): Promise<{ granted: boolean; clawedBack: number; mismatch?: boolean }> {
      const [grant, purchase] = await Promise.all([db.ledger.findOne({ _id: purchaseKey(input.sessionId) }), db.purchases.findOne({ _id: input.sessionId })]);
      if (purchase?.status === 'mismatch' && !grant) return { granted: false, clawedBack: 0, mismatch: true };
      if (purchase?.clawedBackKept) return { granted: Boolean(grant), clawedBack: purchase.clawedBack };
      // A purchase last written before its workflow kept `clawedBack` current: read the ledger once
      // (a scan on FerretDB); its next mark keeps the figure from then on.
      const movements = await db.ledger.find({ accountId: input.accountId, kind: { $in: ['clawback', 'reinstate'] }, purchaseId: input.sessionId }).toArray();
      return { granted: Boolean(grant), clawedBack: movements.reduce((n, e) => n - e.amount, 0) };
    },

    async grantPurchase(input: {
      sessionId: string;
      accountId: string;
      credits: number;
      packId: string;
      amount?: number;
      paid?: PaidFacts;
    }): Promise<GrantResult> {
      if (input.paid) {
        const problems = paymentMismatches(
          config,
          { accountId: input.accountId, packId: input.packId, credits: input.credits, amount: input.amount ?? Number.NaN },
          input.paid,
        );
        if (problems.length) {
          const detail = problems.join('; ');
          // The alert: someone paid something that is not this pack. A person decides what to do.
          console.error(
            `[purchases] ALERT Checkout Session ${input.sessionId} was paid but does not match the ${input.packId} pack: ${detail}. Nothing was granted.`,
          );
          return { ok: false, reason: 'mismatch', detail };
        }
      } else {
        // Only a signal recorded before the event carried what was paid (an in-flight purchase
        // across the upgrade) comes without it.
        console.warn(`[purchases] Checkout Session ${input.sessionId}: granted without checking the amount (event from before the check)`);
      }
      const account = await db.accounts.findOne({ _id: input.accountId });
      if (!account) return { ok: false, reason: 'account_gone' };
      await appendToLedger(db, input.accountId, purchaseKey(input.sessionId), {
        amount: input.credits,
        kind: 'purchase',
        reason: `Bought the ${input.packId} pack (${input.credits} credits)`,
        purchaseId: input.sessionId,
      });
      return { ok: true };
    },

    async clawbackCredits(input: { accountId: string; sessionId: string; key: string; credits: number; reason: string }): Promise<void> {
      await appendToLedger(
        db,
        input.accountId,
        input.key,
        { amount: -input.credits, kind: 'clawback', reason: `${input.reason} (purchase ${input.sessionId})`, purchaseId: input.sessionId },
        // Credits already spent cannot be un-spent; the balance may go negative until topped up.
        { allowNegative: true },
      );
    },

    /** Gives back what a dispute clawed back, once, when the dispute was won. Answers how many. */
    async reinstateDisputeCredits(input: { accountId: string; sessionId: string; disputeId: string }): Promise<{ credits: number }> {
      const taken = await db.ledger.findOne({ _id: disputeClawbackKey(input.disputeId) });
      if (!taken || taken.accountId !== input.accountId || taken.purchaseId !== input.sessionId || taken.amount >= 0) return { credits: 0 };
      const r = await appendToLedger(db, input.accountId, disputeReinstateKey(input.disputeId), {
        amount: -taken.amount,
        kind: 'reinstate',
        reason: `Dispute ${input.disputeId} won: credits given back (purchase ${input.sessionId})`,
        purchaseId: input.sessionId,
      });
      if (!r.ok) return { credits: 0 };
      // Counted once in the purchase's figures: a repeat of the same outcome (Stripe may send it
      // again under a new event id) finds the workflow's record of it and answers 0. A retry after
      // a crash before that record answers the amount again, as the first attempt would have.
      const purchase = await db.purchases.findOne({ _id: input.sessionId });
      const counted = purchase?.history.some((h) => h.event === 'dispute_won' && h.detail?.startsWith(disputeWonDetailPrefix(input.disputeId)));
      return { credits: counted ? 0 : r.entry.amount };
    },

    async refundPayment(input: { sessionId: string; paymentIntentId?: string }): Promise<{ refundId: string }> {
      if (!stripe) throw new Error('no Stripe client configured');
      const pi = input.paymentIntentId ?? (await db.purchases.findOne({ _id: input.sessionId }))?.paymentIntentId;
      if (!pi) throw new Error(`no payment intent known for ${input.sessionId} yet`);
      const refund = await stripe.refunds.create({ payment_intent: pi, reason: 'requested_by_customer' }, { idempotencyKey: `refund:${input.sessionId}` });
      return { refundId: refund.id };
    },

    async markPurchase(input: {
      sessionId: string;
      status: PurchaseDoc['status'];
      event: string;
      detail?: string;
      paymentIntentId?: string;
      clawedBack?: number;
    }): Promise<void> {
      const now = new Date();
      await db.purchases.updateOne(
        { _id: input.sessionId },
        {
          $set: {
            status: input.status,
            updatedAt: now,
            ...(input.paymentIntentId ? { paymentIntentId: input.paymentIntentId } : {}),
            ...(input.clawedBack !== undefined ? { clawedBack: input.clawedBack, clawedBackKept: true } : {}),
          },
          $push: { history: { at: now, event: input.event, ...(input.detail ? { detail: input.detail } : {}) } },
        },
      );
    },
  };
}
