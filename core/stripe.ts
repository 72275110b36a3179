// The Stripe client: the real API, or stripe-mock when STRIPE_API_URL points at it.
import Stripe from 'stripe';
import type { Config } from './config';

/**
 * The Stripe API version every request is made with, pinned here instead of following whatever the
 * account's default is that day: the version stripe-node 23 was generated for. Set the webhook
 * endpoint to the same version in Stripe's Dashboard (README), so events arrive in this shape.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export function createStripe(c: Config): Stripe {
  const apiVersion = STRIPE_API_VERSION;
  if (!c.STRIPE_API_URL) return new Stripe(c.STRIPE_SECRET_KEY, { apiVersion, maxNetworkRetries: 2 });
  const url = new URL(c.STRIPE_API_URL);
  return new Stripe(c.STRIPE_SECRET_KEY, {
    apiVersion,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
  });
}
