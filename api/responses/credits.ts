// What the API answers about an account's credits: balance, ledger, packs, purchases.
import { z } from 'zod';
import { Instant, named } from './registry';

export const MeSchema = named(
  'Me',
  z.object({
    account: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
    member: z.object({ id: z.string(), role: z.enum(['admin', 'member']) }),
    credits: z.number().int(),
  }),
);

export const TransactionSchema = named(
  'Transaction',
  z.object({
    id: z.string(),
    seq: z.number().int(),
    amount: z.number().int(),
    balanceAfter: z.number().int(),
    kind: z.enum(['grant', 'purchase', 'charge', 'refund', 'clawback', 'reinstate']),
    reason: z.string(),
    postId: z.string().optional(),
    at: Instant,
  }),
);

export const TransactionPageSchema = named(
  'TransactionPage',
  z.object({ transactions: z.array(TransactionSchema), next: z.string().nullable().describe('The next page, or null on the last') }),
);

export const PackSchema = named(
  'Pack',
  z.object({
    id: z.string(),
    name: z.string(),
    credits: z.number().int(),
    amount: z.number().int().describe('In the currency’s smallest unit'),
    currency: z.string(),
    price: z.string().describe('For people: "€9.00"'),
  }),
);

export const PackListSchema = named('PackList', z.object({ packs: z.array(PackSchema) }));

export const CheckoutSchema = named(
  'Checkout',
  z.object({ sessionId: z.string(), url: z.string().describe('Stripe Checkout: open it in a browser'), pack: z.string(), credits: z.number().int() }),
);

export const PurchaseSchema = named(
  'Purchase',
  z.object({
    sessionId: z.string(),
    pack: z.string(),
    credits: z.number().int(),
    status: z.enum(['open', 'awaiting_payment', 'granted', 'expired', 'failed', 'refunded', 'compensated', 'mismatch']),
    clawedBack: z.number().int(),
    history: z.array(z.object({ at: Instant, event: z.string(), detail: z.string().optional() })),
  }),
);
