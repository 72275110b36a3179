// Delivers recorded Stripe events to their purchase workflows after Stripe has its answer. The
// webhook route records the event (webhook_events + a stripe_relay entry) and answers; then it
// relays that one event in-process. The sweeper delivers whatever is left (an API that died between
// the answer and the signal, a Temporal that was down) on start and every STRIPE_RELAY_INTERVAL.
import type { StripeRelayDoc } from '../core/records';
import type { ServiceContext } from './context';
import { signalStripeEvent } from './purchases';

const log = (msg: string) => console.warn(`[stripe-relay] ${msg}`);

/** Relays one recorded event; a failure leaves its entry for the sweeper. */
export async function relayStripeEvent(ctx: ServiceContext, eventId: string): Promise<boolean> {
  const entry = await ctx.db.stripeRelay.findOne({ _id: eventId });
  if (!entry) return true;
  return relayEntry(ctx, entry);
}

async function relayEntry(ctx: ServiceContext, entry: StripeRelayDoc): Promise<boolean> {
  try {
    await signalStripeEvent(ctx, entry);
    return true;
  } catch (err) {
    log(`event ${entry._id} for purchase ${entry.sessionId} not delivered yet (${(err as Error).message}); the sweeper tries again`);
    return false;
  }
}

/** One pass over the relay's to-do list, oldest first; how many were delivered. */
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
