// /v1/me and /v1/credits: who the key belongs to and how many credits the account has.
import { Router } from 'express';
import { z } from 'zod';
import { balanceOf, listTransactions } from '../../services/credits';
import type { ServiceContext } from '../../services/context';
import { NotFound } from '../../services/errors';
import { caller } from '../auth';
import { parseOr400 } from '../problem';

export const TransactionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();

export function meRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/me', async (_req, res) => {
    const who = caller(res);
    const account = await ctx.db.accounts.findOne({ _id: who.accountId });
    if (!account) throw new NotFound(`Account ${who.accountId}`);
    res.json({
      account: { id: account._id, kind: account.kind, name: account.name },
      member: { id: who.memberId, role: who.isAdmin ? 'admin' : 'member' },
      credits: await balanceOf(ctx.db, who.accountId),
    });
  });
  r.get('/credits/transactions', async (req, res) => {
    const q = parseOr400(TransactionsQuerySchema, req.query, res, 'query');
    if (!q) return;
    const entries = await listTransactions(ctx.db, caller(res).accountId, { limit: q.limit, ...(q.before ? { beforeSeq: q.before } : {}) });
    const last = entries.at(-1);
    res.json({
      transactions: entries.map((e) => ({
        id: e._id,
        seq: e.seq,
        amount: e.amount,
        balanceAfter: e.balanceAfter,
        kind: e.kind,
        reason: e.reason,
        postId: e.postId,
        at: e.at.toISOString(),
      })),
      next: last && last.seq > 1 && entries.length === q.limit ? `/v1/credits/transactions?limit=${q.limit}&before=${last.seq}` : null,
    });
  });
  return r;
}
