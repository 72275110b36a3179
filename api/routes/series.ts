// /v1/series and the dashboard's /app/api/series: recurring AI posts on Temporal Schedules. One
// router for both: they differ only in who the actor is (an API key's caller or the session's member).
import { Router, type Response } from 'express';
import type { ServiceContext } from '../../services/context';
import {
  CreateSeriesSchema,
  PatchSeriesSchema,
  SeriesIdSchema,
  createSeries,
  deleteSeries,
  getSeries,
  listSeries,
  pauseSeries,
  resumeSeries,
  runSeriesNow,
  updateSeries,
  describeSeries,
} from '../../services/series';
import type { Actor } from '../../services/actor';
import { parseOr400 } from '../problem';

export interface SeriesRouterOptions {
  /** The member acting, as the front end authenticated them. */
  actor: (res: Response) => Actor;
  source: 'api' | 'web';
  /** Where a created series can be read, for the Location header (the REST API's only). */
  locationOf?: (id: string) => string;
}

export function seriesRouter(ctx: ServiceContext, { actor: caller, source, locationOf }: SeriesRouterOptions): Router {
  const r = Router();
  const idOf = (raw: unknown, res: Response) => parseOr400(SeriesIdSchema, raw, res, 'series id');

  r.post('/', async (req, res) => {
    const body = parseOr400(CreateSeriesSchema, req.body, res);
    if (!body) return;
    const who = caller(res);
    const doc = await createSeries(ctx, { accountId: who.accountId, memberId: who.memberId, source }, body);
    if (locationOf) res.location(locationOf(doc._id));
    res.status(201).json(await describeSeries(ctx, doc));
  });

  r.get('/', async (_req, res) => {
    res.json({ series: await listSeries(ctx, caller(res).accountId) });
  });

  r.get('/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    res.json(await getSeries(ctx, caller(res).accountId, id));
  });

  r.patch('/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    const body = parseOr400(PatchSeriesSchema, req.body, res);
    if (!body) return;
    res.json(await updateSeries(ctx, caller(res), id, body));
  });

  r.delete('/:id', async (req, res) => {
    const id = idOf(req.params.id, res);
    if (!id) return;
    await deleteSeries(ctx, caller(res), id);
    res.status(204).end();
  });

  for (const [path, act] of [
    ['pause', pauseSeries],
    ['resume', resumeSeries],
    ['run', runSeriesNow],
  ] as const) {
    r.post(`/:id/${path}`, async (req, res) => {
      const id = idOf(req.params.id, res);
      if (!id) return;
      res.json(await act(ctx, caller(res), id));
    });
  }
  return r;
}
