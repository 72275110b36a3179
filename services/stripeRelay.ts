// Routes recorded Stripe events to their purchase workflows after Stripe has its answer. The
// webhook route writes the event into the relay's inbox (stripe_relay) and answers; then it relays
// that one event in-process. The sweeper routes whatever is left (an API that died between the
// answer and the relay, a Temporal that was down, a refund that came before its session event) on
// start and every STRIPE_RELAY_INTERVAL.
import type { StripeRelayDoc } from '../core/records';
import type { ServiceContext } from './context';
import { routeStripeEvent, type RouteResult } from './purchases';

const log = (msg: string) => console.warn(`[stripe-relay] ${msg}`);

/** Stripe gives up retrying an event after three days; a refund held that long will not be routed. */
const HOLD_MS = 3 * 24 * 3600_000;

/** Relays one recorded event; a failure leaves its entry for the sweeper. */
export async function relayStripeEvent(ctx: ServiceContext, eventId: string): Promise<boolean> {
  const entry = await ctx.db.stripeRelay.findOne({ _id: eventId });
  if (!entry) return true;
  return relayEntry(ctx, entry);
}

async function relayEntry(ctx: ServiceContext, entry: StripeRelayDoc): Promise<boolean> {
  let result: RouteResult;
  try {
    result = await routeStripeEvent(ctx, entry);
  } catch (err) {
    log(`event ${entry._id} not delivered yet (${(err as Error).message}); the sweeper tries again`);
    return false;
  }
  if (result === 'waiting') {
    if (entry.at.getTime() < Date.now() - HOLD_MS) {
      log(`ALERT event ${entry._id} (${entry.type}) waited three days for its purchase; dropped`);
      await ctx.db.stripeRelay.deleteOne({ _id: entry._id });
    }
    return false;
  }
  // A session event names its payment intent: refunds or disputes of it that came first can go now.
  const pi = entry.routed?.sessionId ? entry.routed.paymentIntentId : undefined;
  if (result === 'delivered' && pi) await relayWaitingFor(ctx, pi, entry._id);
  return true;
}

async function relayWaitingFor(ctx: ServiceContext, paymentIntentId: string, except: string): Promise<void> {
  // The to-do list is small (what is not routed yet), so reading it by a field is cheap.
  const waiting = await ctx.db.stripeRelay.find({ 'routed.paymentIntentId': paymentIntentId }).toArray();
  for (const entry of waiting) if (entry._id !== except && !entry.routed?.sessionId) await relayEntry(ctx, entry);
}

/** One pass over the relay's to-do list, oldest first; how many were handled. */
export async function sweepStripeRelay(ctx: ServiceContext, opts: { batch?: number } = {}): Promise<number> {
  const entries = await ctx.db.stripeRelay
    .find({})
    .limit(opts.batch ?? 200)
    .toArray();
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  let delivered = 0;
  for (const entry of entries) if (await relayEntry(ctx, entry)) delivered++;
  return delivered;
}

/** Sweeps at once, then every `intervalMs` (one pass at a time); returns the stop function. */
export function startStripeRelay(ctx: ServiceContext, intervalMs: number): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = running.then(() => sweepStripeRelay(ctx)).catch((err: unknown) => log(`sweep failed: ${(err as Error).message}`));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
