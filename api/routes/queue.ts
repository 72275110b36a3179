// /v1/queue and the dashboard's /app/api/queue: the account's posting schedule, its next free
// slots, and (REST API only) cancel-from-queue. One router for both; the actor differs.
import { Router, type Response } from 'express';
import type { Actor } from '../../services/actor';
import type { ServiceContext } from '../../services/context';
import {
  CancelQueuedQuerySchema,
  NextSlotsQuerySchema,
  PostingScheduleSchema,
  cancelQueuedPost,
  getSchedule,
  nextFreeSlots,
  presentSchedule,
  putSchedule,
} from '../../services/queue';
import { parseOr400 } from '../problem';
import { PostIdSchema } from './posts';

export interface QueueRouterOptions {
  /** The member acting, as the front end authenticated them. */
  actor: (res: Response) => Actor;
  /** DELETE /posts/:id (the dashboard cancels posts through its own post routes). */
  cancelQueued: boolean;
}

export function queueRouter(ctx: ServiceContext, { actor: caller, cancelQueued }: QueueRouterOptions): Router {
  const r = Router();

  r.get('/schedule', async (_req, res) => {
    const { accountId } = caller(res);
    res.json(presentSchedule(await getSchedule(ctx, accountId), accountId));
  });

  r.put('/schedule', async (req, res) => {
    const body = parseOr400(PostingScheduleSchema, req.body, res);
    if (!body) return;
    const who = caller(res);
    res.json(presentSchedule(await putSchedule(ctx, who, body), who.accountId));
  });

  r.get('/next', async (req, res) => {
    const q = parseOr400(NextSlotsQuerySchema, req.query, res, 'query');
    if (!q) return;
    const out = await nextFreeSlots(ctx, caller(res).accountId, q.count, q.target ? [q.target] : []);
    res.json({ timeZone: out.timeZone, slots: out.slots.map((s) => s.toISOString()) });
  });

  if (!cancelQueued) return r;
  r.delete('/posts/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    const q = parseOr400(CancelQueuedQuerySchema, req.query, res, 'query');
    if (!q) return;
    res.json(await cancelQueuedPost(ctx, caller(res), id, { shiftUp: q.shiftUp }));
  });

  return r;
}
