// The dashboard's calls to /app/api: same-origin, with the session cookie, and the CSRF token
// (from the readable pf_csrf cookie) on every change.

export type PostStatus = 'generating' | 'draft' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'canceled';
export const STATUSES: PostStatus[] = ['generating', 'draft', 'scheduled', 'publishing', 'published', 'failed', 'canceled'];
export type TargetKind = 'linkedin' | 'slack' | 'discord' | 'webhook';
export const TARGET_KINDS: TargetKind[] = ['linkedin', 'slack', 'discord', 'webhook'];

export interface Target {
  kind: TargetKind;
  channel?: string;
  channelId?: string;
  webhookUrl?: string;
  url?: string;
}

export interface HistoryEntry {
  at: string;
  status: PostStatus;
  event: string;
  detail?: string;
}

export interface Post {
  id: string;
  status: PostStatus;
  source: string;
  topic?: string;
  content?: string;
  hashtags: string[];
  targets: Target[];
  scheduledAt: string;
  timeZone: string;
  reason?: string;
  results: { target?: string; outcome?: string; error?: string }[];
  createdAt: string;
  updatedAt: string;
  authorId: string;
  mine: boolean;
  canChange: boolean;
  history?: HistoryEntry[];
}

export interface Me {
  account: { id: string; kind: string; name: string };
  member: { id: string; role: 'admin' | 'member' };
  timeZone: string;
  credits: number;
}

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
  overview: () => call<{ counts: Record<PostStatus, number>; next: Post[]; credits: number; successRate: number | null }>('GET', '/overview'),
  posts: (q: { status?: string; target?: string; q?: string; from?: string; to?: string } = {}) => {
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
    return call<{ posts: Post[] }>('GET', `/posts${params.size ? `?${params}` : ''}`).then((r) => r.posts);
  },
  post: (id: string) => call<Post>('GET', `/posts/${id}`),
  patch: (id: string, body: { content?: string; hashtags?: string[]; scheduledAt?: string }) => call<unknown>('PATCH', `/posts/${id}`, body),
  approve: (id: string) => call<unknown>('POST', `/posts/${id}/approve`),
  regenerate: (id: string) => call<unknown>('POST', `/posts/${id}/regenerate`, {}),
  cancel: (id: string) => call<unknown>('POST', `/posts/${id}/cancel`),
  create: (body: unknown) => call<{ id: string; scheduledAt: string }>('POST', '/posts', body),
  credits: () =>
    call<{
      balance: number;
      transactions: { id: string; amount: number; balanceAfter: number; kind: string; reason: string; postId?: string; at: string }[];
      packs: { id: string; name: string; credits: number; price: string }[];
    }>('GET', '/credits'),
  checkout: (pack: string) => call<{ url: string; sessionId: string }>('POST', '/checkout', { pack }),
  changes: (since?: string, rescan = false) =>
    call<{ changes: { id: string; status: PostStatus; updatedAt: string }[]; cursor: string }>(
      'GET',
      `/changes${since ? `?since=${encodeURIComponent(since)}${rescan ? '&rescan=1' : ''}` : ''}`,
    ),
  logout: () => call<void>('POST', '/logout'),
};

export type DraftEvent =
  | { type: 'charged'; draftId: string; balance: number }
  | { type: 'delta'; text: string }
  | { type: 'done'; content: string; hashtags: string[] }
  | { type: 'error'; message: string };

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
