// /v1/series: recurring AI posts on Temporal Schedules.
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
import { caller } from '../auth';
import { parseOr400 } from '../problem';

export function seriesRouter(ctx: ServiceContext): Router {
  const r = Router();
  const idOf = (raw: unknown, res: Response) => parseOr400(SeriesIdSchema, raw, res, 'series id');

  r.post('/', async (req, res) => {
    const body = parseOr400(CreateSeriesSchema, req.body, res);
    if (!body) return;
    const who = caller(res);
    const doc = await createSeries(ctx, { accountId: who.accountId, memberId: who.memberId, source: 'api' }, body);
    res
      .status(201)
      .location(`/v1/series/${doc._id}`)
      .json(await describeSeries(ctx, doc));
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
