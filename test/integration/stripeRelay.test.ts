// The Stripe webhook answers once the event is recorded; the signal to Temporal follows after the
// answer, and the relay's sweeper delivers what an API crash or a Temporal outage left behind.
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { Collection } from 'mongodb';
import type Stripe from 'stripe';
import { createApp } from '../../api/app';
import type { Database } from '../../core/db';
import { balanceOf } from '../../core/ledger';
import { recordStripeEvent } from '../../services/purchases';
import { startStripeRelay, sweepStripeRelay } from '../../services/stripeRelay';
import { paidFields, sessionObject, signedHeaders, stripeEvent } from '../helpers/stripeEvents';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('striperelay');
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => stack?.stop());

const purchase = (id: string) => stack.db.purchases.findOne({ _id: id });
async function checkout(auth: Record<string, string>) {
  const res = await fetch(`${stack.apiUrl}/v1/checkout`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ pack: 'starter' }),
  });
  expect(res.status).toBe(201);
  const { sessionId } = (await res.json()) as { sessionId: string };
  const p = await purchase(sessionId);
  return { sessionId, completed: stripeEvent('checkout.session.completed', sessionObject(sessionId, paidFields(p!))) };
}

/** Every call made on any collection, in order (inserts included), also through `db.db.collection(name)` and `db.inbox.collection(name)`. */
function everyCall(db: Database): { db: Database; calls: string[] } {
  const calls: string[] = [];
  const watch = (name: string, c: object) =>
    new Proxy(c, {
      get(target, op, r) {
        const fn = Reflect.get(target, op, r) as unknown;
        if (typeof fn !== 'function') return fn;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(op)}`);
          return (fn as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const collections = <D extends Database['db']>(d: D) =>
    new Proxy(d, {
      get(target, prop, r) {
        if (prop !== 'collection') return Reflect.get(target, prop, r) as unknown;
        return (name: string) => watch(name, target.collection(name));
      },
    });
  const raw = collections(db.db);
  const inbox = collections(db.inbox);
  const proxied = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'db') return raw;
      if (prop === 'inbox') return inbox;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return value instanceof Collection ? watch(String(prop), value) : value;
    },
  });
  return { db: proxied, calls };
}

describe('Stripe webhook: ack on the durable record, delivery after', () => {
  it('the answer waits on exactly one write: the event inserted into the relay inbox under its id (grouped with concurrent ones)', async () => {
    const { auth } = await stack.newAccount('onewrite');
    const { sessionId, completed } = await checkout(auth);
    const watched = everyCall(stack.db);
    // A relay that never runs: only the answer's own work is seen.
    const idle = { workflow: { signalWithStart: () => new Promise(() => undefined) } } as unknown as Client;
    const server: Server = await new Promise((resolve) => {
      const s = createApp({ ...stack.ctx, db: watched.db, temporal: idle }).listen(0, '127.0.0.1', () => resolve(s));
    });
    // Marks the moment the answer's head is written: what came before it is what Stripe waited on.
    server.prependListener('request', (_req, res: ServerResponse) => {
      const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
      res.writeHead = ((...args: unknown[]) => {
        watched.calls.push('ANSWER');
        return writeHead(...args);
      }) as typeof res.writeHead;
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
      const res = await fetch(url, { method: 'POST', headers: signedHeaders(completed, stack.config.STRIPE_WEBHOOK_SECRET), body: completed });
      expect(res.status).toBe(200);
      expect(watched.calls.slice(0, watched.calls.indexOf('ANSWER'))).toEqual(['stripe_relay.insertMany']);
      expect(await stack.db.stripeRelay.findOne({ _id: (JSON.parse(completed) as { id: string }).id })).toMatchObject({ routed: { sessionId } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await sweepStripeRelay(stack.ctx);
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted' });
  });

  it('an event recorded by an API that died before signalling is delivered by the sweeper', async () => {
    const { auth, accountId } = await stack.newAccount('relaycrash');
    const { sessionId, completed } = await checkout(auth);
    const event = JSON.parse(completed) as Stripe.Event;
    // What the route does before it answers; the process "dies" before the relay runs.
    expect(await recordStripeEvent(stack.ctx, event)).toBe('recorded');
    expect(await stack.db.stripeRelay.findOne({ _id: event.id })).toMatchObject({ type: 'checkout.session.completed', routed: { sessionId } });
    // The same delivery again while it waits: the one insert fails on the duplicate id, answered all the same.
    expect(await recordStripeEvent(stack.ctx, event)).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await purchase(sessionId))?.status).toBe('open');

    // The next API's sweeper finds it.
    expect(await sweepStripeRelay(stack.ctx)).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted' });
    expect(await stack.db.webhookEvents.findOne({ _id: event.id })).toMatchObject({ state: 'delivered' });
    expect(await stack.db.stripeRelay.findOne({ _id: event.id })).toBeNull();
    expect(await balanceOf(stack.db, accountId)).toBe(20);
  });

  it('with Temporal unreachable the webhook still answers 200 at once, and the event is delivered later', async () => {
    const { auth, accountId } = await stack.newAccount('relaydown');
    const { sessionId, completed } = await checkout(auth);
    const down = {
      workflow: {
        signalWithStart: async () => {
          throw new Error('14 UNAVAILABLE: connect ECONNREFUSED');
        },
      },
    } as unknown as Client;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const server: Server = await new Promise((resolve) => {
      const s = createApp({ ...stack.ctx, temporal: down }).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
      const started = Date.now();
      const res = await fetch(url, { method: 'POST', headers: signedHeaders(completed, stack.config.STRIPE_WEBHOOK_SECRET), body: completed });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ received: true, result: 'recorded' });
      expect(Date.now() - started).toBeLessThan(1_000);
      // The in-process relay tried and failed: the event waits for the sweeper.
      await eventually(async () => warn.mock.calls.some((c) => String(c[0]).includes('not delivered yet')), { what: 'relay failure logged', timeoutMs: 5_000 });
      expect((await purchase(sessionId))?.status).toBe('open');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      warn.mockRestore();
    }

    // Temporal is back (the stack's client): the sweep delivers it.
    await sweepStripeRelay(stack.ctx);
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted' });
    expect(await balanceOf(stack.db, accountId)).toBe(20);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(1);
  });

  it('the event is recorded in the inbox database, not the main one, and the relay routes it after the answer', async () => {
    const { auth, accountId } = await stack.newAccount('inboxdb');
    const { sessionId, completed } = await checkout(auth);
    const id = (JSON.parse(completed) as { id: string }).id;
    const legacy = stack.db.db.collection<{ _id: string }>('stripe_relay');
    const res = await fetch(`${stack.apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: signedHeaders(completed, stack.config.STRIPE_WEBHOOK_SECRET),
      body: completed,
    });
    expect(await res.json()).toMatchObject({ result: 'recorded' });
    expect(stack.db.inbox.databaseName).toBe(`${stack.db.db.databaseName}_inbox`);
    expect(await legacy.countDocuments({ _id: id })).toBe(0);
    // No sweep: the in-process relay, once the webhook is quiet.
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted by the relay' });
    await eventually(async () => (await stack.db.stripeRelay.countDocuments({ _id: id })) === 0, { what: 'the inbox entry removed' });
    expect(await balanceOf(stack.db, accountId)).toBe(20);
  });

  it('an event an older API left in the main database is moved to the inbox database and delivered', async () => {
    const { auth, accountId } = await stack.newAccount('legacyinbox');
    const { sessionId, completed } = await checkout(auth);
    const event = JSON.parse(completed) as Stripe.Event;
    // Recorded the way the older API did: its entry in the main database's stripe_relay.
    expect(await recordStripeEvent(stack.ctx, event)).toBe('recorded');
    const entry = (await stack.db.stripeRelay.findOne({ _id: event.id }))!;
    await stack.db.stripeRelay.deleteOne({ _id: event.id });
    const legacy = stack.db.db.collection<typeof entry>('stripe_relay');
    await legacy.insertOne(entry);

    const stop = startStripeRelay(stack.ctx, 60_000);
    try {
      await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted' });
    } finally {
      await stop();
    }
    expect(await legacy.countDocuments({})).toBe(0);
    expect(await stack.db.stripeRelay.findOne({ _id: event.id })).toBeNull();
    expect(await balanceOf(stack.db, accountId)).toBe(20);
  });
});
