// The API's contract: its OpenAPI document, its answers to garbage, its limits and headers.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createApp } from '../../api/app';
import { ROUTES } from '../../api/openapi';
import { servedRoutes } from '../helpers/routeTable';
import { eventually, expectLedgersConsistent, startStack, testConfig, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('api', {
    config: { RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000', CORS_ORIGINS: 'chrome-extension://abcdefghijklmnop' },
  });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => stack?.stop());

describe('the API contract', () => {
  it('serves an OpenAPI 3.1 document that validates and lists every route', async () => {
    const res = await fetch(`${stack.apiUrl}/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const out = execFileSync(process.execPath, [path.join(__dirname, '../helpers/validateOpenApi.mjs')], { input: JSON.stringify(doc) });
    const result = JSON.parse(out.toString()) as { valid: boolean; errors: unknown[]; version: string };
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, version: '3.1' });
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    // …and the document matches what Express really serves, read from its router: a route added
    // without documenting it (or documented and never mounted) fails here.
    const bare = ROUTES.filter((r) => !r.mountedWhen)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(servedRoutes(createApp(stack.ctx))).toEqual(bare);
    const everything = testConfig({
      SLACK_SIGNING_SECRET: 's'.repeat(32),
      SLACK_BOT_TOKEN: 'xoxb-route-table',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c'.repeat(32),
      SLACK_STATE_SECRET: 't'.repeat(32),
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      DISCORD_APP_ID: '100000000000000001',
      DISCORD_BOT_TOKEN: 'route-table',
      DISCORD_TRANSPORT: 'http',
    });
    expect(servedRoutes(createApp({ ...stack.ctx, config: everything }))).toEqual(documented);
    // Request bodies come from the zod schemas the routes validate with.
    expect(JSON.stringify(doc.paths['/v1/posts']!.post!.requestBody)).toContain('"timeZone"');
  });

  it('every documented route is served (none falls through to the catch-all 404)', async () => {
    const { auth } = await stack.newAccount('routes');
    for (const r of ROUTES.filter((x) => !x.mountedWhen)) {
      const path = r.path.replace('{id}', '0123456789abcdef01234567').replace('{sessionId}', 'cs_test_unknown');
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method: r.method.toUpperCase(),
        headers: { ...auth, 'content-type': 'application/json' },
        ...(r.method === 'get' ? {} : { body: '{}' }),
      });
      const text = await res.text();
      expect({ route: `${r.method} ${r.path}`, fellThrough: text.includes('No route for') }).toEqual({ route: `${r.method} ${r.path}`, fellThrough: false });
    }
  });

  it('reports health', async () => {
    const res = await fetch(`${stack.apiUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', temporal: { ok: true }, mongodb: { ok: true } });
  });

  it('answers /v1/me and pages through transactions', async () => {
    const { auth, accountId } = await stack.newAccount('pager');
    const me = (await (await fetch(`${stack.apiUrl}/v1/me`, { headers: auth })).json()) as { credits: number; account: { id: string } };
    expect(me).toMatchObject({ credits: 10, account: { id: accountId } });
    const { appendToLedger } = await import('../../core/ledger');
    for (let i = 0; i < 5; i++) await appendToLedger(stack.db, accountId, `t${i}`, { amount: -1, kind: 'charge', reason: `t${i}` });
    const p1 = (await (await fetch(`${stack.apiUrl}/v1/credits/transactions?limit=4`, { headers: auth })).json()) as {
      transactions: { seq: number }[];
      next: string;
    };
    expect(p1.transactions.map((t) => t.seq)).toEqual([6, 5, 4, 3]);
    const p2 = (await (await fetch(`${stack.apiUrl}${p1.next}`, { headers: auth })).json()) as { transactions: { seq: number }[]; next: string | null };
    expect(p2.transactions.map((t) => t.seq)).toEqual([2, 1]);
    expect(p2.next).toBeNull();
  });

  it('streams a draft as server-sent events and charges one credit', async () => {
    const { auth, accountId } = await stack.newAccount('streamer');
    const res = await fetch(`${stack.apiUrl}/v1/generate/stream`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'Writing release notes', target: 'discord' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((block) => {
        const [ev, data] = block.split('\n');
        return { event: ev!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) as Record<string, unknown> };
      });
    expect(events[0]).toMatchObject({ event: 'charged', data: { balance: 9 } });
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text as string);
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { content: deltas.join(''), generator: { kind: 'offline' } } });
    const { balanceOf } = await import('../../core/ledger');
    expect(await balanceOf(stack.db, accountId)).toBe(9);

    // Scheduling that draft does not cost a second credit: the draft's charge pays for the post.
    const draftId = events[0]!.data.draftId as string;
    const post = (body: Record<string, unknown>) =>
      fetch(`${stack.apiUrl}/v1/posts`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const body = { text: deltas.join(''), targets: [{ kind: 'discord', webhookUrl: 'http://127.0.0.1:1/api/webhooks/1/x' }], when: 'in 2 hours', draftId };
    const first = await post(body);
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'scheduled', { what: 'scheduled' });
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    const bogus = await post({ ...body, draftId: '00000000-0000-4000-8000-000000000000' });
    expect(bogus.status).toBe(400);
    expect(((await bogus.json()) as { detail: string }).detail).toMatch(/unknown or was refunded/);
    // Canceling the post gives that credit back, once.
    expect((await fetch(`${stack.apiUrl}/v1/posts/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'canceled', { what: 'canceled' });
    expect(await balanceOf(stack.db, accountId)).toBe(10);

    const broke = await stack.newAccount('broke-streamer', { credits: 0 });
    const none = await fetch(`${stack.apiUrl}/v1/generate/stream`, {
      method: 'POST',
      headers: { ...broke.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'Anything at all' }),
    });
    expect(none.status).toBe(402);
    expect(((await none.json()) as { detail: string }).detail).toMatch(/No credits left/);
  });

  it('answers every request with a request id: a sane one from a proxy is kept, anything else replaced', async () => {
    const fresh = await fetch(`${stack.apiUrl}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${stack.apiUrl}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.42');
    const forged = await fetch(`${stack.apiUrl}/healthz`, { headers: { 'x-request-id': 'x {"level":60,"msg":"forged"}' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers, and CORS only to configured origins', async () => {
    const ok = await fetch(`${stack.apiUrl}/healthz`, { headers: { origin: 'chrome-extension://abcdefghijklmnop' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const evil = await fetch(`${stack.apiUrl}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bodies over the size limit with 413, and huge headers with a bare 431, as documented', async () => {
    const { auth } = await stack.newAccount('big');
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(100_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const huge = await fetch(`${stack.apiUrl}/v1/me`, { headers: { ...auth, 'x-padding': 'p'.repeat(40_000) } });
    expect(huge.status).toBe(431);
    expect(await huge.text()).toBe('');

    const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    expect(Object.keys(doc.paths['/v1/posts']!.post!.responses['413']!.content!)).toEqual(['application/problem+json']);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.responses['431']).toEqual({ description: expect.any(String) });
    // The LinkedIn callback is a page the browser lands on: its errors are pages, and documented so.
    const cb = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=x&state=nope`);
    expect(cb.status).toBe(400);
    expect(cb.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Object.keys(doc.paths['/v1/connections/linkedin/callback']!.get!.responses['400']!.content!)).toEqual(['text/html']);
  });

  it('fuzz: 1,200 malformed bodies get 4xx answers, never a 5xx, and charge nothing', async () => {
    const { auth, accountId } = await stack.newAccount('fuzz');
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const atoms: unknown[] = [
      null,
      true,
      false,
      0,
      -1,
      1e308,
      -0.5,
      '',
      ' ',
      'x',
      '💥'.repeat(50),
      '2020-01-01T00:00:00Z',
      'tomorrow 9am',
      'Mars/Olympus',
      [],
      {},
      [1, 2],
      { kind: 'fax' },
      { kind: 'webhook', url: 'ftp://x' },
      { kind: 'discord' },
      { $gt: '' },
      '__proto__',
      'a'.repeat(20_000),
    ];
    const keys = [
      'topic',
      'text',
      'tone',
      'language',
      'targets',
      'scheduledAt',
      'when',
      'timeZone',
      'requireApproval',
      'hashtags',
      'instructions',
      'content',
      'pack',
      '__proto__',
      'constructor',
      'extra',
    ];
    const body = (): string => {
      const r = rnd();
      if (r < 0.1) return pick(['', '{', '[', 'null', '"str"', '{"a":', '\u0000', '{"targets":[{"kind":"webhook","url":"http://127.0.0.1:1/x"}],"topic":']);
      if (r < 0.2) return JSON.stringify(pick(atoms));
      // Always one field no schema knows, so every body is malformed by construction (all are strict).
      const o: Record<string, unknown> = { [`x${Math.floor(rnd() * 1000)}`]: pick(atoms) };
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) o[pick(keys)] = rnd() < 0.3 ? [pick(atoms), pick(atoms)] : pick(atoms);
      return JSON.stringify(o);
    };
    const routes: [string, string][] = [
      ['POST', '/v1/posts'],
      ['PATCH', '/v1/posts/0123456789abcdef01234567'],
      ['PATCH', '/v1/posts/not-an-id'],
      ['POST', '/v1/checkout'],
      ['POST', '/v1/generate/stream'],
      ['GET', '/v1/posts?status=bogus&limit=-3'],
      ['GET', '/v1/credits/transactions?limit=abc'],
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1200; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const [method, path] = pick(routes);
          const res = await fetch(`${stack.apiUrl}${path}`, {
            method,
            headers: { ...auth, 'content-type': pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']) },
            ...(method === 'GET' ? {} : { body: body() }),
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }),
      );
    }
    const codes = [...statuses.keys()];
    expect(codes.filter((c) => c >= 500)).toEqual([]);
    expect(codes.filter((c) => c < 400 || c >= 500)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1200);
    // The process is still serving, and nothing was charged or started.
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
    await eventually(async () => (await stack.db.posts.countDocuments({ accountId })) === 0, { timeoutMs: 2000 });
    const { balanceOf } = await import('../../core/ledger');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });
});

describe('rate limits', () => {
  let limited: Stack;
  beforeAll(async () => {
    limited = await startStack('ratelimit', { config: { RATE_LIMIT_PER_KEY: '5' } });
  });
  afterAll(async () => limited?.stop());

  it('limits each API key, and says so as a problem document', async () => {
    const a = await limited.newAccount('noisy');
    const b = await limited.newAccount('quiet');
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await fetch(`${limited.apiUrl}/v1/me`, { headers: a.auth })).status);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const res = await fetch(`${limited.apiUrl}/v1/me`, { headers: a.auth });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${limited.apiUrl}/v1/me`, { headers: b.auth })).status).toBe(200);
  });
});
