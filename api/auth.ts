// API-key authentication: `Authorization: Bearer pf_…`. The key decides the account; nothing in
// the request can name another one.
import type { NextFunction, Request, Response } from 'express';
import { verifyApiKey } from '../services/accounts';
import type { Database } from '../core/db';
import { sendProblem } from './problem';

export interface Caller {
  accountId: string;
  memberId: string;
  keyId: string;
  /** An admin key may change any post of its account (see ApiKeyDoc.role). */
  isAdmin: boolean;
}

declare module 'express-serve-static-core' {
  interface Locals {
    caller?: Caller;
  }
}

export function caller(res: Response): Caller {
  const c = res.locals.caller;
  if (!c) throw new Error('route is missing requireApiKey');
  return c;
}

export function requireApiKey(db: Database) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization') ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? req.get('x-api-key');
    if (!key) {
      res.set('WWW-Authenticate', 'Bearer');
      return sendProblem(
        res,
        401,
        'Unauthorized',
        'Send your API key as "Authorization: Bearer pf_…". Get one with /postforge key in Slack or `npm run api-key -- create`.',
      );
    }
    try {
      const doc = await verifyApiKey(db, key);
      if (!doc) {
        res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        return sendProblem(res, 401, 'Unauthorized', 'This API key is unknown or was revoked. Create a new one.');
      }
      res.locals.caller = { accountId: doc.accountId, memberId: doc.memberId, keyId: doc._id.slice(0, 16), isAdmin: doc.role === 'admin' };
      next();
    } catch (err) {
      next(err);
    }
  };
}
