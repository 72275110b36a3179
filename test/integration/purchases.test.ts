// Buying credits end to end: the API creates a real Checkout Session on stripe-mock and starts
// the purchase workflow on the real Temporal server; signed webhooks drive it from there.
import { appendToLedger, balanceOf } from '../../core/ledger';
import { purchaseActivities } from '../../worker/activities/purchases';
import { recordingDb, scans } from '../helpers/recordingDb';
import { chargeObject, paidFields, sessionObject, signedHeaders, stripeEvent } from '../helpers/stripeEvents';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('purchases');
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => stack?.stop());

const secret = () => stack.config.STRIPE_WEBHOOK_SECRET;
async function sendEvent(payload: string, headers = signedHeaders(payload, secret())) {
  const res = await fetch(`${stack.apiUrl}/webhooks/stripe`, { method: 'POST', headers, body: payload });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function checkout(auth: Record<string, string>, pack = 'popular') {
  const res = await fetch(`${stack.apiUrl}/v1/checkout`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ pack }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { sessionId: string; url: string; credits: number };
}
const purchase = (id: string) => stack.db.purchases.findOne({ _id: id });
/** The session object Stripe sends for one of our purchases: what its pack costs, with our metadata. */
async function paidSession(id: string, over: Record<string, unknown> = {}) {
  const p = await purchase(id);
  if (!p) throw new Error(`no purchase ${id}`);
  return sessionObject(id, { ...paidFields(p), ...over });
}

describe('credit purchases', () => {
  it('lists the packs', async () => {
    const { auth } = await stack.newAccount('packs');
    const res = await fetch(`${stack.apiUrl}/v1/packs`, { headers: auth });
    const body = (await res.json()) as { packs: { id: string; credits: number; price: string }[] };
    expect(body.packs.map((p) => [p.id, p.credits, p.price])).toEqual([
      ['starter', 10, '$5.00'],
      ['popular', 50, '$20.00'],
      ['pro', 150, '$50.00'],
    ]);
  });

  it('rejects an unknown pack with the choices', async () => {
    const { auth } = await stack.newAccount('badpack');
    const res = await fetch(`${stack.apiUrl}/v1/checkout`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ pack: 'mega' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/Unknown pack "mega".*starter, popular, pro/);
  });

  it('checkout → signed completed event → credits granted once, whatever repeats', async () => {
    const { auth, accountId } = await stack.newAccount('buyer');
    const { sessionId, url } = await checkout(auth);
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect((await purchase(sessionId))?.status).toBe('open');

    const completed = stripeEvent('checkout.session.completed', await paidSession(sessionId));
    expect((await sendEvent(completed)).body.result).toBe('recorded');
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'grant' });
    expect(await balanceOf(stack.db, accountId)).toBe(60);

    // The same event again (answered 2xx; the relay finds it handled and drops it), then the async
    // success for the same session: no change.
    expect((await sendEvent(completed)).status).toBe(200);
    const asyncOk = stripeEvent('checkout.session.async_payment_succeeded', await paidSession(sessionId));
    expect((await sendEvent(asyncOk)).body.result).toBe('recorded');
    const h = stack.env.client.workflow.getHandle(`payment-${sessionId}`);
    await eventually(async () => (await h.query<{ eventsSeen: number }>('purchaseStatus')).eventsSeen === 2, { what: 'second event handled' });
    expect(await balanceOf(stack.db, accountId)).toBe(60);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(1);

    // The success page reads the outcome from the purchase, not from the URL.
    const page = await (await fetch(`${stack.apiUrl}/checkout/success?session_id=${sessionId}`)).text();
    expect(page).toContain('<strong>50 credits</strong> were added');
  });

  it('waits for async payments, and shows the success page as pending meanwhile', async () => {
    const { auth, accountId } = await stack.newAccount('async');
    const { sessionId } = await checkout(auth, 'starter');
    await sendEvent(stripeEvent('checkout.session.completed', await paidSession(sessionId, { payment_status: 'unpaid' })));
    await eventually(async () => (await purchase(sessionId))?.status === 'awaiting_payment', { what: 'awaiting' });
    expect(await balanceOf(stack.db, accountId)).toBe(10);
    expect(await (await fetch(`${stack.apiUrl}/checkout/success?session_id=${sessionId}`)).text()).toContain('Confirming your payment');
    await sendEvent(stripeEvent('checkout.session.async_payment_failed', await paidSession(sessionId, { payment_status: 'unpaid' })));
    await eventually(async () => (await purchase(sessionId))?.status === 'failed', { what: 'failed' });
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('rejects forged and stale signatures', async () => {
    const payload = stripeEvent('checkout.session.completed', sessionObject('cs_test_forged'));
    const forged = await sendEvent(payload, signedHeaders(payload, 'whsec_not_ours'));
    expect(forged.status).toBe(400);
    expect(String(forged.body.detail)).toMatch(/signature/i);
    const stale = await sendEvent(payload, signedHeaders(payload, secret(), Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(400);
    expect(String(stale.body.detail)).toMatch(/tolerance/i);
    const tampered = await sendEvent(payload.replace('"paid"', '"paid" '), signedHeaders(payload, secret()));
    expect(tampered.status).toBe(400);
    const missing = await fetch(`${stack.apiUrl}/webhooks/stripe`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' } });
    expect(missing.status).toBe(400);
    expect(await stack.db.webhookEvents.findOne({ sessionId: 'cs_test_forged' })).toBeNull();
  });

  it('an expired session closes the purchase without credits', async () => {
    const { auth, accountId } = await stack.newAccount('expired');
    const { sessionId } = await checkout(auth, 'pro');
    await sendEvent(
      stripeEvent('checkout.session.expired', await paidSession(sessionId, { status: 'expired', payment_status: 'unpaid', payment_intent: null })),
    );
    await eventually(async () => (await purchase(sessionId))?.status === 'expired', { what: 'expired' });
    const h = stack.env.client.workflow.getHandle(`payment-${sessionId}`);
    expect(await h.result()).toMatchObject({ status: 'expired', granted: false });
    expect((await h.describe()).status.name).toBe('COMPLETED');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('refunds claw credits back in proportion', async () => {
    const { auth, accountId } = await stack.newAccount('refund');
    const { sessionId } = await checkout(auth, 'popular');
    const session = await paidSession(sessionId);
    await sendEvent(stripeEvent('checkout.session.completed', session));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 60, { what: 'grant' });
    // Refunds name only the payment intent; the route to the session is kept apart from the
    // purchase document, which only its workflow writes.
    expect(await stack.db.paymentIntents.findOne({ _id: String(session.payment_intent) })).toMatchObject({ sessionId });
    await sendEvent(stripeEvent('charge.refunded', chargeObject(String(session.payment_intent), 2000, 1000)));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 35, { what: 'half clawback' });
    await sendEvent(stripeEvent('charge.refunded', chargeObject(String(session.payment_intent), 2000, 2000)));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 10, { what: 'full clawback' });
    // The workflow records the status after the ledger moved: wait for it rather than race it.
    await eventually(async () => (await purchase(sessionId))?.status === 'refunded', { what: 'refunded' });
  });

  it('a dispute claws back what is left, even below zero', async () => {
    const { auth, accountId } = await stack.newAccount('dispute', { credits: 0 });
    const { sessionId } = await checkout(auth, 'starter');
    const session = await paidSession(sessionId);
    await sendEvent(stripeEvent('checkout.session.completed', session));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 10, { what: 'grant' });
    await appendToLedger(stack.db, accountId, 'spend-test', { amount: -4, kind: 'charge', reason: 'spent' });
    await sendEvent(
      stripeEvent('charge.dispute.created', { id: 'dp_1', object: 'dispute', charge: 'ch_1', payment_intent: session.payment_intent, amount: 500 }),
    );
    await eventually(async () => (await balanceOf(stack.db, accountId)) === -4, { what: 'dispute clawback' });
  });

  it('out-of-order and duplicate deliveries converge to the same ledger', async () => {
    const { auth, accountId } = await stack.newAccount('ooo');
    const { sessionId } = await checkout(auth, 'popular');
    const session = await paidSession(sessionId);
    // Stripe copies the payment intent's metadata (set at checkout) onto its charge.
    const refund = stripeEvent('charge.refunded', chargeObject(String(session.payment_intent), 2000, 2000, { accountId, packId: 'popular' }));
    // The refund names a payment of ours we have not heard of yet: answered (the webhook only
    // records), held by the relay until the session event routes its payment, then delivered.
    expect((await sendEvent(refund)).body.result).toBe('recorded');
    await new Promise((r) => setTimeout(r, 500));
    expect(await stack.db.stripeRelay.findOne({ _id: (JSON.parse(refund) as { id: string }).id })).not.toBeNull();
    const asyncOk = stripeEvent('checkout.session.async_payment_succeeded', session);
    const completed = stripeEvent('checkout.session.completed', session);
    await Promise.all([sendEvent(asyncOk), sendEvent(completed), sendEvent(asyncOk)]);
    expect((await sendEvent(refund)).status).toBe(200);
    await sendEvent(refund);
    await eventually(async () => (await purchase(sessionId))?.status === 'refunded', { what: 'refunded' });
    expect(await balanceOf(stack.db, accountId)).toBe(10);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(1);
  });

  it('simultaneous deliveries of one event all get a 2xx, and grant once', async () => {
    const { auth, accountId } = await stack.newAccount('burst');
    const { sessionId } = await checkout(auth, 'starter');
    const completed = stripeEvent('checkout.session.completed', await paidSession(sessionId));
    // Stripe retries a slow answer while the first delivery is still in flight: the same event id, at once.
    const answers = await Promise.all(Array.from({ length: 8 }, () => sendEvent(completed)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    // Events no purchase owns race the same way.
    const foreign = stripeEvent('checkout.session.completed', sessionObject('cs_test_other_product'));
    const foreignAnswers = await Promise.all(Array.from({ length: 5 }, () => sendEvent(foreign)));
    expect(foreignAnswers.map((a) => a.status)).toEqual(foreignAnswers.map(() => 200));
    await eventually(async () => (await purchase(sessionId))?.status === 'granted', { what: 'granted' });
    expect(await balanceOf(stack.db, accountId)).toBe(20);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(1);
  });

  it('if the credits cannot be granted, the payment is refunded instead', async () => {
    const { auth, accountId } = await stack.newAccount('gone');
    const { sessionId } = await checkout(auth, 'starter');
    await stack.db.accounts.deleteOne({ _id: accountId });
    await sendEvent(stripeEvent('checkout.session.completed', await paidSession(sessionId)));
    await eventually(async () => (await purchase(sessionId))?.status === 'compensated', { what: 'compensation' });
    expect((await purchase(sessionId))?.history.at(-1)?.detail).toMatch(/account_gone.*refunded/);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(0);
  });

  it('a paid session that does not match its pack grants nothing, is recorded and alerts', async () => {
    const { auth, accountId } = await stack.newAccount('underpaid');
    const alerts = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // A 100% coupon, or a price edited in the dashboard: 1 cent for the popular pack.
      const cheap = await checkout(auth, 'popular');
      await sendEvent(stripeEvent('checkout.session.completed', await paidSession(cheap.sessionId, { amount_total: 1 })));
      await eventually(async () => (await purchase(cheap.sessionId))?.status === 'mismatch', { what: 'amount mismatch' });
      expect((await purchase(cheap.sessionId))?.history.at(-1)).toMatchObject({
        event: 'mismatch',
        detail: expect.stringMatching(/paid 1, the pack costs 2000/),
      });
      expect(alerts.mock.calls.some((c) => String(c[0]).includes(cheap.sessionId) && /ALERT/.test(String(c[0])))).toBe(true);

      // Right amount, wrong currency.
      const yen = await checkout(auth, 'starter');
      await sendEvent(stripeEvent('checkout.session.completed', await paidSession(yen.sessionId, { currency: 'jpy' })));
      await eventually(async () => (await purchase(yen.sessionId))?.status === 'mismatch', { what: 'currency mismatch' });

      // A session we never created, whose metadata claims the pro pack for this account, paid at
      // the starter price: rebuilt from its metadata, and refused all the same.
      const forged = sessionObject('cs_test_not_ours_pro', { amount_total: 500, currency: 'usd', metadata: { accountId, packId: 'pro', credits: '150' } });
      expect((await sendEvent(stripeEvent('checkout.session.completed', forged))).body.result).toBe('recorded');
      await eventually(async () => (await purchase('cs_test_not_ours_pro'))?.status === 'mismatch', { what: 'forged pack mismatch' });

      expect(await balanceOf(stack.db, accountId)).toBe(10);
      expect(await stack.db.ledger.countDocuments({ accountId, kind: 'purchase' })).toBe(0);
      // Nothing was refunded automatically either: a person decides.
      expect(await stack.env.client.workflow.getHandle(`payment-${cheap.sessionId}`).result()).toMatchObject({ status: 'mismatch', granted: false });
      // A later event for the same session starts a fresh run, which stays closed.
      await sendEvent(stripeEvent('checkout.session.async_payment_succeeded', await paidSession(cheap.sessionId, { amount_total: 1 })));
      await eventually(
        async () =>
          (
            await stack.env.client.workflow
              .getHandle(`payment-${cheap.sessionId}`)
              .query<{ eventsSeen: number }>('purchaseStatus')
              .catch(() => ({ eventsSeen: 0 }))
          ).eventsSeen === 1 || (await stack.env.client.workflow.getHandle(`payment-${cheap.sessionId}`).describe()).status.name === 'COMPLETED',
        { what: 'late event handled' },
      );
      expect((await purchase(cheap.sessionId))?.status).toBe('mismatch');
      expect(await balanceOf(stack.db, accountId)).toBe(10);
    } finally {
      alerts.mockRestore();
    }
  });

  it('a dispute closed as won gives the clawed-back credits back, once', async () => {
    const { auth, accountId } = await stack.newAccount('disputewon', { credits: 0 });
    const { sessionId } = await checkout(auth, 'starter');
    const session = await paidSession(sessionId);
    await sendEvent(stripeEvent('checkout.session.completed', session));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 10, { what: 'grant' });
    await appendToLedger(stack.db, accountId, 'spend-won', { amount: -3, kind: 'charge', reason: 'spent' });
    const dispute = { id: 'dp_won_1', object: 'dispute', charge: 'ch_won', payment_intent: session.payment_intent, amount: 500 };
    await sendEvent(stripeEvent('charge.dispute.created', { ...dispute, status: 'needs_response' }));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === -3, { what: 'dispute clawback' });
    await eventually(async () => (await purchase(sessionId))?.status === 'refunded', { what: 'marked refunded' });

    const won = stripeEvent('charge.dispute.closed', { ...dispute, status: 'won' });
    expect((await sendEvent(won)).body.result).toBe('recorded');
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 7, { what: 'credits given back' });
    await eventually(async () => (await purchase(sessionId))?.clawedBack === 0, { what: 'clawedBack back to 0' });
    // The same outcome delivered again (a new event id, as Stripe may), and a lost one: no change.
    await sendEvent(stripeEvent('charge.dispute.closed', { ...dispute, status: 'won' }));
    await sendEvent(stripeEvent('charge.dispute.closed', { ...dispute, id: 'dp_lost_other', status: 'lost' }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await balanceOf(stack.db, accountId)).toBe(7);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'reinstate' })).toBe(1);
  });

  it('events that can never belong to a purchase are recorded and answered 2xx', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Another product on the same Stripe account: a session and a charge with none of our metadata.
      const other = stripeEvent(
        'checkout.session.completed',
        sessionObject('cs_test_other_product', { amount_total: 999, currency: 'usd', metadata: { order: '42' } }),
      );
      const a = await sendEvent(other);
      expect(a).toMatchObject({ status: 200, body: { result: 'recorded' } });
      const charge = stripeEvent('charge.refunded', chargeObject('pi_other_product', 999, 999));
      const b = await sendEvent(charge);
      expect(b).toMatchObject({ status: 200, body: { result: 'recorded' } });
      const dispute = stripeEvent('charge.dispute.created', {
        id: 'dp_other',
        object: 'dispute',
        charge: 'ch_other',
        payment_intent: 'pi_other_product',
        amount: 999,
      });
      expect((await sendEvent(dispute)).status).toBe(200);
      // The relay routes them after the answer: recorded as unroutable, with the reason, and gone from its to-do list.
      for (const payload of [other, charge, dispute]) {
        const id = (JSON.parse(payload) as { id: string }).id;
        await eventually(async () => (await stack.db.webhookEvents.findOne({ _id: id }))?.state === 'unroutable', { what: `${id} unroutable` });
        expect(await stack.db.webhookEvents.findOne({ _id: id })).toMatchObject({ state: 'unroutable', reason: expect.any(String) });
        await eventually(async () => (await stack.db.stripeRelay.findOne({ _id: id })) === null, { what: `${id} relayed` });
      }
      // Delivered again: still 2xx, and not handled twice.
      const firstSeen = await stack.db.webhookEvents.findOne({ _id: (JSON.parse(other) as { id: string }).id });
      expect((await sendEvent(other)).status).toBe(200);
      await eventually(async () => (await stack.db.stripeRelay.countDocuments({ _id: firstSeen!._id })) === 0, { what: 'repeat dropped' });
      expect(await stack.db.webhookEvents.findOne({ _id: firstSeen!._id })).toEqual(firstSeen);
      expect(await stack.db.purchases.findOne({ _id: 'cs_test_other_product' })).toBeNull();
    } finally {
      warn.mockRestore();
    }
  });

  it('a later run resumes its clawback progress from the purchase by _id, without scanning the ledger', async () => {
    const { auth, accountId } = await stack.newAccount('resume');
    const { sessionId } = await checkout(auth, 'popular');
    const session = await paidSession(sessionId);
    await sendEvent(stripeEvent('checkout.session.completed', session));
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 60, { what: 'grant' });
    await sendEvent(stripeEvent('charge.refunded', chargeObject(String(session.payment_intent), 2000, 1000)));
    await eventually(async () => (await purchase(sessionId))?.clawedBack === 25, { what: 'half clawback recorded' });
    const { db: watched, queries } = recordingDb(stack.db);
    const acts = purchaseActivities({
      db: watched,
      config: stack.config,
      generator: {
        generate: async () => {
          throw new Error('unused');
        },
      },
    });
    expect(await acts.loadPurchaseProgress({ sessionId, accountId })).toEqual({ granted: true, clawedBack: 25 });
    expect(scans(queries)).toEqual([]);
  });
});
