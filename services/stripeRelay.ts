// Routes recorded Stripe events to their purchase workflows after Stripe has its answer. The
// webhook route writes the event into the relay's inbox (stripe_relay, in the inbox database) and
// answers; then this process's relay routes it once the webhook is quiet (services/relayQueue.ts).
// The sweeper routes whatever is left (an API that died between the answer and the relay, a
// Temporal that was down, a refund that came before its session event) on start and every
// STRIPE_RELAY_INTERVAL.
import { adoptLegacyInbox, type Database } from '../core/db';
import type { StripeRelayDoc } from '../core/records';
import type { ServiceContext } from './context';
import { routeStripeEvent, type RouteResult } from './purchases';
import { EDGE_RELAY_MAX_HOLD_MS, EDGE_RELAY_QUIET_MS, eachLimited, relayQueue, type RelayQueue } from './relayQueue';

const log = (msg: string) => console.warn(`[stripe-relay] ${msg}`);

/** Stripe gives up retrying an event after three days; a refund held that long will not be routed. */
const HOLD_MS = 3 * 24 * 3600_000;

/** Events routed at once in one relay pass. */
const ROUTES_AT_ONCE = 4;

const relays = new WeakMap<Database, RelayQueue<{ ctx: ServiceContext; id: string }>>();

function stripeRelay(ctx: ServiceContext): RelayQueue<{ ctx: ServiceContext; id: string }> {
  let relay = relays.get(ctx.db);
  if (!relay) {
    relay = relayQueue({ quietMs: EDGE_RELAY_QUIET_MS, maxHoldMs: EDGE_RELAY_MAX_HOLD_MS, run: relayHeld });
    relays.set(ctx.db, relay);
  }
  return relay;
}

/** A webhook delivery is being answered: the relay's routing waits until they stop coming. */
export function stripeAckArriving(ctx: ServiceContext): void {
  stripeRelay(ctx).ackArriving();
}

/**
 * After the answer: this process's relay routes the recorded event once the webhook has had no
 * delivery for EDGE_RELAY_QUIET_MS (at most EDGE_RELAY_MAX_HOLD_MS from now); a failure leaves its
 * entry for the sweeper.
 */
export function relayStripeEvent(ctx: ServiceContext, eventId: string): void {
  stripeRelay(ctx).add(eventId, { ctx, id: eventId });
}

/** Routes the held events: one read of their entries, then each in the order they came. */
async function relayHeld(held: { ctx: ServiceContext; id: string }[]): Promise<void> {
  const ctx = held[0]?.ctx;
  if (!ctx) return;
  const entries = await ctx.db.stripeRelay.find({ _id: { $in: held.map((h) => h.id) } }).toArray();
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  await eachLimited(entries, ROUTES_AT_ONCE, async (entry) => void (await relayEntry(ctx, entry)));
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

/** One pass over the relay's to-do list, oldest first, leaving what this process's relay holds to it; how many were handled. */
export async function sweepStripeRelay(ctx: ServiceContext, opts: { batch?: number } = {}): Promise<number> {
  const relay = stripeRelay(ctx);
  const entries = (
    await ctx.db.stripeRelay
      .find({})
      .limit(opts.batch ?? 200)
      .toArray()
  ).filter((e) => !relay.holds(e._id));
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  let delivered = 0;
  for (const entry of entries) if (await relayEntry(ctx, entry)) delivered++;
  return delivered;
}

/**
 * Moves entries an older version left in the main database, sweeps at once, then every
 * `intervalMs` (one pass at a time); the stop function routes what the relay still holds.
 */
export function startStripeRelay(ctx: ServiceContext, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> = adoptLegacyInbox(ctx.db, 'stripe_relay');
  const pass = () => {
    running = running.then(() => sweepStripeRelay(ctx)).catch((err: unknown) => log(`sweep failed: ${(err as Error).message}`));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await stripeRelay(ctx).flush();
  };
}
