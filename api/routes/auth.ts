// /v1/auth: "Sign in with LinkedIn" for the browser extension (OpenID Connect through this API),
// and signing out (revoking the extension's session key). The logic is in services/extensionSignIn.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { UserError } from '../../services/errors';
import { completeSignIn, revokeSession, SIGN_IN_COOKIE, startSignIn } from '../../services/extensionSignIn';
import { caller } from '../auth';
import { escapeHtml, htmlPage } from '../html';

export const SignInStartQuerySchema = z.object({
  redirect: z.string().max(500).describe('chrome-extension://<id>/tabs/signed-in.html or https://<id>.chromiumapp.org/'),
});

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Browser pages (no API key): a failure is a page in words, not JSON. */
async function page(res: Response, title: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    res
      .status(err.status)
      .type('html')
      .send(htmlPage(title, `<p>${escapeHtml(err.message)}</p>`));
  }
}

export function authPagesRouter(ctx: ServiceContext): Router {
  const r = Router();
  const secure = ctx.config.PUBLIC_URL.startsWith('https:');
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/v1/auth/linkedin', maxAge: 15 * 60_000 };

  r.get('/auth/linkedin/start', (req, res) =>
    page(res, 'Could not start signing in', async () => {
      const { url, state } = await startSignIn(ctx, typeof req.query.redirect === 'string' ? req.query.redirect : undefined);
      // Binds the flow to this browser: the callback only accepts the state this cookie holds.
      res.cookie(SIGN_IN_COOKIE, state, cookieOptions).redirect(302, url);
    }),
  );

  r.get('/auth/linkedin/callback', (req, res) =>
    page(res, 'You are not signed in', async () => {
      const done = await completeSignIn(ctx, req.query as Record<string, string | undefined>, cookie(req, SIGN_IN_COOKIE));
      res.clearCookie(SIGN_IN_COOKIE, { path: cookieOptions.path }).set('cache-control', 'no-store').redirect(302, done.redirect);
    }),
  );
  return r;
}

export function authRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.delete('/auth/session', async (_req, res) => {
    await revokeSession(ctx, caller(res));
    res.status(204).end();
  });
  return r;
}
