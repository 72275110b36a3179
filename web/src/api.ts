// The dashboard's calls to /app/api: same-origin, with the session cookie, and the CSRF token
// (from the readable pf_csrf cookie) on every change.

import type { components } from './api.gen';

// What the API answers, generated from its OpenAPI document (npm run gen:api), never copied by hand.
type Schemas = components['schemas'];
export type PostStatus = Schemas['PostStatus'];
export const STATUSES: PostStatus[] = ['generating', 'draft', 'scheduled', 'publishing', 'published', 'failed', 'canceled'];
export type Target = Schemas['Target'];
export type TargetKind = Target['kind'];
export const TARGET_KINDS: TargetKind[] = ['linkedin', 'slack', 'discord', 'webhook'];
export type HistoryEntry = Schemas['PostHistoryEntry'];
/** A post as the dashboard sees it: the API's view, its author, and whether this member may change it. */
export type Post = Schemas['DashboardPost'];
export type Me = Schemas['DashboardSession'];
/** What a change (edit, approve, regenerate, cancel) answers: the post's state as its workflow sees it. */
export type PostState = Schemas['PostState'];
export type Overview = Schemas['Overview'];

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** problem+json's field-by-field reasons (a 400), e.g. { path: 'slots.0.times.1', message: 'a time is HH:MM…' }. */
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

function csrfToken(): string {
  const m = /(?:^|;\s*)pf_csrf=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1] ?? '') : '';
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/app/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken() }),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { detail?: string; title?: string; issues?: { path: string; message: string }[] };
  if (!res.ok) throw new ApiError(data.detail ?? data.title ?? `Request failed (${res.status})`, res.status, data.issues ?? []);
  return data as T;
}

export const api = {
  me: () => call<Me>('GET', '/me'),
  overview: () => call<Overview>('GET', '/overview'),
  posts: (q: { status?: string; target?: string; q?: string; from?: string; to?: string } = {}) => {
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
    return call<Schemas['DashboardPostList']>('GET', `/posts${params.size ? `?${params}` : ''}`).then((r) => r.posts);
  },
  post: (id: string) => call<Post>('GET', `/posts/${id}`),
  patch: (id: string, body: { content?: string; hashtags?: string[]; scheduledAt?: string }) => call<PostState>('PATCH', `/posts/${id}`, body),
  approve: (id: string) => call<PostState>('POST', `/posts/${id}/approve`),
  regenerate: (id: string) => call<PostState>('POST', `/posts/${id}/regenerate`, {}),
  cancel: (id: string) => call<PostState>('POST', `/posts/${id}/cancel`),
  create: (body: unknown) => call<Schemas['DashboardPostCreated']>('POST', '/posts', body),
  credits: () => call<Schemas['DashboardCredits']>('GET', '/credits'),
  checkout: (pack: string) => call<Schemas['Checkout']>('POST', '/checkout', { pack }),
  changes: (since?: string, rescan = false) =>
    call<Schemas['PostChanges']>('GET', `/changes${since ? `?since=${encodeURIComponent(since)}${rescan ? '&rescan=1' : ''}` : ''}`),
  logout: () => call<void>('POST', '/logout'),
};

/** Each server-sent event of the draft stream: its `event:` name as `type`, with its `data:`. */
export type DraftEvent =
  | Schemas['DraftChargedEvent']
  | ({ type: 'delta' } & Schemas['DraftDeltaEvent'])
  | ({ type: 'done' } & Schemas['DraftDoneEvent'])
  | ({ type: 'error' } & Schemas['DraftErrorEvent']);

/** POST /app/api/generate/stream, read as server-sent events. */
export async function streamDraft(
  body: { topic: string; tone: string; language: string; target: TargetKind },
  onEvent: (e: DraftEvent) => void,
): Promise<void> {
  const res = await fetch('/app/api/generate/stream', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
  });
  if (!res.ok || !res.body) {
    const data = (await res.json().catch(() => ({}))) as { detail?: string };
    throw new ApiError(data.detail ?? `Drafting failed (${res.status})`, res.status);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (!event || !data) continue;
      const parsed = JSON.parse(data) as Record<string, unknown>;
      onEvent({ type: event, ...parsed } as DraftEvent);
    }
  }
}
