// Interactive drafting (the extension's panel): stream a draft as it is written. It costs a
// credit like any generation; if the generator fails, the credit goes straight back.
import { randomUUID } from 'node:crypto';
import type { Draft, GenerateRequest } from '../core/domain';
import { claimDraftCredit } from '../core/draftCredits';
import { appendToLedger } from '../core/ledger';
import { draftChargeKey, draftRefundKey } from '../core/ledgerKeys';
import type { ServiceContext } from './context';
import { UserError } from './errors';

export type DraftEvent = { type: 'delta'; text: string } | { type: 'done'; draft: Draft };

export interface StreamingGenerator {
  stream(req: GenerateRequest, signal?: AbortSignal): AsyncIterable<DraftEvent>;
}

export async function* streamDraft(
  ctx: ServiceContext,
  who: { accountId: string },
  req: GenerateRequest,
  signal?: AbortSignal,
): AsyncGenerator<DraftEvent | { type: 'charged'; balance: number; draftId: string }> {
  const draftId = randomUUID();
  const charge = await appendToLedger(ctx.db, who.accountId, draftChargeKey(draftId), { amount: -1, kind: 'charge', reason: 'Draft generated' });
  if (!charge.ok) throw new UserError('No credits left. Buy a pack (POST /v1/checkout) and try again.', 402);
  yield { type: 'charged', balance: charge.entry.balanceAfter, draftId };
  let done = false;
  try {
    for await (const e of ctx.generator.stream(req, signal)) {
      if (e.type === 'done') done = true;
      yield e;
    }
  } finally {
    // The refund claims the draft's credit first: if a post already claimed it (its draftId was
    // sent before the stream failed), that post keeps it and its own cancel refunds it, once.
    if (!done && (await claimDraftCredit(ctx.db, who.accountId, draftId, { streamRefund: true })).by === 'stream_refund') {
      await appendToLedger(ctx.db, who.accountId, draftRefundKey(draftId), { amount: 1, kind: 'refund', reason: 'Draft could not be completed' });
    }
  }
}
