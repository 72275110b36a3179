// The typed PostForge REST client. Only the service worker imports it: it is the one place that
// holds the API key.
import { createParser } from 'eventsource-parser';
import { ApiError } from './problems';
import type { components } from './api.gen';
import type { Draft, GenerateRequest, Me, PostChange } from './types';

type Schemas = components['schemas'];

export interface ApiSettings {
  apiUrl: string;
  apiKey: string;
}

type SseEvent = { event: string; data: unknown };

/** A post of the person's own text: at a time they picked, or `when: "queue"` (the next free slot of their posting schedule). */
export type NewPost = { text: string; hashtags?: string[]; timeZone: string; draftId?: string } & ({ scheduledAt: string } | { when: 'queue' });

export function createApi({ apiUrl, apiKey }: ApiSettings, fetchImpl: typeof fetch = fetch) {
  const base = apiUrl.replace(/\/+$/, '');

  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const res = await fetchImpl(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // A hanging server should become an error the person sees, not a spinner forever.
      signal: signal ?? AbortSignal.timeout(20_000),
    });
    if (!res.ok) throw await errorOf(res);
    return res;
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await call(method, path, body)).json() as Promise<T>;

  return {
    me: () => json<Me>('GET', '/v1/me'),
    listPosts: (limit = 30) => json<Schemas['PostPage']>('GET', `/v1/posts?limit=${limit}`),
    createPost: (body: NewPost) => json<Schemas['PostCreated']>('POST', '/v1/posts', { ...body, targets: [{ kind: 'linkedin' }] }),
    queueNext: () => json<Schemas['NextSlots']>('GET', '/v1/queue/next?count=1&target=linkedin'),
    reschedulePost: (id: string, scheduledAt: string, timeZone: string) =>
      json<PostChange>('PATCH', `/v1/posts/${encodeURIComponent(id)}`, { scheduledAt, timeZone }),
    cancelPost: (id: string) => json<PostChange>('DELETE', `/v1/posts/${encodeURIComponent(id)}`),
    packs: () => json<Schemas['PackList']>('GET', '/v1/packs'),
    checkout: (pack: string) => json<Schemas['Checkout']>('POST', '/v1/checkout', { pack }),
    connections: () => json<Schemas['Connections']>('GET', '/v1/connections'),
    linkedInStart: () => json<Schemas['UrlToOpen']>('GET', '/v1/connections/linkedin/start'),
    dashboardLink: (timeZone: string) => json<Schemas['DashboardLink']>('POST', '/v1/dashboard-link', { timeZone }),

    /** The draft as it is written: `charged` first (or a 402 ApiError), then deltas, then `done`. */
    async *generate(body: GenerateRequest, signal: AbortSignal): AsyncGenerator<SseEvent> {
      const res = await call('POST', '/v1/generate/stream', { ...body, target: 'linkedin' }, signal);
      if (!res.body) throw new ApiError(502, 'Bad gateway', 'The server sent no stream.');
      yield* parseSse(res.body);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
export type { Draft };

async function errorOf(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('retry-after'));
  let title = res.statusText;
  let detail: string | undefined;
  try {
    const p = (await res.json()) as { title?: string; detail?: string };
    title = p.title ?? title;
    detail = p.detail;
  } catch {
    // A proxy's HTML error page: the status alone has to do.
  }
  return new ApiError(res.status, title, detail, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/** Server-sent events, parsed by eventsource-parser (the spec's line rules: CRLF, comments, ids, retry). */
export async function* parseSse(stream: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const ready: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => void ready.push({ event: e.event ?? 'message', data: JSON.parse(e.data) as unknown }) });
  for (;;) {
    const { value, done } = await reader.read();
    parser.feed(decoder.decode(value ?? new Uint8Array(), { stream: !done }));
    while (ready.length) yield ready.shift() as SseEvent;
    if (done) return;
  }
}
