// What every request passes first: security headers, CORS for known origins only, rate limits.
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../core/config';
import { sendProblem } from './problem';

export function securityHeaders(): RequestHandler {
  return helmet();
}

export function corsForKnownOrigins(c: Config): RequestHandler {
  const allowed = new Set(c.CORS_ORIGINS);
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
  });
}

const limited: RequestHandler = (_req, res) => sendProblem(res, 429, 'Too many requests', 'Slow down: try again in a minute (see the RateLimit headers).');

export function limitPerIp(c: Config): RequestHandler {
  return rateLimit({ windowMs: 60_000, limit: c.RATE_LIMIT_PER_IP, standardHeaders: 'draft-8', legacyHeaders: false, handler: limited });
}

/** Per API key, after authentication, so one noisy key cannot starve an account's others. */
export function limitPerKey(c: Config): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: c.RATE_LIMIT_PER_KEY,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `key:${(res.locals.caller as { keyId?: string } | undefined)?.keyId ?? 'none'}`,
    handler: limited,
  });
}
