// Buying credits: Checkout Sessions out, Stripe events in. The decisions live in the
// creditPurchase workflow; this only creates sessions and routes each event to its workflow.
import type Stripe from 'stripe';
import { isDuplicateKey } from '../core/db';
import { findPack, type CreditPack } from '../core/packs';
import type { PurchaseDoc, StripeRelayDoc } from '../core/records';
import { stripeEventSignal, type PurchaseInput, type StripeEventSignal } from '../workflows/creditPurchase';
import type { ServiceContext } from './context';
import { UserError } from './errors';
import { inboxInserter } from '../core/groupCommit';

export const purchaseWorkflowId = (sessionId: string): string => `payment-${sessionId}`;

export type PurchaseContext = ServiceContext;

function purchaseInput(ctx: ServiceContext, p: Pick<PurchaseDoc, '_id' | 'accountId' | 'packId' | 'credits' | 'amount' | 'expiresAt'>): PurchaseInput {
  return {
    sessionId: p._id,
    accountId: p.accountId,
    packId: p.packId,
    credits: p.credits,
    amount: p.amount,
    expiresAt: p.expiresAt.toISOString(),
    graceMs: ctx.config.PURCHASE_GRACE,
    watchMs: ctx.config.PURCHASE_WATCH,
  };
}

export async function createCheckout(
  ctx: PurchaseContext,
  buyer: { accountId: string; memberId: string },
  packId: string,
): Promise<{ sessionId: string; url: string; pack: CreditPack }> {
  const pack = findPack(ctx.config, packId);
  if (!pack) {
    throw new UserError(`Unknown pack "${packId}". Choose one of: ${ctx.config.CREDIT_PACKS.map((p) => p.id).join(', ')} (GET /v1/packs).`, 400, [
      { path: 'pack', message: 'unknown pack' },
    ]);
  }
  const base = ctx.config.PUBLIC_URL.replace(/\/$/, '');
  // Checkout Sessions live at most 24 h; an hour is plenty for someone who just clicked Buy.
  const expiresAt = new Date(Date.now() + 60 * 60_000);
  const session = await ctx.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      pack.priceId
        ? { price: pack.priceId, quantity: 1 }
        : {
            price_data: { currency: pack.currency, unit_amount: pack.amount, product_data: { name: `PostForge ${pack.name} — ${pack.credits} credits` } },
            quantity: 1,
          },
    ],
    client_reference_id: buyer.accountId,
    metadata: { accountId: buyer.accountId, memberId: buyer.memberId, packId: pack.id, credits: String(pack.credits) },
    payment_intent_data: { metadata: { accountId: buyer.accountId, packId: pack.id } },
    success_url: `${base}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/checkout/cancel?session_id={CHECKOUT_SESSION_ID}`,
    expires_at: Math.floor(expiresAt.getTime() / 1000),
  });
  if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
  const now = new Date();
  const doc: PurchaseDoc = {
    _id: session.id,
    accountId: buyer.accountId,
    memberId: buyer.memberId,
    packId: pack.id,
    credits: pack.credits,
    amount: pack.amount,
    currency: pack.currency,
    url: session.url,
    status: 'open',
    clawedBack: 0,
    clawedBackKept: true,
    expiresAt,
    history: [{ at: now, event: 'created' }],
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.purchases.insertOne(doc);
  await ctx.temporal.workflow.start('creditPurchase', {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: purchaseWorkflowId(session.id),
    args: [purchaseInput(ctx, doc)],
  });
  return { sessionId: session.id, url: session.url, pack };
}

const stringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(v && typeof v === 'object' ? (v as Record<string, unknown>) : {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );

/** What we take from an event for the workflow: only plain facts, never the whole object. */
function toSignal(
  event: Stripe.Event,
): { sessionId?: string; paymentIntentId?: string; signal: StripeEventSignal; metadata?: Record<string, string> } | undefined {
  const obj = event.data.object as unknown as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : undefined;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const paymentIntentId = str(obj.payment_intent);
      const metadata = stringMap(obj.metadata);
      return {
        sessionId: str(obj.id),
        ...(paymentIntentId ? { paymentIntentId } : {}),
        metadata,
        signal: {
          id: event.id,
          type: event.type,
          ...(typeof obj.payment_status === 'string' ? { paymentStatus: obj.payment_status } : {}),
          ...(paymentIntentId ? { paymentIntentId } : {}),
          paid: {
            ...(typeof obj.amount_total === 'number' ? { amountTotal: obj.amount_total } : {}),
            ...(typeof obj.currency === 'string' ? { currency: obj.currency } : {}),
            ...(typeof obj.client_reference_id === 'string' ? { clientReferenceId: obj.client_reference_id } : {}),
            metadata,
          },
        },
      };
    }
    case 'charge.refunded':
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const isDispute = event.type !== 'charge.refunded';
      const paymentIntentId = str(obj.payment_intent);
      const chargeId = isDispute ? str(obj.charge) : str(obj.id);
      return {
        ...(paymentIntentId ? { paymentIntentId } : {}),
        metadata: stringMap(obj.metadata),
        signal: {
          id: event.id,
          type: event.type,
          ...(chargeId ? { chargeId } : {}),
          ...(typeof obj.amount === 'number' ? { chargeAmount: obj.amount } : {}),
          ...(typeof obj.amount_refunded === 'number' ? { amountRefunded: obj.amount_refunded } : {}),
          ...(isDispute && str(obj.id) ? { disputeId: str(obj.id)! } : {}),
          ...(isDispute && typeof obj.status === 'string' ? { disputeStatus: obj.status } : {}),
        },
      };
    }
    default:
      return undefined;
  }
}

/** The webhook's answer: `recorded` (handed to the relay), `duplicate` (already waiting there), `ignored` (not a type we handle). */
export type DeliveryResult = 'recorded' | 'duplicate' | 'ignored';

/** What the relay made of an event: signalled, seen before, never ours, or waiting for its session event. */
export type RouteResult = 'delivered' | 'duplicate' | 'unroutable' | 'waiting';

async function purchaseByPaymentIntent(ctx: ServiceContext, paymentIntentId: string): Promise<PurchaseDoc | null> {
  const routed = await ctx.db.paymentIntents.findOne({ _id: paymentIntentId });
  // Purchases from before the routing collection carry the intent on their own document.
  return routed ? ctx.db.purchases.findOne({ _id: routed.sessionId }) : ctx.db.purchases.findOne({ paymentIntentId });
}

/** A first write that may race its twin (Stripe delivers one event several times at once): the first insert wins. */
async function insertOnce<T extends { _id: string }>(collection: { insertOne(doc: T): Promise<unknown> }, doc: T): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}

/**
 * The webhook's one durable write: a verified event goes into the relay's inbox under its own id,
 * and that is all before the answer. Routing (dedupe, the purchase, the payment-intent route, the
 * signal) is the relay's (routeStripeEvent), after the answer: on FerretDB every extra read and
 * write here queued behind its single SQLite writer and took the ack's p99 to 3 s at 50 concurrent.
 * A duplicate key means this event is already waiting: answered 2xx all the same.
 */
export async function recordStripeEvent(ctx: ServiceContext, event: Stripe.Event): Promise<DeliveryResult> {
  const routed = toSignal(event);
  // A type we never act on needs no record: answering 2xx is all Stripe needs.
  if (!routed) return 'ignored';
  const fresh = await inboxInserter<StripeRelayDoc>(ctx.db.inbox, 'stripe_relay').insert({ _id: event.id, type: event.type, routed, at: new Date() });
  return fresh ? 'recorded' : 'duplicate';
}

/**
 * Routes one recorded event to its purchase's workflow, once: the work the webhook used to do
 * before answering. Run by the relay after the answer and by its sweeper; safe to run twice at
 * once (every write is an insert under a unique id, and the workflow drops a repeat by event id).
 */
export async function routeStripeEvent(ctx: ServiceContext, entry: StripeRelayDoc): Promise<RouteResult> {
  if (!entry.routed) {
    // Written by an API from before the one-write ack: already routed and recorded.
    if (!entry.sessionId || !entry.signal) return drop(ctx, entry, 'duplicate');
    await signalStripeEvent(ctx, { _id: entry._id, sessionId: entry.sessionId, signal: entry.signal });
    return 'delivered';
  }
  const routed = entry.routed;
  const type = entry.type ?? routed.signal.type;
  const seen = await ctx.db.webhookEvents.findOne({ _id: entry._id });
  if (seen && seen.state !== 'received') return drop(ctx, entry, 'duplicate');

  let purchase = routed.sessionId
    ? await ctx.db.purchases.findOne({ _id: routed.sessionId })
    : routed.paymentIntentId
      ? await purchaseByPaymentIntent(ctx, routed.paymentIntentId)
      : null;
  if (!purchase && routed.sessionId && routed.metadata?.accountId && routed.metadata.packId) {
    // The event beat our own record of the session: rebuild what the workflow needs from metadata.
    const pack = findPack(ctx.config, routed.metadata.packId);
    if (pack) {
      purchase = {
        _id: routed.sessionId,
        accountId: routed.metadata.accountId,
        memberId: routed.metadata.memberId ?? routed.metadata.accountId,
        packId: pack.id,
        credits: pack.credits,
        amount: pack.amount,
        currency: pack.currency,
        url: '',
        status: 'open',
        clawedBack: 0,
        clawedBackKept: true,
        expiresAt: new Date(Date.now() + 60 * 60_000),
        history: [],
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      await insertOnce(ctx.db.purchases, purchase);
    }
  }
  if (!purchase) {
    const ours = Boolean(routed.metadata?.accountId && routed.metadata.packId);
    // Held, not dropped, only when a later event really can route it: a refund or dispute of a
    // charge that carries our metadata (copied from payment_intent_data at checkout) whose session
    // event has not been routed yet. The session event's routing relays it (relayWaitingFor).
    if (!routed.sessionId && ours) return 'waiting';
    // Everything else can never be routed: another product on the same Stripe account, a charge or
    // session without our metadata, or (ours, but) a pack no longer on sale. Recorded, and logged for a person.
    const reason = routed.sessionId
      ? ours
        ? `session ${routed.sessionId} names pack "${routed.metadata?.packId}", which is not on sale here`
        : `session ${routed.sessionId} carries no metadata of ours`
      : `payment ${routed.paymentIntentId ?? '(none)'} belongs to no purchase and carries no metadata of ours`;
    const log = ours ? console.error : console.warn;
    log(`[purchases] ${ours ? 'ALERT ' : ''}Stripe event ${entry._id} (${type}) cannot be routed: ${reason}`);
    await insertOnce(ctx.db.webhookEvents, { _id: entry._id, type, state: 'unroutable', reason, receivedAt: entry.at });
    return drop(ctx, entry, 'unroutable');
  }

  await insertOnce(ctx.db.webhookEvents, { _id: entry._id, type, sessionId: purchase._id, state: 'received', receivedAt: entry.at });
  if (routed.paymentIntentId && routed.sessionId) {
    // Refund and dispute events name only the payment intent: remember which session it paid. In a
    // document of its own: the purchase's is written by its workflow, and a second writer on
    // FerretDB v1 can undo the workflow's change (see core/postRecords.ts).
    await insertOnce(ctx.db.paymentIntents, { _id: routed.paymentIntentId, sessionId: purchase._id, at: new Date() });
  }
  await signalStripeEvent(ctx, { _id: entry._id, sessionId: purchase._id, signal: routed.signal });
  return 'delivered';
}

async function drop(ctx: ServiceContext, entry: StripeRelayDoc, result: RouteResult): Promise<RouteResult> {
  await ctx.db.stripeRelay.deleteOne({ _id: entry._id });
  return result;
}

/** Signals a routed event to its purchase workflow (started if need be), then marks it delivered. */
export async function signalStripeEvent(ctx: ServiceContext, entry: { _id: string; sessionId: string; signal: { id: string; type: string } }): Promise<void> {
  const purchase = await ctx.db.purchases.findOne({ _id: entry.sessionId });
  if (!purchase) throw new Error(`Stripe event ${entry._id}: purchase ${entry.sessionId} is gone`);
  await ctx.temporal.workflow.signalWithStart('creditPurchase', {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: purchaseWorkflowId(purchase._id),
    args: [purchaseInput(ctx, purchase)],
    signal: stripeEventSignal,
    signalArgs: [entry.signal as unknown as StripeEventSignal],
  });
  await ctx.db.webhookEvents.updateOne({ _id: entry._id }, { $set: { state: 'delivered' } });
  await ctx.db.stripeRelay.deleteOne({ _id: entry._id });
}
