// POST /v1/generate/stream: a draft as server-sent events, for interactive front ends.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { LanguageSchema, ToneSchema } from '../../core/domain';
import { CHAR_LIMITS } from '../../core/postRules';
import type { ServiceContext } from '../../services/context';
import { GENERATE_MODES, generateRequestFor, streamDraft } from '../../services/generation';
import { caller } from '../auth';
import { parseOr400 } from '../problem';

export const GenerateStreamSchema = z
  .object({
    /** draft: a new post about `topic`; rewrite / shorten / hook: rework the post in `text`. */
    mode: z.enum(GENERATE_MODES).default('draft'),
    topic: z.string().trim().min(3, 'topic needs at least 3 characters').max(500).optional(),
    text: z.string().trim().min(3, 'text needs at least 3 characters').max(3000, 'text is at most 3,000 characters (LinkedIn’s limit)').optional(),
    tone: ToneSchema.default('professional'),
    language: LanguageSchema.default('en'),
    instructions: z.string().trim().max(1000).optional(),
    target: z.enum(['linkedin', 'slack', 'discord', 'webhook']).default('linkedin'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.mode === 'draft' && !b.topic) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'topic is required to write a draft' });
    if (b.mode !== 'draft' && !b.text)
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: `text (the post to ${b.mode === 'hook' ? 'give a new hook' : b.mode}) is required in mode "${b.mode}"`,
      });
  });

export function generateRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.post('/generate/stream', async (req, res) => {
    const body = parseOr400(GenerateStreamSchema, req.body, res);
    if (!body) return;
    await sendDraftStream(ctx, caller(res), body, res);
  });
  return r;
}

/** Streams a draft for `who` as server-sent events (the API's and the dashboard's compose). */
export async function sendDraftStream(
  ctx: ServiceContext,
  who: { accountId: string },
  body: z.infer<typeof GenerateStreamSchema>,
  res: Response,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const events = streamDraft(ctx, who, generateRequestFor(body, CHAR_LIMITS[body.target]), abort.signal);
  // The charge comes first, so "no credits" is still an ordinary 402 answer, not a stream.
  const first = await events.next();
  res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  try {
    if (!first.done) send('charged', first.value);
    for await (const e of events) {
      if (e.type === 'delta') send('delta', { text: e.text });
      else if (e.type === 'done') send('done', e.draft);
    }
  } catch (err) {
    send('error', { message: err instanceof Error ? err.message : String(err), refunded: true });
  }
  res.end();
}
