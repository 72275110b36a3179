// The answers the extension and the dashboard rely on that no other test asks for with success,
// each once through the real stack, so the contract check (test/helpers/contract.ts) holds every
// one of them to its schema in /openapi.json, the schema their generated types come from.
import { issueDashboardLink } from '../../services/dashboardSessions';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('client-answers');
}, 120_000);
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => stack?.stop());

async function dashboard(accountId: string, memberId: string) {
  const link = await issueDashboardLink(stack.ctx, { accountId, memberId, isAdmin: true, timeZone: 'Europe/Berlin' });
  const res = await fetch(link.url.replace(stack.config.PUBLIC_URL, stack.apiUrl), { redirect: 'manual' });
  expect(res.status).toBe(303);
  const cookies = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.apiUrl}/app/api${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': cookies.get('pf_csrf') ?? '', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

test('the dashboard: create (and the same create again), regenerate, approve, stream a draft', async () => {
  const { accountId, memberId } = await stack.newAccount('answers-dash');
  const call = await dashboard(accountId, memberId);
  const body = { topic: 'Why we write design docs', targets: [{ kind: 'linkedin' }], when: 'in 3 hours', requireApproval: true };
  const created = await call('POST', '/posts', body, { 'idempotency-key': 'answers-1' });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  expect((await call('POST', '/posts', body, { 'idempotency-key': 'answers-1' })).status).toBe(200);
  await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'draft', { what: 'a draft' });
  expect((await call('POST', `/posts/${id}/regenerate`, { instructions: 'shorter' })).status).toBe(200);
  expect((await call('POST', `/posts/${id}/approve`)).status).toBe(200);
  expect((await call('POST', `/posts/${id}/cancel`)).status).toBe(200);
  await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'canceled', { what: 'canceled' });

  const stream = await call('POST', '/generate/stream', { topic: 'Naming things', target: 'linkedin' });
  expect(stream.status).toBe(200);
  expect(await stream.text()).toMatch(/event: done/);
});

test('the API: a purchase, and the webhook secret read, refused twice-made, and rotated', async () => {
  const { auth } = await stack.newAccount('answers-api');
  const checkout = await fetch(`${stack.apiUrl}/v1/checkout`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ pack: stack.config.CREDIT_PACKS[0]!.id }),
  });
  expect(checkout.status).toBe(201);
  const { sessionId } = (await checkout.json()) as { sessionId: string };
  expect((await fetch(`${stack.apiUrl}/v1/purchases/${sessionId}`, { headers: auth })).status).toBe(200);

  expect((await fetch(`${stack.apiUrl}/v1/webhook-secret`, { headers: auth })).status).toBe(200);
  expect((await fetch(`${stack.apiUrl}/v1/webhook-secret`, { method: 'POST', headers: auth })).status).toBe(409);
  expect((await fetch(`${stack.apiUrl}/v1/webhook-secret/rotate`, { method: 'POST', headers: auth })).status).toBe(200);
  expect((await fetch(`${stack.apiUrl}/v1/webhook-secret`, { headers: auth })).status).toBe(200);
});
