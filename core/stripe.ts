// The Stripe client: the real API, or stripe-mock when STRIPE_API_URL points at it.
import Stripe from 'stripe';
import type { Config } from './config';

export function createStripe(c: Config): Stripe {
  if (!c.STRIPE_API_URL) return new Stripe(c.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 });
  const url = new URL(c.STRIPE_API_URL);
  return new Stripe(c.STRIPE_SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
  });
}
