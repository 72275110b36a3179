// One credit purchase (one Checkout Session): wait for Stripe's verdict, grant exactly once,
// claw back on refunds and disputes, and refund the payment if the credits cannot be granted.
// Stripe delivers events late, twice or out of order; every decision here is recomputed from
// what has been seen so far, so any order of the same events ends in the same ledger.
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import { disputeClawbackKey, disputeWonDetailPrefix, refundClawbackKey } from '../core/ledgerKeys';
import type { PaidFacts } from '../core/packs';
import type { Activities } from '../worker/activities';

export interface PurchaseInput {
  sessionId: string;
  accountId: string;
  packId: string;
  credits: number;
  amount: number;
  /** ISO instant at which the Checkout Session expires. */
  expiresAt: string;
  graceMs: number;
  watchMs: number;
}

export interface StripeEventSignal {
  id: string;
  type: string;
  paymentStatus?: string;
  paymentIntentId?: string;
  chargeId?: string;
  chargeAmount?: number;
  amountRefunded?: number;
  disputeId?: string;
  /** A dispute's status (`charge.dispute.closed`: won, lost, …). */
  disputeStatus?: string;
  /** What a Checkout Session event says was paid; checked against the pack before granting. */
  paid?: PaidFacts;
}

export interface PurchaseState {
  status: 'open' | 'awaiting_payment' | 'granted' | 'expired' | 'failed' | 'refunded' | 'compensated' | 'mismatch';
  granted: boolean;
  clawedBack: number;
  eventsSeen: number;
}

export const stripeEventSignal = defineSignal<[StripeEventSignal]>('stripeEvent');
export const purchaseStatusQuery = defineQuery<PurchaseState>('purchaseStatus');

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

export async function creditPurchase(input: PurchaseInput): Promise<PurchaseState> {
  const seen = new Set<string>();
  const queue: StripeEventSignal[] = [];
  // Signals are not deduplicated by Temporal; Stripe's event id is the dedupe key.
  setHandler(stripeEventSignal, (e) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    queue.push(e);
  });

  // A run started by a late event (after an earlier run completed) resumes from the ledger.
  const prior = await acts.loadPurchaseProgress({ sessionId: input.sessionId, accountId: input.accountId });
  const state: PurchaseState = {
    status: prior.granted ? 'granted' : prior.mismatch ? 'mismatch' : 'open',
    granted: prior.granted,
    clawedBack: prior.clawedBack,
    eventsSeen: 0,
  };
  setHandler(purchaseStatusQuery, () => ({ ...state, eventsSeen: seen.size }));

  let paymentIntentId: string | undefined;
  let refundedFraction = 0;
  let disputed: string | undefined;
  // A purchase found not to match its pack stays closed in every later run (a person settles it).
  let closed = Boolean(prior.mismatch);

  const mark = (status: PurchaseState['status'], event: string, detail?: string) => {
    state.status = status;
    return acts.markPurchase({
      sessionId: input.sessionId,
      status,
      event,
      ...(detail ? { detail } : {}),
      ...(paymentIntentId ? { paymentIntentId } : {}),
      clawedBack: state.clawedBack,
    });
  };

  async function grant(paid: PaidFacts | undefined): Promise<void> {
    if (state.granted || closed) return;
    const r = await acts.grantPurchase({
      sessionId: input.sessionId,
      accountId: input.accountId,
      credits: input.credits,
      packId: input.packId,
      amount: input.amount,
      ...(paid ? { paid } : {}),
    });
    if (r.ok) {
      state.granted = true;
      await mark('granted', 'granted', `${input.credits} credits`);
      return;
    }
    // Paid, but not what the pack costs: nothing is granted and nothing refunded automatically; the
    // activity has alerted, a person decides. (No patch marker: histories recorded before this
    // branch existed never got this answer, so they replay down the branches they took.)
    if (r.reason === 'mismatch') {
      closed = true;
      await mark('mismatch', 'mismatch', r.detail);
      return;
    }
    // The credits have nowhere to go: give the money back instead.
    await acts.refundPayment({ sessionId: input.sessionId, ...(paymentIntentId ? { paymentIntentId } : {}) });
    closed = true;
    await mark('compensated', 'compensated', `could not grant (${r.reason}); payment refunded`);
  }

  /** Brings the clawbacks in line with what has been refunded or disputed so far. */
  async function settleClawbacks(): Promise<void> {
    if (!state.granted) return;
    const owed = disputed ? input.credits : Math.round(input.credits * refundedFraction);
    if (owed <= state.clawedBack) return;
    const delta = owed - state.clawedBack;
    await acts.clawbackCredits({
      accountId: input.accountId,
      sessionId: input.sessionId,
      key: disputed ? disputeClawbackKey(disputed) : refundClawbackKey(input.sessionId, owed),
      credits: delta,
      reason: disputed ? `Dispute ${disputed}` : `Refund of ${Math.round(refundedFraction * 100)}%`,
    });
    state.clawedBack = owed;
    await mark(owed >= input.credits ? 'refunded' : 'granted', 'clawback', `${delta} credits taken back`);
  }

  async function handle(e: StripeEventSignal): Promise<void> {
    if (e.paymentIntentId) paymentIntentId = e.paymentIntentId;
    switch (e.type) {
      case 'checkout.session.completed':
        if (e.paymentStatus === 'paid' || e.paymentStatus === 'no_payment_required') await grant(e.paid);
        else if (!state.granted) await mark('awaiting_payment', 'completed', 'payment is still processing');
        break;
      case 'checkout.session.async_payment_succeeded':
        await grant(e.paid);
        break;
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired':
        if (!state.granted) {
          closed = true;
          await mark(e.type.endsWith('expired') ? 'expired' : 'failed', e.type);
        }
        break;
      case 'charge.refunded':
        if (e.chargeAmount && e.amountRefunded !== undefined) refundedFraction = Math.max(refundedFraction, e.amountRefunded / e.chargeAmount);
        break;
      case 'charge.dispute.created':
        disputed = e.disputeId ?? e.chargeId ?? 'unknown';
        break;
      case 'charge.dispute.closed':
        // Won: what the dispute took comes back, once (keyed by the dispute). Usually handled by a
        // fresh run: the run that clawed everything back has finished listening.
        if (e.disputeStatus === 'won' && e.disputeId) {
          const back = await acts.reinstateDisputeCredits({ accountId: input.accountId, sessionId: input.sessionId, disputeId: e.disputeId });
          if (disputed === e.disputeId) disputed = undefined;
          if (back.credits > 0) {
            state.clawedBack = Math.max(0, state.clawedBack - back.credits);
            await mark('granted', 'dispute_won', `${disputeWonDetailPrefix(e.disputeId)} ${back.credits} credits given back`);
          }
        }
        break;
    }
    await settleClawbacks();
  }

  // Phase 1: until paid, closed, or the session (plus a grace period) is long expired.
  const deadline = Date.parse(input.expiresAt) + input.graceMs;
  while (!state.granted && !closed) {
    const got = await condition(() => queue.length > 0, Math.max(0, deadline - Date.now()));
    if (!got) {
      closed = true;
      await mark('expired', 'deadline', 'no payment arrived before the session expired');
      break;
    }
    await handle(queue.shift()!);
  }

  // Phase 2: a paid purchase keeps listening for refunds and disputes for a while.
  if (state.granted) {
    const watchUntil = Date.now() + input.watchMs;
    while (state.clawedBack < input.credits) {
      const got = await condition(() => queue.length > 0, Math.max(0, watchUntil - Date.now()));
      if (!got) break;
      await handle(queue.shift()!);
    }
  }
  // Events that arrived while we were finishing are still handled.
  while (queue.length) await handle(queue.shift()!);
  return { ...state, eventsSeen: seen.size };
}
