// SSRF through the real stack, with private hosts NOT allowed (the production default): the API
// refuses obviously internal URLs with a 400 that charges nothing, and a URL that only turns out to be
// internal at send time (DNS changed after it was saved) is refused by the worker, which sends
// nothing there, fails the target with a fixed message and refunds the credit.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { balanceOf } from '../../core/ledger';
import { createPost } from '../../services/posts';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let internal: http.Server;
let internalPort: number;
const hits: string[] = [];

beforeAll(async () => {
  stack = await startStack('ssrf', { config: { ALLOW_PRIVATE_WEBHOOK_HOSTS: 'false' } });
  // An internal service that must never be reached; it would answer with a secret.
  internal = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.headers.host} ${req.url}`);
    res.end('internal-secret: AKIA-metadata-credentials');
  });
  await new Promise<void>((resolve) => internal.listen(0, '::', resolve));
  internalPort = (internal.address() as AddressInfo).port;
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  internal?.closeAllConnections();
  await new Promise<void>((resolve) => (internal ? internal.close(() => resolve()) : resolve()));
});

async function createVia(auth: Record<string, string>, body: unknown) {
  const res = await fetch(`${stack.apiUrl}/v1/posts`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as { detail?: string; errors?: { path: string; message: string }[] },
  };
}

describe('POST /v1/posts with internal URLs', () => {
  it.each([
    ['a webhook target', (u: string) => ({ targets: [{ kind: 'webhook', url: u }] }), 'targets[0].url'],
    ['a Discord webhook URL', (u: string) => ({ targets: [{ kind: 'discord', webhookUrl: u }] }), 'targets[0].webhookUrl'],
    ['a notifyUrl', (u: string) => ({ targets: [{ kind: 'webhook', url: 'https://hooks.example.com/x' }], notifyUrl: u }), 'notifyUrl'],
  ])('refuses %s pointing inside, as a 400 problem naming the field, charging nothing', async (_what, shape, field) => {
    const { auth, accountId } = await stack.newAccount(`ssrf-${field.replace(/\W/g, '')}`);
    for (const url of [
      `http://127.0.0.1:${internalPort}/x`,
      `http://[::ffff:127.0.0.1]:${internalPort}/x`,
      `http://2130706433:${internalPort}/x`,
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${internalPort}/x`,
    ]) {
      const res = await createVia(auth, { text: 'Hello', ...shape(url) });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.type).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(field);
      expect(JSON.stringify(res.body)).toMatch(/PostForge only calls public addresses/);
    }
    expect(await stack.db.posts.countDocuments({ accountId })).toBe(0);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
    expect(hits).toEqual([]);
  });
});

describe('a URL that resolves inside only when it is sent', () => {
  it('is refused by the worker: nothing reaches the internal service, the target fails with a fixed message, the credit comes back', async () => {
    const { accountId, memberId } = await stack.newAccount('ssrf-send');
    // Saved while it looked fine (here: the save-time check is skipped, as if DNS changed afterwards).
    const lenient = { ...stack.ctx, config: { ...stack.config, ALLOW_PRIVATE_WEBHOOK_HOSTS: true } };
    const url = `http://127.0.0.1:${internalPort}/hook`;
    const { postId } = await createPost(
      lenient,
      { accountId, memberId, source: 'api' },
      { text: 'Hello', tone: 'professional', language: 'en', timeZone: 'UTC', requireApproval: false, targets: [{ kind: 'webhook', url }] },
    );

    const doc = await eventually(
      async () => {
        const d = await stack.db.posts.findOne({ _id: postId });
        return d?.status === 'failed' ? d : undefined;
      },
      { what: 'the post to fail', timeoutMs: 45_000 },
    );
    expect(doc.results[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/^Nothing was sent to the webhook at 127\.0\.0\.1:\d+: its URL points to a loopback address/),
    });
    expect(doc.results[0]!.error).not.toContain('AKIA');
    expect(hits).toEqual([]);
    await eventually(async () => (await balanceOf(stack.db, accountId)) === 10, { what: 'the refund' });
  });
});
