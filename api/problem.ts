// Errors as RFC 9457 problem documents, with zod's issues when the body was the problem.
import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { UserError } from '../services/errors';

export interface ProblemIssue {
  path: string;
  message: string;
}

export function sendProblem(res: Response, status: number, title: string, detail?: string, issues?: ProblemIssue[]): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(issues?.length ? { issues } : {}) });
}

export function zodIssues(err: z.ZodError): ProblemIssue[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Parses with a schema or answers 400 naming each wrong field; returns undefined when it answered. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, res: Response, what = 'request body'): z.infer<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  sendProblem(res, 400, `Invalid ${what}`, issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  return undefined;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  402: 'Payment required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  422: 'Unprocessable',
};

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof UserError) return sendProblem(res, err.status, TITLES[err.status] ?? 'Error', err.message, err.issues);
  // body-parser's own errors (bad JSON, too large) carry their status.
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    const detail =
      err.type === 'entity.parse.failed'
        ? 'The body is not valid JSON.'
        : err.type === 'entity.too.large'
          ? 'The body is too large.'
          : err.expose
            ? String(err.message)
            : undefined;
    return sendProblem(res, status, status === 413 ? 'Payload too large' : 'Bad request', detail);
  }
  // The request log's logger (api/requestLog.ts) keeps the stack and the request id together.
  const log = (req as { log?: { error(obj: object, msg: string): void } }).log;
  if (log) log.error({ err }, 'unexpected error');
  else console.error('[api] unexpected error', err);
  sendProblem(res, 500, 'Internal error', 'Something went wrong on our side; nothing was charged. Try again in a moment.');
};
