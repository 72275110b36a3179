// Credit packs people can buy, from configuration.
import type { Config } from './config';

export type CreditPack = Config['CREDIT_PACKS'][number];

export function findPack(c: Config, id: string): CreditPack | undefined {
  return c.CREDIT_PACKS.find((p) => p.id === id);
}

export function formatPrice(pack: Pick<CreditPack, 'amount' | 'currency'>): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency: pack.currency.toUpperCase() }).format(pack.amount / 100);
}
