// Stripe's webhook: verify the raw body against the signing secret, write the event into the
// relay's inbox (one insert, in the inbox database), answer. Routing it to its purchase and the
// signal to Temporal come after the answer, once deliveries stop coming (services/stripeRelay.ts),
// so neither a busy Temporal nor the worker's writes delay Stripe.
import express, { Router } from 'express';
import type Stripe from 'stripe';
import { recordStripeEvent, type PurchaseContext } from '../../services/purchases';
import { relayStripeEvent, stripeAckArriving } from '../../services/stripeRelay';
import { sendProblem } from '../problem';

export function stripeWebhookRouter(ctx: PurchaseContext): Router {
  const r = Router();
  r.post('/webhooks/stripe', express.raw({ type: '*/*', limit: '512kb' }), async (req, res) => {
    const signature = req.get('stripe-signature');
    if (!signature) return sendProblem(res, 400, 'Missing signature', 'The Stripe-Signature header is required.');
    let event: Stripe.Event;
    try {
      event = ctx.stripe.webhooks.constructEvent(Buffer.isBuffer(req.body) ? req.body : Buffer.from(''), signature, ctx.config.STRIPE_WEBHOOK_SECRET);
    } catch (err) {
      return sendProblem(res, 400, 'Bad signature', `Webhook signature verification failed: ${(err as Error).message}`);
    }
    stripeAckArriving(ctx);
    // A failed insert throws: not acknowledged, so Stripe delivers it again later.
    const result = await recordStripeEvent(ctx, event);
    res.json({ received: true, result });
    // After the answer; a failure (or a crash now) leaves the event to the sweeper.
    if (result === 'recorded') relayStripeEvent(ctx, event.id);
  });
  return r;
}
