// A create is paid once and runs once (#12 items 1 and 2), through the real API, Temporal dev
// server, worker and FerretDB: one streamed draft pays for one post, a draft's credit is refunded
// at most once, and an Idempotency-Key names one request for good.
import { balanceOf } from '../../core/ledger';
import { draftRefundKey } from '../../core/ledgerKeys';
import { streamDraft, type DraftEvent, type StreamingGenerator } from '../../services/generation';
import { GenerationError } from '../../core/generation';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;
beforeAll(async () => {
  stack = await startStack('createonce', { config: { RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000' } });
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, auth: Record<string, string>, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}
const statusOf = async (id: string) => (await stack.db.posts.findOne({ _id: id }))?.status;
const settled = (id: string, status: string) => eventually(async () => (await statusOf(id)) === status, { what: `post ${id} ${status}`, timeoutMs: 45_000 });

/** Streams a whole draft through the API and answers its id (the account pays one credit). */
async function streamedDraft(auth: Record<string, string>): Promise<{ draftId: string; text: string }> {
  const res = await fetch(`${stack.apiUrl}/v1/generate/stream`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'Paying once', target: 'discord' }),
  });
  const events = (await res.text())
    .trim()
    .split('\n\n')
    .map((b) => ({ event: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n')[1]!.slice(6)) as Json }));
  const draftId = events.find((e) => e.event === 'charged')!.data.draftId as string;
  const text = events
    .filter((e) => e.event === 'delta')
    .map((e) => e.data.text as string)
    .join('');
  return { draftId, text };
}

const later = () => new Date(Date.now() + 3_600_000).toISOString();

describe('one streamed draft pays for one post, once', () => {
  it('three posts naming one draft: one is paid by it, the others are refused; cancel refunds it once', async () => {
    const { auth, accountId } = await stack.newAccount('onedraft');
    const { draftId, text } = await streamedDraft(auth);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    const body = { text, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: later(), draftId };
    const answers = [];
    for (const key of ['k1', 'k2', 'k3']) answers.push(await api('POST', '/v1/posts', auth, body, { 'idempotency-key': key }));
    expect(answers.map((a) => a.status)).toEqual([202, 409, 409]);
    expect(answers[1]!.type).toContain('application/problem+json');
    expect(answers[1]!.body.detail).toMatch(/already paid for post/);
    const id = answers[0]!.body.id as string;
    await settled(id, 'scheduled');
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(1);

    expect((await api('DELETE', `/v1/posts/${id}`, auth)).status).toBe(200);
    await settled(id, 'canceled');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
    // The post's refund is the draft's one refund key.
    expect(await stack.db.ledger.findOne({ _id: draftRefundKey(draftId) })).toMatchObject({ amount: 1, postId: id });
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'refund' })).toBe(1);
  });

  it('concurrent creates with one draft and different keys: exactly one gets the draft credit', async () => {
    const { auth, accountId } = await stack.newAccount('racedraft');
    const { draftId, text } = await streamedDraft(auth);
    const body = { text, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: later(), draftId };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => api('POST', '/v1/posts', auth, body, { 'idempotency-key': `race-${i}` })));
    const won = answers.filter((a) => a.status === 202);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(5);
    const id = won[0]!.body.id as string;
    await settled(id, 'scheduled');
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect((await api('DELETE', `/v1/posts/${id}`, auth)).status).toBe(200);
    await settled(id, 'canceled');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('a stream that fails after its draft paid for a post does not refund it a second time', async () => {
    const { auth, accountId } = await stack.newAccount('failafter');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing: StreamingGenerator = {
      async *stream(): AsyncIterable<DraftEvent> {
        yield { type: 'delta', text: 'Half a draft' };
        await gate;
        throw new GenerationError('unavailable', 'Claude is overloaded right now');
      },
    };
    const events = streamDraft(
      { ...stack.ctx, generator: { ...stack.ctx.generator, ...failing } },
      { accountId },
      { topic: 'x', tone: 'friendly', language: 'en', maxChars: 3000 },
    );
    const charged = (await events.next()).value as { draftId: string };
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    // The client schedules the partial draft before the stream has ended…
    const created = await api('POST', '/v1/posts', auth, {
      text: 'Half a draft',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: later(),
      draftId: charged.draftId,
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await settled(id, 'scheduled');
    // …then the stream fails: the credit stays with the post.
    release();
    await expect(
      (async () => {
        for await (const _ of events) void _;
      })(),
    ).rejects.toThrow(/overloaded/);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect((await api('DELETE', `/v1/posts/${id}`, auth)).status).toBe(200);
    await settled(id, 'canceled');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'refund' })).toBe(1);

    // And the other order: a stream that failed and refunded first cannot pay for a post.
    const first = streamDraft(
      {
        ...stack.ctx,
        generator: {
          ...stack.ctx.generator,
          stream: async function* () {
            throw new GenerationError('unavailable', 'down');
          },
        },
      },
      { accountId },
      { topic: 'x', tone: 'friendly', language: 'en', maxChars: 3000 },
    );
    const paid = (await first.next()).value as { draftId: string };
    await expect(first.next()).rejects.toThrow(/down/);
    const refused = await api('POST', '/v1/posts', auth, {
      text: 'Nothing',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: later(),
      draftId: paid.draftId,
    });
    expect(refused.status).toBe(400);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });
});

describe('a create is idempotent forever', () => {
  it('a finished post re-sent with its key is answered as it is: no second run, publish or charge', async () => {
    const { auth, accountId } = await stack.newAccount('forever');
    const body = { text: 'Only once', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: new Date(Date.now() + 4000).toISOString() };
    const first = await api('POST', '/v1/posts', auth, body, { 'idempotency-key': 'forever-1' });
    expect(first.status).toBe(202);
    const id = first.body.id as string;
    await settled(id, 'published');
    const handle = stack.env.client.workflow.getHandle(`post-${id}`);
    await handle.result();
    const runId = (await handle.describe()).runId;
    expect(await balanceOf(stack.db, accountId)).toBe(9);

    const again = await api('POST', '/v1/posts', auth, body, { 'idempotency-key': 'forever-1' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, status: 'exists' });
    // Another body under the same key: refused, and its new target is never published to.
    const other = { ...body, text: 'Something else entirely', targets: [{ kind: 'webhook', url: `${sink.hookUrl}?second=1` }] };
    const changed = await api('POST', '/v1/posts', auth, other, { 'idempotency-key': 'forever-1' });
    expect(changed.status).toBe(422);
    expect(changed.type).toContain('application/problem+json');
    expect(changed.body.detail).toMatch(/Idempotency-Key was already used for a different request/);

    await new Promise((r) => setTimeout(r, 2500));
    expect((await handle.describe()).runId).toBe(runId);
    expect(sink.deliveries.filter((d) => d.idempotencyKey.includes(id))).toHaveLength(1);
    expect(sink.requests.filter((r) => r.query.second === '1')).toHaveLength(0);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect(await stack.db.posts.findOne({ _id: id })).toMatchObject({ status: 'published', content: 'Only once' });
  });

  it('the same key with another body is a 422 while the post is still waiting too, and keys are per account', async () => {
    const a = await stack.newAccount('keyed-a');
    const b = await stack.newAccount('keyed-b');
    const body = { text: 'Waiting', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: later() };
    const first = await api('POST', '/v1/posts', a.auth, body, { 'idempotency-key': 'shared' });
    expect(first.status).toBe(202);
    // Key order and whitespace do not make a different request.
    const reordered = await api(
      'POST',
      '/v1/posts',
      a.auth,
      { scheduledAt: body.scheduledAt, targets: body.targets, text: body.text },
      { 'idempotency-key': 'shared' },
    );
    expect(reordered).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect((await api('POST', '/v1/posts', a.auth, { ...body, text: 'Changed' }, { 'idempotency-key': 'shared' })).status).toBe(422);
    // Another account's same key is its own.
    const theirs = await api('POST', '/v1/posts', b.auth, { ...body, text: 'Theirs' }, { 'idempotency-key': 'shared' });
    expect(theirs.status).toBe(202);
    expect(theirs.body.id).not.toBe(first.body.id);
    for (const [who, id] of [
      [a, first.body.id],
      [b, theirs.body.id],
    ] as const) {
      await settled(id as string, 'scheduled');
      expect((await api('DELETE', `/v1/posts/${id as string}`, who.auth)).status).toBe(200);
      await settled(id as string, 'canceled');
    }
  });

  it('concurrent duplicates: one key and one body make one post; one key and many bodies make one post and 422s', async () => {
    const { auth, accountId } = await stack.newAccount('dupes');
    const body = { text: 'Raced', targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: later() };
    const same = await Promise.all(Array.from({ length: 6 }, () => api('POST', '/v1/posts', auth, body, { 'idempotency-key': 'dupe-same' })));
    expect(same.filter((a) => a.status === 202)).toHaveLength(1);
    expect(same.filter((a) => a.status === 200)).toHaveLength(5);
    expect(new Set(same.map((a) => a.body.id)).size).toBe(1);
    const mixed = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api('POST', '/v1/posts', auth, { ...body, text: `Raced ${i}` }, { 'idempotency-key': 'dupe-mixed' })),
    );
    expect(mixed.filter((a) => a.status === 202)).toHaveLength(1);
    expect(mixed.filter((a) => a.status === 422)).toHaveLength(5);
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(2);
    for (const id of [same[0]!.body.id, mixed.find((a) => a.status === 202)!.body.id] as string[]) {
      await settled(id, 'scheduled');
      expect((await api('DELETE', `/v1/posts/${id}`, auth)).status).toBe(200);
      await settled(id, 'canceled');
    }
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });
});
