// POST /v1/dashboard-link: the extension (or any API-key holder) asks for a one-time sign-in link to
// the web dashboard, acting as the key's member with the key's role.
import { Router } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { issueDashboardLink } from '../../services/dashboardSessions';
import { caller } from '../auth';
import { parseOr400 } from '../problem';

export const DashboardLinkBodySchema = z
  .object({ timeZone: z.string().trim().min(1).max(64).optional().describe("The browser's IANA time zone, for the calendar") })
  .strict();

export function dashboardLinkRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.post('/dashboard-link', async (req, res) => {
    const body = parseOr400(DashboardLinkBodySchema, req.body ?? {}, res);
    if (!body) return;
    const who = caller(res);
    const link = await issueDashboardLink(ctx, { accountId: who.accountId, memberId: who.memberId, isAdmin: who.isAdmin, timeZone: body.timeZone });
    res.status(201).set('cache-control', 'no-store').json({ url: link.url, expiresAt: link.expiresAt.toISOString() });
  });
  return r;
}
