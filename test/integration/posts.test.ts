// Posts end to end through the public API, the real Temporal dev server, the real worker and
// FerretDB, publishing to local stand-ins that check what the real destinations check.
import { encryptionKey, seal } from '../../core/crypto';
import { balanceOf } from '../../core/ledger';
import { linkedInConnectionId } from '../../core/connectionIds';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;
let linkedin: LinkedInStandin;

beforeAll(async () => {
  linkedin = await startLinkedInStandin({ validTokens: { 'li-token-ok': 'abc123' } });
  stack = await startStack('posts', { config: { LINKEDIN_API_URL: linkedin.url, PUBLISH_TIMEOUT: '2s' } });
  // Each account signs with its own secret; this receiver trusts every account of the stack.
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
  await linkedin?.close();
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, auth: Record<string, string>, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}
const soon = (ms = 1500) => new Date(Date.now() + ms).toISOString();
const postDoc = (id: string) => stack.db.posts.findOne({ _id: id });
const settled = async (id: string, status: string) => {
  try {
    return await eventually(async () => ((await postDoc(id))?.status === status ? postDoc(id) : undefined), {
      what: `post ${id} ${status}`,
      timeoutMs: 45_000,
    });
  } catch (err) {
    const doc = await postDoc(id);
    throw new Error(
      `${(err as Error).message}\npost is ${doc?.status}: ${JSON.stringify({ reason: doc?.reason, results: doc?.results, history: doc?.history.map((h) => h.event) })}`,
    );
  }
};

describe('POST /v1/posts → workflow → MongoDB → webhook', () => {
  it('publishes a post written by the offline generator to a webhook', async () => {
    const { auth, accountId } = await stack.newAccount('slice');
    const res = await api('POST', '/v1/posts', auth, {
      topic: 'Durable timers make schedulers boring',
      tone: 'friendly',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: soon(),
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;

    const doc = await settled(id, 'published');
    expect(doc.accountId).toBe(accountId);
    expect(doc.generator).toEqual({ kind: 'offline' });
    expect(doc.content).toMatch(/Offline draft/i);
    expect(doc.results).toEqual([expect.objectContaining({ outcome: 'published', key: `webhook:${sink.hookUrl}` })]);
    // Armed (PUBLISH_ARM_LEAD, 2m by default, covers the whole wait): no separate `publishing` step.
    expect(doc.history.map((h) => h.status)).toEqual(['generating', 'scheduled', 'published']);

    const delivery = sink.deliveries.find((d) => d.idempotencyKey === `publish:${id}:webhook:${sink.hookUrl}`);
    expect(delivery).toBeDefined();
    expect(delivery!.payload.text).toBe(`${doc.content}\n\n${doc.hashtags.map((h) => `#${h}`).join(' ')}`);
    expect(sink.requests.filter((r) => r.headers['idempotency-key'] === delivery!.idempotencyKey).every((r) => r.verified)).toBe(true);

    const handle = stack.env.client.workflow.getHandle(`post-${id}`);
    expect(await handle.result()).toMatchObject({ status: 'published' });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(await balanceOf(stack.db, accountId)).toBe(9);

    const read = await api('GET', `/v1/posts/${id}`, auth);
    expect(read.body).toMatchObject({ id, status: 'published', history: expect.any(Array) });
  });

  it('answers 400 naming each wrong field, and starts nothing', async () => {
    const { auth, accountId } = await stack.newAccount('badinput');
    const res = await api('POST', '/v1/posts', auth, {
      topic: 'x',
      tone: 'angry',
      targets: [{ kind: 'webhook', url: 'not a url' }, { kind: 'fax' }],
      scheduledAt: 'tomorrow-ish',
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    const paths = (res.body.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['topic', 'tone', 'targets.0.url', 'targets.1.kind', 'scheduledAt', '(body)']));
    const bad = await api('POST', '/v1/posts', auth, '{"topic": ', {});
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('The body is not valid JSON.');
    const past = await api('POST', '/v1/posts', auth, { text: 'hi', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.detail).toMatch(/in the past/);
    const zone = await api('POST', '/v1/posts', auth, {
      text: 'hi',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      when: 'tomorrow 9am',
      timeZone: 'Mars/Olympus',
    });
    expect(zone.status).toBe(400);
    expect(zone.body.detail).toMatch(/Unknown time zone "Mars\/Olympus"/);
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(0);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('needs a valid API key, and never shows another account’s post', async () => {
    const a = await stack.newAccount('owner');
    const b = await stack.newAccount('stranger');
    const res = await api('POST', '/v1/posts', a.auth, { text: 'mine', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon(60_000) });
    const id = res.body.id as string;
    expect((await api('GET', `/v1/posts/${id}`, b.auth)).status).toBe(404);
    expect((await api('DELETE', `/v1/posts/${id}`, b.auth)).status).toBe(404);
    expect((await api('GET', `/v1/posts/${id}`, {})).status).toBe(401);
    expect((await api('GET', `/v1/posts/${id}`, { authorization: 'Bearer pf_nope' })).status).toBe(401);
    expect((await api('DELETE', `/v1/posts/${id}`, a.auth)).status).toBe(200);
    await settled(id, 'canceled');
  });

  it('an Idempotency-Key makes a retried create return the same post', async () => {
    const { auth, accountId } = await stack.newAccount('idem');
    const body = { text: 'once', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon(60_000) };
    const first = await api('POST', '/v1/posts', auth, body, { 'idempotency-key': 'req-1' });
    const second = await api('POST', '/v1/posts', auth, body, { 'idempotency-key': 'req-1' });
    expect([first.status, second.status]).toEqual([202, 200]);
    expect(second.body.id).toBe(first.body.id);
    await api('DELETE', `/v1/posts/${first.body.id as string}`, auth);
    await settled(first.body.id as string, 'canceled');
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(1);
  });
});

describe('the lifecycle through the real servers', () => {
  it('with no credits: 402 at once with a buy hint, no post, nothing charged', async () => {
    const { auth, accountId } = await stack.newAccount('broke', { credits: 0 });
    const res = await api('POST', '/v1/posts', auth, { text: 'no money', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon() });
    expect(res.status).toBe(402);
    expect(res.type).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/No credits left.*POST \/v1\/checkout/);
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(0);
    expect(await balanceOf(stack.db, accountId)).toBe(0);
  });

  it('40 concurrent creates with 10 credits: exactly 10 accepted, 30 refused with 402, the ledger exact', async () => {
    const { auth, accountId } = await stack.newAccount('crowd', { credits: 10 });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api('POST', '/v1/posts', auth, { text: `crowd ${i}`, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: later }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(10).fill(202), ...Array(30).fill(402)]);
    expect(await balanceOf(stack.db, accountId)).toBe(0);
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(10);
    // Canceling the accepted posts gives every credit back, once each.
    for (const a of answers.filter((x) => x.status === 202)) await api('DELETE', `/v1/posts/${a.body.id as string}`, auth);
    for (const a of answers.filter((x) => x.status === 202)) await settled(a.body.id as string, 'canceled');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  }, 120_000);

  it('a permanent publish failure refunds the credit exactly once', async () => {
    const { auth, accountId } = await stack.newAccount('rejected');
    sink.failNext(410, { times: 1, body: { error: 'gone' } });
    const res = await api('POST', '/v1/posts', auth, { text: 'to a dead hook', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon() });
    const id = res.body.id as string;
    const doc = await settled(id, 'failed');
    expect(doc.reason).toMatch(/publish_failed: .*410/);
    expect(doc.results[0]).toMatchObject({ outcome: 'failed' });
    expect(await stack.db.ledger.countDocuments({ _id: `refund:${id}` })).toBe(1);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('a worker killed mid-publish and restarted: published once, charged once', async () => {
    const { auth, accountId } = await stack.newAccount('crash');
    // The sink takes the delivery but the answer never comes back, as if the worker died first.
    sink.hangNext(1, { afterRecording: true });
    const res = await api('POST', '/v1/posts', auth, { text: 'survives a crash', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: soon() });
    const id = res.body.id as string;
    const key = `publish:${id}:webhook:${sink.hookUrl}`;
    await eventually(async () => sink.deliveries.find((d) => d.idempotencyKey === key), { what: 'first delivery' });
    await stack.restartWorker();
    const doc = await settled(id, 'published');
    const delivery = sink.deliveries.filter((d) => d.idempotencyKey === key);
    expect(delivery).toHaveLength(1);
    expect(delivery[0]!.received).toBeGreaterThanOrEqual(2);
    expect(doc.results[0]).toMatchObject({ outcome: 'published', externalId: delivery[0]!.id });
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'charge' })).toBe(1);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });

  it('reschedule and cancel while waiting', async () => {
    const { auth, accountId } = await stack.newAccount('resched');
    const res = await api('POST', '/v1/posts', auth, {
      text: 'later',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      when: 'in 2 hours',
      timeZone: 'Europe/Berlin',
    });
    const id = res.body.id as string;
    await settled(id, 'scheduled');
    const moved = await api('PATCH', `/v1/posts/${id}`, auth, { scheduledAt: soon(1200) });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('scheduled');
    await settled(id, 'published');

    const other = await api('POST', '/v1/posts', auth, {
      text: 'never',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      when: 'tomorrow 9am',
      timeZone: 'America/New_York',
    });
    const otherId = other.body.id as string;
    await settled(otherId, 'scheduled');
    const past = await api('PATCH', `/v1/posts/${otherId}`, auth, { scheduledAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect((await api('DELETE', `/v1/posts/${otherId}`, auth)).status).toBe(200);
    const canceled = await settled(otherId, 'canceled');
    expect(canceled.reason).toMatch(/canceled by the author/);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect((await api('DELETE', `/v1/posts/${otherId}`, auth)).status).toBe(409);
  });

  it('edit during approval, then approve: the edited text is what goes out', async () => {
    const { auth } = await stack.newAccount('approver');
    const res = await api('POST', '/v1/posts', auth, {
      topic: 'Shipping on Fridays',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: soon(3000),
      requireApproval: true,
    });
    const id = res.body.id as string;
    await settled(id, 'draft');
    const edited = await api('PATCH', `/v1/posts/${id}`, auth, { content: 'Edited: ship on Fridays, carefully.', hashtags: ['shipping'] });
    expect(edited.status).toBe(200);
    expect(edited.body.content).toBe('Edited: ship on Fridays, carefully.');
    const tooLong = await api('PATCH', `/v1/posts/${id}`, auth, { content: 'x'.repeat(9_990) });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.detail).toMatch(/too long/);
    expect((await api('POST', `/v1/posts/${id}/approve`, auth)).status).toBe(200);
    await settled(id, 'published');
    const d = sink.deliveries.find((x) => x.idempotencyKey === `publish:${id}:webhook:${sink.hookUrl}`);
    expect(d?.payload.text).toBe('Edited: ship on Fridays, carefully.\n\n#shipping');
  });

  it('publishes to LinkedIn with the author’s connection, and fails clearly without one', async () => {
    const connected = await stack.newAccount('linked');
    await stack.db.connections.insertOne({
      _id: linkedInConnectionId(connected.accountId, connected.memberId),
      provider: 'linkedin',
      accountId: connected.accountId,
      memberId: connected.memberId,
      externalUrn: 'urn:li:person:abc123',
      token: seal('li-token-ok', encryptionKey(stack.config.ENCRYPTION_KEY)),
      expiresAt: new Date(Date.now() + 50 * 86_400_000),
      updatedAt: new Date(),
    });
    const ok = await api('POST', '/v1/posts', connected.auth, { text: 'Hello (LinkedIn) #world', targets: [{ kind: 'linkedin' }], scheduledAt: soon() });
    const doc = await settled(ok.body.id as string, 'published');
    const urn = doc.results[0]?.externalId;
    expect(urn).toMatch(/^urn:li:share:/);
    const post = linkedin.posts.find((p) => p.urn === urn);
    expect(post?.author).toBe('urn:li:person:abc123');
    expect(post?.rendered).toBe('Hello (LinkedIn) #world');
    expect(post?.truncated).toBe(false);

    // A request that times out may have been posted: mark it unconfirmed, never post it twice.
    linkedin.hangNext(1);
    const before = linkedin.posts.length;
    const slow = await api('POST', '/v1/posts', connected.auth, { text: 'Did this go out?', targets: [{ kind: 'linkedin' }], scheduledAt: soon() });
    const unsure = await settled(slow.body.id as string, 'published');
    expect(unsure.results[0]).toMatchObject({ outcome: 'unconfirmed' });
    expect(unsure.reason).toMatch(/linkedin unconfirmed/);
    expect(linkedin.posts.length).toBe(before);
    expect(linkedin.requests.filter((r) => r.path === '/rest/posts' && r.rawBody.includes('Did this go out')).length).toBe(1);

    const lonely = await stack.newAccount('unlinked');
    const no = await api('POST', '/v1/posts', lonely.auth, { text: 'nobody home', targets: [{ kind: 'linkedin' }], scheduledAt: soon() });
    const failed = await settled(no.body.id as string, 'failed');
    expect(failed.reason).toMatch(/LinkedIn is not connected/);
    expect(await balanceOf(stack.db, lonely.accountId)).toBe(10);
  });
});
