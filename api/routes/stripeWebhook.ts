// Stripe's webhook: the raw body is verified against the signing secret before anything else,
// then the event is recorded for its purchase workflow and answered; the signal to Temporal goes
// out after the answer (services/stripeRelay.ts), so a busy Temporal never delays Stripe.
import express, { Router } from 'express';
import type Stripe from 'stripe';
import { deliverStripeEvent, NotYetRoutable, type PurchaseContext } from '../../services/purchases';
import { relayStripeEvent } from '../../services/stripeRelay';
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
    try {
      const result = await deliverStripeEvent(ctx, event);
      res.json({ received: true, result });
      // After the answer; a failure (or a crash now) leaves the event to the sweeper.
      if (result === 'recorded') void relayStripeEvent(ctx, event.id);
    } catch (err) {
      // Not acknowledged, so Stripe delivers it again later: nothing is lost.
      if (err instanceof NotYetRoutable) return sendProblem(res, 409, 'Not yet known', `${err.message}; Stripe will retry.`);
      throw err;
    }
  });
  return r;
}
