// Credit packs people can buy, from configuration.
import type { Config } from './config';

export type CreditPack = Config['CREDIT_PACKS'][number];

export function findPack(c: Config, id: string): CreditPack | undefined {
  return c.CREDIT_PACKS.find((p) => p.id === id);
}

export function formatPrice(pack: Pick<CreditPack, 'amount' | 'currency'>): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: pack.currency.toUpperCase() }).format(pack.amount / 100);
}

/** What a paid Checkout Session says was paid, as its event carries it. */
export interface PaidFacts {
  amountTotal?: number;
  currency?: string;
  clientReferenceId?: string;
  metadata: Record<string, string>;
}

/**
 * Why a paid session does not buy the purchase it claims, or [] when it does: the amount and
 * currency are the pack's price as the session was created, and the metadata we set names the same
 * account and pack. A coupon, another product on the same Stripe account or edited metadata would
 * otherwise buy a pack for less (or for someone else).
 */
export function paymentMismatches(c: Config, purchase: { accountId: string; packId: string; credits: number; amount: number }, paid: PaidFacts): string[] {
  const pack = findPack(c, purchase.packId);
  const problems: string[] = [];
  if (!pack) return [`pack "${purchase.packId}" is not on sale here`];
  if (pack.credits !== purchase.credits) problems.push(`the ${pack.id} pack gives ${pack.credits} credits, the purchase says ${purchase.credits}`);
  if (paid.amountTotal !== purchase.amount) problems.push(`paid ${paid.amountTotal ?? 'no amount'}, the pack costs ${purchase.amount}`);
  if ((paid.currency ?? '').toLowerCase() !== pack.currency.toLowerCase())
    problems.push(`paid in ${paid.currency ?? 'no currency'}, the pack is priced in ${pack.currency}`);
  if (paid.metadata.packId !== purchase.packId) problems.push(`metadata names pack ${paid.metadata.packId ?? '(none)'}`);
  if (paid.metadata.accountId !== purchase.accountId) problems.push(`metadata names account ${paid.metadata.accountId ?? '(none)'}`);
  if (paid.metadata.credits !== undefined && paid.metadata.credits !== String(purchase.credits))
    problems.push(`metadata names ${paid.metadata.credits} credits`);
  if (paid.clientReferenceId !== undefined && paid.clientReferenceId !== purchase.accountId) problems.push(`client_reference_id is ${paid.clientReferenceId}`);
  return problems;
}
