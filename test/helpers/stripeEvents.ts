// Stripe events as Stripe sends them: the JSON envelope, signed with the webhook secret.
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_123');
let n = 0;

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${Date.now()}_${++n}`): string {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-10-29.clover',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
}

export function signedHeaders(payload: string, secret: string, timestamp?: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) }),
  };
}

export const sessionObject = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  object: 'checkout.session',
  mode: 'payment',
  status: 'complete',
  payment_status: 'paid',
  payment_intent: `pi_${id.slice(-10)}`,
  ...over,
});

/** What a paid session of this purchase carries, as Stripe fills it from our Checkout Session. */
export const paidFields = (p: { _id: string; accountId: string; memberId: string; packId: string; credits: number; amount: number; currency: string }) => ({
  amount_total: p.amount,
  currency: p.currency,
  client_reference_id: p.accountId,
  metadata: { accountId: p.accountId, memberId: p.memberId, packId: p.packId, credits: String(p.credits) },
});

export const chargeObject = (paymentIntent: string, amount: number, refunded: number, metadata: Record<string, string> = {}) => ({
  id: `ch_${paymentIntent.slice(3)}`,
  object: 'charge',
  amount,
  amount_refunded: refunded,
  refunded: refunded >= amount,
  payment_intent: paymentIntent,
  metadata,
});
