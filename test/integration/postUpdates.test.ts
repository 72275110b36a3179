// The post workflow's Update rules through the whole stack (API or service, real Temporal dev
// server, real worker, FerretDB): regenerations stop at MAX_FREE_REGENERATIONS, and a post paused
// on an expired LinkedIn connection can be canceled through the API and gets its credit back.
import { encryptionKey, seal } from '../../core/crypto';
import { balanceOf } from '../../core/ledger';
import { regeneratePost } from '../../services/posts';
import { linkedInConnectionId } from '../../core/connectionIds';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('postupdates', { config: { MAX_FREE_REGENERATIONS: '1', LINKEDIN_API_URL: 'http://127.0.0.1:1' } });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => stack?.stop());

async function api(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
const postDoc = (id: string) => stack.db.posts.findOne({ _id: id });
const becomes = (id: string, ok: (d: NonNullable<Awaited<ReturnType<typeof postDoc>>>) => boolean, what: string) =>
  eventually(
    async () => {
      const d = await postDoc(id);
      return d && ok(d) ? d : undefined;
    },
    { what, timeoutMs: 45_000 },
  );

describe('post Updates through the stack', () => {
  it('regenerates a draft MAX_FREE_REGENERATIONS times, then refuses with a clear 409', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('regen');
    const res = await api('POST', '/v1/posts', auth, {
      topic: 'Bounded model calls',
      targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      requireApproval: true,
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await becomes(id, (d) => d.status === 'draft', 'a draft');

    await regeneratePost(stack.ctx, { accountId, memberId, isAdmin: false }, id, 'shorter');
    expect((await postDoc(id))?.history.filter((h) => h.event === 'regenerated')).toHaveLength(1);
    await expect(regeneratePost(stack.ctx, { accountId, memberId, isAdmin: false }, id)).rejects.toMatchObject({
      name: 'UserError',
      status: 409,
      message: expect.stringMatching(/already regenerated 1 times.*Edit the text, or discard it/),
    });

    expect((await api('DELETE', `/v1/posts/${id}`, auth)).status).toBe(200);
    await becomes(id, (d) => d.status === 'canceled', 'canceled');
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('a post paused on an expired LinkedIn connection is canceled through the API and refunded', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('lapsed');
    await stack.db.connections.insertOne({
      _id: linkedInConnectionId(accountId, memberId),
      provider: 'linkedin',
      accountId,
      memberId,
      externalUrn: 'urn:li:person:lapsed',
      token: seal('li-token-old', encryptionKey(stack.config.ENCRYPTION_KEY)),
      expiresAt: new Date(Date.now() - 1000),
      updatedAt: new Date(),
    });
    const res = await api('POST', '/v1/posts', auth, {
      text: 'Worth the wait',
      targets: [{ kind: 'linkedin' }],
      scheduledAt: new Date(Date.now() + 500).toISOString(),
    });
    const id = res.body.id as string;
    await becomes(id, (d) => d.history.some((h) => h.event === 'paused'), 'paused');
    expect(await balanceOf(stack.db, accountId)).toBe(9);

    const canceled = await api('DELETE', `/v1/posts/${id}`, auth);
    expect({ status: canceled.status, post: canceled.body.status }).toEqual({ status: 200, post: 'canceled' });
    const doc = await becomes(id, (d) => d.status === 'canceled', 'canceled');
    expect(doc.reason).toMatch(/canceled by the author/);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });
});
