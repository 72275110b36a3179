// Activities of the credit purchase saga. Every ledger movement and every Stripe refund carries a
// key derived from the Checkout Session, so retries and replays never move money twice.
import { appendToLedger } from '../../core/ledger';
import type { PurchaseDoc } from '../../core/records';
import type { ActivityDeps } from './deps';

export function purchaseActivities({ db, stripe }: ActivityDeps) {
  return {
    async loadPurchaseProgress(input: { sessionId: string; accountId: string }): Promise<{ granted: boolean; clawedBack: number }> {
      const granted = Boolean(await db.ledger.findOne({ _id: `purchase:${input.sessionId}` }));
      const claws = await db.ledger.find({ accountId: input.accountId, kind: 'clawback', purchaseId: input.sessionId }).toArray();
      const clawedBack = claws.reduce((n, e) => n - e.amount, 0);
      return { granted, clawedBack };
    },

    async grantPurchase(input: { sessionId: string; accountId: string; credits: number; packId: string }): Promise<{ ok: true } | { ok: false; reason: string }> {
      const account = await db.accounts.findOne({ _id: input.accountId });
      if (!account) return { ok: false, reason: 'account_gone' };
      await appendToLedger(db, input.accountId, `purchase:${input.sessionId}`, {
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

    async refundPayment(input: { sessionId: string; paymentIntentId?: string }): Promise<{ refundId: string }> {
      if (!stripe) throw new Error('no Stripe client configured');
      const pi = input.paymentIntentId ?? (await db.purchases.findOne({ _id: input.sessionId }))?.paymentIntentId;
      if (!pi) throw new Error(`no payment intent known for ${input.sessionId} yet`);
      const refund = await stripe.refunds.create({ payment_intent: pi, reason: 'requested_by_customer' }, { idempotencyKey: `refund:${input.sessionId}` });
      return { refundId: refund.id };
    },

    async markPurchase(input: { sessionId: string; status: PurchaseDoc['status']; event: string; detail?: string; paymentIntentId?: string }): Promise<void> {
      const now = new Date();
      await db.purchases.updateOne(
        { _id: input.sessionId },
        {
          $set: { status: input.status, updatedAt: now, ...(input.paymentIntentId ? { paymentIntentId: input.paymentIntentId } : {}) },
          $push: { history: { at: now, event: input.event, ...(input.detail ? { detail: input.detail } : {}) } },
        },
      );
    },
  };
}
