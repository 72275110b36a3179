// The plumbing every local stand-in shares: a server on 127.0.0.1:0, raw-body parsing that sees
// exactly what a client sent, a request log, and queues of canned failures per route.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';

export interface RunningServer {
  /** http://127.0.0.1:<port>, no trailing slash */
  url: string;
  port: number;
  server: http.Server;
  /** Stops listening and cuts open connections, including requests a stand-in left hanging. */
  close(): Promise<void>;
}

export async function startServer(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** An express app whose routes see the raw body (as a Buffer in req.body) for every content type. */
export function rawBodyApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.raw({ type: () => true, limit: '10mb' }));
  return app;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  query: Record<string, string>;
  /** Lower-case names, as node gives them. */
  headers: Record<string, string>;
  rawBody: string;
  /** JSON or form-encoded bodies parsed into an object; otherwise undefined. */
  body: unknown;
  at: number;
}

export function rawBodyOf(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** Parses JSON or application/x-www-form-urlencoded the way the real APIs accept them. */
export function parseBody(contentType: string | undefined, raw: string): unknown {
  if (!raw) return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function recordRequest(req: Request): RecordedRequest {
  const rawBody = rawBodyOf(req);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const [path = '', search = ''] = req.originalUrl.split('?', 2);
  return {
    method: req.method,
    path,
    query: Object.fromEntries(new URLSearchParams(search)),
    headers,
    rawBody,
    body: parseBody(req.headers['content-type'], rawBody),
    at: Date.now(),
  };
}

export function bearerToken(req: Request): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1]?.trim();
}

/** A canned answer, or `hang` to keep the request open and never answer (for timeout tests). */
export type CannedFailure = { hang: true } | { status: number; body?: unknown; headers?: Record<string, string> };

/** Canned failures per key (a route or method name), each used for the given number of requests. */
export class FailureQueue<F> {
  private readonly queues = new Map<string, F[]>();

  add(key: string, failure: F, times = 1): void {
    const q = this.queues.get(key) ?? [];
    for (let i = 0; i < times; i++) q.push(failure);
    this.queues.set(key, q);
  }

  /** The next failure for `key`, else for '*' (any route). */
  take(key: string): F | undefined {
    for (const k of [key, '*']) {
      const q = this.queues.get(k);
      if (q && q.length > 0) return q.shift();
    }
    return undefined;
  }

  clear(): void {
    this.queues.clear();
  }
}

/** Answers with a canned failure; a hang answers nothing, so the client's deadline has to fire. */
export function sendCanned(res: Response, failure: CannedFailure): void {
  if ('hang' in failure) return;
  for (const [k, v] of Object.entries(failure.headers ?? {})) res.setHeader(k, v);
  if (failure.body === undefined) res.status(failure.status).end();
  else res.status(failure.status).json(failure.body);
}

/** A string field of an unknown parsed body. */
export function str(body: unknown, key: string): string | undefined {
  const v = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A URL on which nothing listens any more: connecting is refused, the "nothing was sent" case. */
export async function closedPortUrl(): Promise<string> {
  const s = await startServer((_req, res) => res.end());
  await s.close();
  return s.url;
}
