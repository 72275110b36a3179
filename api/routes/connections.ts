// /v1/connections: connect LinkedIn (OAuth 2) and see the connection's state.
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../core/config';
import type { ServiceContext } from '../../services/context';
import { completeLinkedInConnection, connectionStatus, linkedInConnectUrl, openLinkedInConnection } from '../../services/connections';
import { UserError } from '../../services/errors';
import { caller } from '../auth';
import { escapeHtml, htmlPage } from '../html';

/** The browser's side of the LinkedIn flow: a nonce only the browser that opened the connect link has. */
export const NONCE_COOKIE = 'pf_linkedin_nonce';
const COOKIE_PATH = '/v1/connections/linkedin';

/** Secure everywhere but plain-http localhost (a browser would drop a Secure cookie there). */
export function nonceCookie(config: Pick<Config, 'PUBLIC_URL'>, nonce: string, maxAgeSec = 15 * 60): string {
  const url = new URL(config.PUBLIC_URL);
  const localHttp = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return [`${NONCE_COOKIE}=${nonce}`, `Path=${COOKIE_PATH}`, `Max-Age=${maxAgeSec}`, 'HttpOnly', 'SameSite=Lax', ...(localHttp ? [] : ['Secure'])].join('; ');
}

function cookieNonce(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === NONCE_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/** The browser's steps: no API key; the one-time state and the nonce cookie identify the member. */
export function connectionCallbackRouter(ctx: ServiceContext): Router {
  const r = Router();
  const refuse = (res: Response, err: unknown) => {
    if (!(err instanceof UserError)) throw err;
    res
      .status(400)
      .type('html')
      .send(htmlPage('LinkedIn was not connected', `<p>${escapeHtml(err.message)}</p>`));
  };

  // The link a member was handed: bind this browser, then on to LinkedIn.
  r.get('/connections/linkedin/open/:state', async (req, res) => {
    try {
      const { authorizeUrl, nonce } = await openLinkedInConnection(ctx, String(req.params.state));
      res.set('cache-control', 'no-store').append('set-cookie', nonceCookie(ctx.config, nonce)).redirect(302, authorizeUrl);
    } catch (err) {
      refuse(res, err);
    }
  });

  r.get('/connections/linkedin/callback', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    try {
      const done = await completeLinkedInConnection(ctx, q, cookieNonce(req));
      res
        .append('set-cookie', nonceCookie(ctx.config, '', 0))
        .type('html')
        .send(
          htmlPage(
            'LinkedIn connected',
            `<p>PostForge can now post as <strong>${escapeHtml(done.name ?? 'you')}</strong>.${done.resumed ? ` ${done.resumed} paused post(s) are going out now.` : ''}</p>`,
          ),
        );
    } catch (err) {
      refuse(res, err);
    }
  });
  return r;
}

export function connectionsRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/connections', async (_req, res) => {
    res.json(await connectionStatus(ctx, caller(res)));
  });
  // The member opens this URL in their browser (the extension opens a tab); it is single use.
  r.get('/connections/linkedin/start', async (req, res) => {
    const url = await linkedInConnectUrl(ctx, caller(res));
    if (req.query.redirect === '1') return void res.redirect(302, url);
    res.json({ url });
  });
  return r;
}
