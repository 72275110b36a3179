// The web dashboard's sign-in and JSON API through the real stack: one-time links (once, briefly),
// the session cookie's flags, CSRF on every change, and who may move whose post.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { issueApiKey } from '../../core/apiKeys';
import { insertPostRecord, newPostDoc } from '../../core/postRecords';
import { postWorkflowId, seriesScheduleId } from '../../core/temporal';
import { issueDashboardLink } from '../../services/dashboardSessions';
import { statusQuery } from '../../workflows/messages';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;
const ACCOUNT = 'person:dash-team';

beforeAll(async () => {
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
  stack = await startStack('dashboard');
  await stack.newAccount('dash-team', { credits: 20 });
}, 120_000);

afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

interface Browser {
  cookies: Map<string, string>;
  csrf: string;
}

/** Opens a link as a browser would (no redirect following), keeping the cookies it sets. */
async function open(url: string): Promise<{ res: Response; setCookies: string[] }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { res, setCookies: res.headers.getSetCookie() };
}

async function signIn(memberId: string, isAdmin: boolean, accountId = ACCOUNT): Promise<Browser> {
  const link = await issueDashboardLink(stack.ctx, { accountId, memberId, isAdmin, timeZone: 'Europe/Berlin' });
  const { res, setCookies } = await open(link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl));
  expect(res.status).toBe(303);
  const cookies = new Map(setCookies.map((c) => c.split(';')[0]!.split('=') as [string, string]));
  return { cookies, csrf: cookies.get('pf_csrf') ?? '' };
}

async function call(b: Browser | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.apiUrl}/app/api${path}`, {
    method,
    headers: {
      ...(b ? { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.csrf } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many shapes, read field by field in each test
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

async function postBy(memberId: string, text: string): Promise<string> {
  const { key } = await issueApiKey(stack.db, { accountId: ACCOUNT, memberId, label: 'test' });
  const res = await fetch(`${stack.apiUrl}/v1/posts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon(3_600_000) }),
  });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { id: string }).id;
  await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'scheduled', { what: 'post scheduled' });
  return id;
}

const workflowScheduledAt = (postId: string) =>
  stack.env.client.workflow
    .getHandle(postWorkflowId(postId))
    .query(statusQuery)
    .then((s) => s.scheduledAt);

describe('one-time links', () => {
  test('a link signs in once; the second use is refused', async () => {
    const link = await issueDashboardLink(stack.ctx, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
    const url = link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl);
    const first = await open(url);
    expect(first.res.status).toBe(303);
    expect(first.res.headers.get('location')).toBe('/app/');
    const second = await open(url);
    expect(second.res.status).toBe(410);
    expect(await second.res.text()).toMatch(/already used/);
    expect(second.setCookies).toEqual([]);
  });

  test('simultaneous uses of one link open exactly one session', async () => {
    const link = await issueDashboardLink(stack.ctx, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
    const url = link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl);
    const results = await Promise.all(Array.from({ length: 6 }, () => open(url)));
    expect(results.map((r) => r.res.status).sort()).toEqual([303, 410, 410, 410, 410, 410]);
  });

  test('an expired link is refused', async () => {
    const issuedLongAgo = { ...stack.ctx, now: () => new Date(Date.now() - 6 * 60_000) };
    const link = await issueDashboardLink(issuedLongAgo, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
    const { res, setCookies } = await open(link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl));
    expect(res.status).toBe(410);
    expect(await res.text()).toMatch(/expired/);
    expect(setCookies).toEqual([]);
  });

  test('an expired session is refused and removed', async () => {
    const b = await signIn('member-alice', false);
    const hash = createHash('sha256').update(b.cookies.get('pf_session')!).digest('hex');
    await stack.db.db.collection('dashboard_sessions').updateOne({ _id: hash as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(b, 'GET', '/me')).status).toBe(401);
    expect(await stack.db.db.collection('dashboard_sessions').findOne({ _id: hash as never })).toBeNull();
  });

  test('a made-up token is refused', async () => {
    const { res } = await open(`${stack.apiUrl}/app/login?token=${'A'.repeat(43)}`);
    expect(res.status).toBe(400);
  });

  test('the session cookie is httpOnly and SameSite=Lax; the CSRF cookie is readable; neither Secure on http://127.0.0.1', async () => {
    const link = await issueDashboardLink(stack.ctx, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
    const { setCookies } = await open(link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl));
    const session = setCookies.find((c) => c.startsWith('pf_session='))!;
    const csrf = setCookies.find((c) => c.startsWith('pf_csrf='))!;
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\/app/);
    expect(session).not.toMatch(/; Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    // Behind a TLS proxy (or any non-local host) the cookie is Secure.
    const viaProxy = await issueDashboardLink(stack.ctx, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
    const res = await fetch(viaProxy.url.replace(stack.config.PUBLIC_URL, stack.apiUrl), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('pf_session='))).toMatch(/; Secure/i);
  });

  test("the extension gets a link with its API key, acting as the key's member", async () => {
    const { key } = await issueApiKey(stack.db, { accountId: ACCOUNT, memberId: 'member-ext', label: 'ext', role: 'admin' });
    const res = await fetch(`${stack.apiUrl}/v1/dashboard-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"timeZone":"America/New_York"}',
    });
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    expect(url.startsWith(`${stack.config.PUBLIC_URL}/app/login?token=`)).toBe(true);
    const { res: login, setCookies } = await open(url.replace(stack.config.PUBLIC_URL, stack.apiUrl));
    expect(login.status).toBe(303);
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    const me = await fetch(`${stack.apiUrl}/app/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ member: { id: 'member-ext', role: 'admin' }, timeZone: 'America/New_York' });
  });
});

describe('session API', () => {
  test('without a session every /app/api route answers 401', async () => {
    expect((await call(undefined, 'GET', '/me')).status).toBe(401);
    expect((await call(undefined, 'GET', '/posts')).status).toBe(401);
  });

  test('a change without the CSRF header (or with a wrong one) is refused and changes nothing', async () => {
    const alice = await signIn('member-alice', false);
    const id = await postBy('member-alice', 'CSRF target');
    const before = await workflowScheduledAt(id);
    const at = soon(2 * 3_600_000);
    const noHeader = await call({ ...alice, csrf: '' }, 'PATCH', `/posts/${id}`, { scheduledAt: at });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.detail).toMatch(/x-csrf-token/i);
    const wrong = await call({ ...alice, csrf: 'x'.repeat(43) }, 'POST', `/posts/${id}/cancel`);
    expect(wrong.status).toBe(403);
    expect(await workflowScheduledAt(id)).toBe(before);
    // Another session's CSRF token does not fit this one.
    const other = await signIn('member-alice', false);
    expect((await call({ ...alice, csrf: other.csrf }, 'POST', `/posts/${id}/cancel`)).status).toBe(403);
    // Reading needs no CSRF token; the right one lets the change through.
    expect((await call({ ...alice, csrf: '' }, 'GET', `/posts/${id}`)).status).toBe(200);
    const ok = await call(alice, 'PATCH', `/posts/${id}`, { scheduledAt: at });
    expect(ok.status).toBe(200);
    expect(new Date(await workflowScheduledAt(id)).toISOString()).toBe(at);
  });

  test('a post moved from the dashboard publishes at its new time, not its old one', async () => {
    const alice = await signIn('member-alice', false);
    const id = await postBy('member-alice', 'Moved earlier');
    const at = new Date(Date.now() + 4_000);
    const moved = await call(alice, 'PATCH', `/posts/${id}`, { scheduledAt: at.toISOString() });
    expect(moved.status).toBe(200);
    const published = await eventually(
      async () => {
        const p = await stack.db.posts.findOne({ _id: id });
        return p?.status === 'published' ? p : undefined;
      },
      { what: 'published at the new time', timeoutMs: 30_000 },
    );
    const delivery = sink.deliveries.find((d) => JSON.stringify(d.payload).includes(id));
    expect(delivery).toBeDefined();
    // Published after the new time (and so long before the original one, an hour away).
    expect(published.updatedAt.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(published.updatedAt.getTime()).toBeLessThan(at.getTime() + 60_000);
  });

  test("a member cannot move another member's post (403); an admin can", async () => {
    const bobPost = await postBy('member-bob', 'Bob writes');
    const before = await workflowScheduledAt(bobPost);
    const alice = await signIn('member-alice', false);
    const at = soon(5 * 3_600_000);
    const refused = await call(alice, 'PATCH', `/posts/${bobPost}`, { scheduledAt: at });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Only the author/);
    expect((await call(alice, 'POST', `/posts/${bobPost}/cancel`)).status).toBe(403);
    expect(await workflowScheduledAt(bobPost)).toBe(before);
    // Alice still sees it, marked as not hers to change.
    const seen = await call(alice, 'GET', `/posts/${bobPost}`);
    expect(seen.body).toMatchObject({ id: bobPost, mine: false, canChange: false });
    expect(seen.body.history.length).toBeGreaterThan(0);

    const admin = await signIn('member-admin', true);
    const moved = await call(admin, 'PATCH', `/posts/${bobPost}`, { scheduledAt: at });
    expect(moved.status).toBe(200);
    expect(new Date(await workflowScheduledAt(bobPost)).toISOString()).toBe(at);
  });

  test("another account's post is not found", async () => {
    const other = await stack.newAccount('dash-other');
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { ...other.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'elsewhere', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon(3_600_000) }),
    });
    const { id } = (await res.json()) as { id: string };
    const admin = await signIn('member-admin', true);
    expect((await call(admin, 'GET', `/posts/${id}`)).status).toBe(404);
    expect((await call(admin, 'PATCH', `/posts/${id}`, { scheduledAt: soon(7_200_000) })).status).toBe(404);
  });

  test('a move into the past is refused with the reason', async () => {
    const alice = await signIn('member-alice', false);
    const id = await postBy('member-alice', 'No time travel');
    const res = await call(alice, 'PATCH', `/posts/${id}`, { scheduledAt: '2020-01-01T09:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/in the past/);
  });

  test('the change feed answers from the account marker, and rescans the posts when asked', async () => {
    // An account of its own, so no other test's workflow moves its marker meanwhile.
    const { accountId, memberId } = await stack.newAccount('dash-feed');
    const b = await signIn(memberId, false, accountId);
    const first = await call(b, 'GET', '/changes');
    expect(first.body).toEqual({ changes: [], cursor: expect.any(String) });
    const cursor = first.body.cursor as string;
    // A post document written without the marker moving (as after a failed bump)…
    const input = {
      postId: 'feed00000000000000000001',
      accountId,
      authorId: memberId,
      source: 'api' as const,
      text: 'quiet',
      tone: 'professional' as const,
      language: 'en',
      targets: [{ kind: 'linkedin' as const }],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      timeZone: 'UTC',
      requireApproval: false,
    };
    await stack.db.posts.insertOne(newPostDoc(input, new Date(Date.parse(cursor) + 1)));
    // …is not seen by the cheap poll, which read only the marker…
    expect((await call(b, 'GET', `/changes?since=${encodeURIComponent(cursor)}`)).body.changes).toEqual([]);
    // …but by the periodic rescan.
    const rescan = await call(b, 'GET', `/changes?since=${encodeURIComponent(cursor)}&rescan=1`);
    expect(rescan.body.changes.map((c: { id: string }) => c.id)).toEqual([input.postId]);
    // Written the ordinary way, the marker moves and the cheap poll sees it.
    await new Promise((r) => setTimeout(r, 5));
    await insertPostRecord(stack.db, { ...input, postId: 'feed00000000000000000002' });
    const cheap = await call(b, 'GET', `/changes?since=${encodeURIComponent(rescan.body.cursor)}`);
    expect(cheap.body.changes.map((c: { id: string }) => c.id)).toEqual(['feed00000000000000000002']);
  });

  test('list filters, overview, credits, change feed, checkout and sign-out', async () => {
    const alice = await signIn('member-alice', false);
    const id = await postBy('member-alice', 'Findable needle text');
    const found = await call(alice, 'GET', '/posts?q=needle&status=scheduled&target=webhook');
    expect(found.body.posts.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await call(alice, 'GET', '/posts?q=needle&target=linkedin')).body.posts).toEqual([]);
    expect((await call(alice, 'GET', '/posts?status=nonsense')).status).toBe(400);

    const o = await call(alice, 'GET', '/overview');
    expect(o.body.counts.scheduled).toBeGreaterThan(0);
    expect(typeof o.body.credits).toBe('number');

    const since = new Date(Date.now() - 1000).toISOString();
    await call(alice, 'POST', `/posts/${id}/cancel`);
    const changes = await eventually(
      async () => {
        const c = await call(alice, 'GET', `/changes?since=${encodeURIComponent(since)}`);
        return c.body.changes.find((x: { id: string; status: string }) => x.id === id && x.status === 'canceled');
      },
      { what: 'cancel in the change feed' },
    );
    expect(changes.status).toBe('canceled');

    const credits = await call(alice, 'GET', '/credits');
    expect(credits.body.transactions.some((t: { reason: string }) => t.reason)).toBe(true);
    const checkout = await call(alice, 'POST', '/checkout', { pack: credits.body.packs[0].id });
    expect(checkout.status).toBe(201);
    expect(checkout.body.url).toMatch(/^https?:\/\//);

    expect((await call(alice, 'POST', '/logout')).status).toBe(204);
    expect((await call(alice, 'GET', '/me')).status).toBe(401);
  });
});

describe('schedule and series pages (session routes over the queue and series services)', () => {
  const WEEKDAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['08:30', '12:00'] };

  test('the posting schedule: none yet, clear validation errors, CSRF, admins only in a workspace, then saved and its next slots', async () => {
    const b = await signIn('member-sched', false, 'person:dash-sched');
    expect((await call(b, 'GET', '/queue/schedule')).status).toBe(404);
    const none = await call(b, 'GET', '/queue/next?count=3');
    expect(none.status).toBe(409);
    expect(none.body.detail).toMatch(/no posting schedule/);

    const bad = await call(b, 'PUT', '/queue/schedule', { timeZone: 'Mars/Olympus', slots: [{ days: ['mon'], times: ['8:30', '25:00'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['slots.0.times.0', 'slots.0.times.1', 'timeZone']);
    expect(bad.body.detail).toMatch(/HH:MM/);

    const noCsrf = await call(b, 'PUT', '/queue/schedule', { timeZone: 'Europe/Berlin', slots: [WEEKDAYS] }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.status).toBe(403);
    expect((await call(b, 'GET', '/queue/schedule')).status).toBe(404);

    const saved = await call(b, 'PUT', '/queue/schedule', { timeZone: 'Europe/Berlin', slots: [WEEKDAYS] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ timeZone: 'Europe/Berlin', slots: [WEEKDAYS] });
    expect((await call(b, 'GET', '/queue/schedule')).body).toMatchObject({ timeZone: 'Europe/Berlin', slots: [WEEKDAYS] });
    const next = await call(b, 'GET', '/queue/next?count=3');
    expect(next.body.slots).toHaveLength(3);
    for (const at of next.body.slots as string[]) {
      expect(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri) (08:30|12:00)$/,
      );
    }
    // Another account's schedule is its own.
    const other = await signIn('member-other', false, 'person:dash-sched-other');
    expect((await call(other, 'GET', '/queue/schedule')).status).toBe(404);

    // In a workspace, a member's session may read the schedule but not set it; an admin's may.
    const member = await signIn('member-ws', false, 'slack:TDASHSCHED');
    const refused = await call(member, 'PUT', '/queue/schedule', { timeZone: 'UTC', slots: [WEEKDAYS] });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Only an admin/);
    const admin = await signIn('member-ws-admin', true, 'slack:TDASHSCHED');
    expect((await call(admin, 'PUT', '/queue/schedule', { timeZone: 'UTC', slots: [WEEKDAYS] })).status).toBe(200);
    expect((await call(member, 'GET', '/queue/schedule')).body.timeZone).toBe('UTC');
  });

  test('series: create, list with next runs, pause, resume, run now and delete; only its creator or an admin may change it', async () => {
    const account = 'person:dash-series';
    const alice = await signIn('member-alice', false, account);
    const bad = await call(alice, 'POST', '/series', { theme: 'x', targets: [], recurrence: { kind: 'weekly', days: ['someday'], time: '9' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['recurrence.days.0', 'recurrence.time', 'targets', 'theme']);

    const created = await call(alice, 'POST', '/series', {
      theme: 'Our engineering culture',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
      timeZone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await stack.db.series.findOne({ _id: id })).toMatchObject({ source: 'web', authorId: 'member-alice', accountId: account });
    const listed = await call(alice, 'GET', '/series');
    const mine = listed.body.series.find((x: { id: string }) => x.id === id);
    expect(mine.nextRuns.length).toBeGreaterThanOrEqual(3);
    for (const at of mine.nextRuns as string[]) {
      expect(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toBe('Mon 09:00');
    }

    // Bob, a member who did not create it, cannot change it; an admin can.
    const bob = await signIn('member-bob', false, account);
    expect((await call(bob, 'GET', '/series')).body.series.map((x: { id: string }) => x.id)).toContain(id);
    expect((await call(bob, 'POST', `/series/${id}/pause`)).status).toBe(403);
    expect((await call(bob, 'DELETE', `/series/${id}`)).status).toBe(403);
    // Another account does not see it at all.
    const stranger = await signIn('member-stranger', true, 'person:dash-series-other');
    expect((await call(stranger, 'POST', `/series/${id}/run`)).status).toBe(404);
    expect((await call(stranger, 'GET', '/series')).body.series).toEqual([]);
    // Without the CSRF token nothing changes.
    expect((await call(alice, 'POST', `/series/${id}/pause`, undefined, { 'x-csrf-token': '' })).status).toBe(403);

    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(id));
    const paused = await call(alice, 'POST', `/series/${id}/pause`);
    expect(paused.body).toMatchObject({ paused: true, nextRuns: [] });
    expect((await handle.describe()).state.paused).toBe(true);
    const admin = await signIn('member-admin', true, account);
    const resumed = await call(admin, 'POST', `/series/${id}/resume`);
    expect(resumed.body.paused).toBe(false);
    expect(resumed.body.nextRuns.length).toBeGreaterThan(0);

    const before = (await handle.describe()).info.numActionsTaken;
    expect((await call(alice, 'POST', `/series/${id}/run`)).status).toBe(200);
    await eventually(async () => (await handle.describe()).info.numActionsTaken > before, { what: 'the occurrence started by run now' });

    expect((await call(alice, 'DELETE', `/series/${id}`)).status).toBe(204);
    expect((await call(alice, 'GET', `/series/${id}`)).status).toBe(404);
    await expect(handle.describe()).rejects.toThrow(/not found/i);
  });

  test('a sign-in link can land on a dashboard page (the extension opens /app/schedule), never elsewhere', async () => {
    for (const [next, where] of [
      ['schedule', '/app/schedule'],
      ['https://evil.example', '/app/'],
      ['//evil.example', '/app/'],
    ] as const) {
      const link = await issueDashboardLink(stack.ctx, { accountId: ACCOUNT, memberId: 'member-dash-team', isAdmin: false });
      const { res } = await open(`${link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl)}&next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(where);
    }
  });
});

describe('static app', () => {
  test('/app serves the built dashboard, every client route falls back to it, and the bundles are cached for good', async () => {
    const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(build.status).toBe(0);
    const index = await fetch(`${stack.apiUrl}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const js = /src="(\/app\/app-\w+\.js)"/.exec(html)?.[1];
    expect(js).toBeDefined();
    const bundle = await fetch(`${stack.apiUrl}${js}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toMatch(/immutable/);
    const deep = await fetch(`${stack.apiUrl}/app/calendar`);
    expect(await deep.text()).toBe(html);
    // An unknown API path is still an API answer, not the page.
    expect((await fetch(`${stack.apiUrl}/app/api/nope`)).status).toBe(401);
  });
});
