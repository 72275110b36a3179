// Every Stripe request names the pinned API version, so an account's default version moving on
// never changes the shapes we read. A local server stands where Stripe would and records headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripe, STRIPE_API_VERSION } from '../../core/stripe';
import { testConfig } from '../helpers/common';

it('sends Stripe-Version with the pinned version on every request', async () => {
  const seen: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers['stripe-version'] as string | undefined);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_1' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const stripe = createStripe(testConfig({ STRIPE_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    await stripe.checkout.sessions.retrieve('cs_test_1');
    await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_1', quantity: 1 }], success_url: 'https://example.com/ok' });
  } finally {
    server.close();
  }
  expect(seen).toEqual([STRIPE_API_VERSION, STRIPE_API_VERSION]);
  expect(STRIPE_API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\w+$/);
});
