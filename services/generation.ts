// Interactive drafting (the extension's panel): stream a draft as it is written. It costs a
// credit like any generation; if the generator fails, the credit goes straight back.
import { randomUUID } from 'node:crypto';
import type { Draft, GenerateRequest } from '../core/domain';
import { claimDraftCredit } from '../core/draftCredits';
import { appendToLedger } from '../core/ledger';
import { draftChargeKey, draftRefundKey } from '../core/ledgerKeys';
import type { ServiceContext } from './context';
import { UserError } from './errors';

export const GENERATE_MODES = ['draft', 'rewrite', 'shorten', 'hook'] as const;
export type GenerateMode = (typeof GENERATE_MODES)[number];

/** What each rework asks of the generator; the author's post goes in as the topic (their content). */
const MODE_INSTRUCTIONS: Record<Exclude<GenerateMode, 'draft'>, string> = {
  rewrite: 'The topic is an existing post by the author. Rewrite it: keep its meaning, facts and hashtags; make it clearer and more engaging.',
  shorten: 'The topic is an existing post by the author. Shorten it to about half its length: keep the main point, the facts and the hashtags.',
  hook: 'The topic is an existing post by the author. Keep it as it is, but replace its opening line with a stronger hook that makes people click "see more".',
};

/**
 * The generator request for a draft or a rework. A rework is one generation like any draft, so it
 * is charged and refunded the same way (streamDraft).
 */
export function generateRequestFor(
  body: {
    mode: GenerateMode;
    topic?: string | undefined;
    text?: string | undefined;
    tone: GenerateRequest['tone'];
    language: string;
    instructions?: string | undefined;
  },
  maxChars: number,
): GenerateRequest {
  const own = body.instructions ? [body.instructions] : [];
  if (body.mode === 'draft')
    return { topic: body.topic ?? '', tone: body.tone, language: body.language, ...(own.length ? { instructions: own[0] } : {}), maxChars };
  return { topic: body.text ?? '', tone: body.tone, language: body.language, instructions: [MODE_INSTRUCTIONS[body.mode], ...own].join('\n'), maxChars };
}

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
