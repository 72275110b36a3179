// /v1/connections: connect LinkedIn (OAuth 2) and see the connection's state.
import { Router } from 'express';
import type { ServiceContext } from '../../services/context';
import { completeLinkedInConnection, connectionStatus, linkedInAuthorizeUrl } from '../../services/connections';
import { UserError } from '../../services/errors';
import { caller } from '../auth';
import { escapeHtml, htmlPage } from '../html';

/** The browser comes back here from LinkedIn: no API key, the one-time `state` identifies the member. */
export function connectionCallbackRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/connections/linkedin/callback', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    try {
      const done = await completeLinkedInConnection(ctx, q);
      res.type('html').send(htmlPage('LinkedIn connected', `<p>PostForge can now post as <strong>${escapeHtml(done.name ?? 'you')}</strong>.${done.resumed ? ` ${done.resumed} paused post(s) are going out now.` : ''}</p>`));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      res.status(400).type('html').send(htmlPage('LinkedIn was not connected', `<p>${escapeHtml(err.message)}</p>`));
    }
  });
  return r;
}

export function connectionsRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/connections', async (_req, res) => {
    res.json(await connectionStatus(ctx, caller(res)));
  });
  r.get('/connections/linkedin/start', async (req, res) => {
    const url = await linkedInAuthorizeUrl(ctx, caller(res));
    if (req.query.redirect === '1') return void res.redirect(302, url);
    res.json({ url });
  });
  return r;
}
