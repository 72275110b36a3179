// /app/api/queue/* and /app/api/series/*: the dashboard's posting schedule and series pages. The
// same services as /v1/queue and /v1/series, with the session's member as the actor (so the same
// rules hold: only an admin sets a workspace's schedule; a series is changed by its creator or an
// admin). Mounted inside dashboardRouter, behind requireSession and requireCsrf.
import { Router, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import { NextSlotsQuerySchema, PostingScheduleSchema, getSchedule, nextFreeSlots, presentSchedule, putSchedule } from '../../services/queue';
import {
  CreateSeriesSchema,
  PatchSeriesSchema,
  SeriesIdSchema,
  createSeries,
  deleteSeries,
  describeSeries,
  getSeries,
  listSeries,
  pauseSeries,
  resumeSeries,
  runSeriesNow,
  updateSeries,
} from '../../services/series';
import { parseOr400 } from '../problem';
import { session } from '../session';

export function dashboardQueueRouter(ctx: ServiceContext): Router {
  const r = Router();

  r.get('/queue/schedule', async (_req, res) => {
    const { accountId } = session(res);
    res.json(presentSchedule(await getSchedule(ctx, accountId), accountId));
  });

  r.put('/queue/schedule', async (req, res) => {
    const body = parseOr400(PostingScheduleSchema, req.body, res);
    if (!body) return;
    const s = session(res);
    res.json(presentSchedule(await putSchedule(ctx, s, body), s.accountId));
  });

  r.get('/queue/next', async (req, res) => {
    const q = parseOr400(NextSlotsQuerySchema, req.query, res, 'query');
    if (!q) return;
    const out = await nextFreeSlots(ctx, session(res).accountId, q.count, q.target ? [q.target] : []);
    res.json({ timeZone: out.timeZone, slots: out.slots.map((s) => s.toISOString()) });
  });

  const idOf = (raw: unknown, res: Response) => parseOr400(SeriesIdSchema, raw, res, 'series id');

  r.get('/series', async (_req, res) => {
    res.json({ series: await listSeries(ctx, session(res).accountId) });
  });

  r.post('/series', async (req, res) => {
    const body = parseOr400(CreateSeriesSchema, req.body, res);
    if (!body) return;
    const s = session(res);
    const doc = await createSeries(ctx, { accountId: s.accountId, memberId: s.memberId, source: 'web' }, body);
    res.status(201).json(await describeSeries(ctx, doc));
  });

  r.get('/series/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    res.json(await getSeries(ctx, session(res).accountId, id));
  });

  r.patch('/series/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    const body = parseOr400(PatchSeriesSchema, req.body, res);
    if (!body) return;
    res.json(await updateSeries(ctx, session(res), id, body));
  });

  r.delete('/series/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    await deleteSeries(ctx, session(res), id);
    res.status(204).end();
  });

  for (const [path, act] of [
    ['pause', pauseSeries],
    ['resume', resumeSeries],
    ['run', runSeriesNow],
  ] as const) {
    r.post(`/series/:id/${path}`, async (req, res) => {
      const id = idOf(req.params.id, res);
      if (!id) return;
      res.json(await act(ctx, session(res), id));
    });
  }
  return r;
}
