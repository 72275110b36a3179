// Cookie sessions for the web dashboard (/app). The session cookie is httpOnly, SameSite=Lax and
// Secure except on plain-http localhost. CSRF: every state-changing /app/api request must carry
// X-CSRF-Token equal to the session's CSRF token (delivered in the readable pf_csrf cookie and
// checked against its hash stored with the session) — a cross-site page can neither read the
// cookie nor set the custom header without a CORS preflight we never grant.
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { csrfMatches, findDashboardSession, SESSION_TTL_MS, type DashboardSession } from '../services/dashboardSessions';
import type { ServiceContext } from '../services/context';
import { sendProblem } from './problem';

export const SESSION_COOKIE = 'pf_session';
export const CSRF_COOKIE = 'pf_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_PATH = '/app';

declare module 'express-serve-static-core' {
  interface Locals {
    session?: DashboardSession;
  }
}

export function session(res: Response): DashboardSession {
  const s = res.locals.session;
  if (!s) throw new Error('route is missing requireSession');
  return s;
}

/** Reads one cookie from the Cookie header (no cookie-parser: this is all we need of it). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const isLocalHost = (host: string): boolean => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';

/** Secure everywhere except plain http on this machine, where a browser would drop a Secure cookie. */
export function cookieBase(req: Request): CookieOptions {
  return { path: COOKIE_PATH, sameSite: 'lax', secure: !(req.protocol === 'http' && isLocalHost(req.hostname)), maxAge: SESSION_TTL_MS };
}

export function setSessionCookies(req: Request, res: Response, tokens: { sessionToken: string; csrfToken: string }): void {
  const base = cookieBase(req);
  res.cookie(SESSION_COOKIE, tokens.sessionToken, { ...base, httpOnly: true });
  // Readable by the page's script, which echoes it in X-CSRF-Token.
  res.cookie(CSRF_COOKIE, tokens.csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(req: Request, res: Response): void {
  const { maxAge: _drop, ...base } = cookieBase(req);
  res.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, base);
}

export function requireSession(ctx: ServiceContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = readCookie(req, SESSION_COOKIE);
      const s = token ? await findDashboardSession(ctx, token) : undefined;
      if (!s) {
        return sendProblem(
          res,
          401,
          'Unauthorized',
          'You are not signed in, or your session ended. Get a new link with /postforge dashboard in Slack, /dashboard in Discord, or the extension.',
        );
      }
      res.locals.session = s;
      next();
    } catch (err) {
      next(err);
    }
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  if (!csrfMatches(session(res), req.get(CSRF_HEADER))) {
    return sendProblem(
      res,
      403,
      'Forbidden',
      `Missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie with every change. Reload the dashboard if this persists.`,
    );
  }
  next();
}
