// The two small API additions the extension uses: POST /v1/generate/stream's rework modes
// (Rewrite / Shorten / New hook on the text in LinkedIn's editor: one credit, refunded like a
// draft) and the public selector table. No Temporal needed: the app runs with everything else real.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { ensureAccount } from '../../core/accounts';
import { issueApiKey } from '../../core/apiKeys';
import type { Database } from '../../core/db';
import { balanceOf } from '../../core/ledger';
import { createStripe } from '../../core/stripe';
import type { ServiceContext } from '../../services/context';
import { EXTENSION_SELECTORS } from '../../services/extensionSelectors';
import type { GenerateRequest } from '../../core/domain';
import { createOfflineGenerator } from '../../core/generation';
import { testConfig, testDatabase } from '../helpers/common';
import { checkAnswersOf } from '../helpers/contract';

let db: Database;
let server: Server;
let apiUrl: string;
const seen: GenerateRequest[] = [];

beforeAll(async () => {
  db = await testDatabase('extension-api');
  const config = testConfig();
  const offline = createOfflineGenerator();
  // Records what the generator was asked, to check how a rework is put to it.
  const generator = {
    generate: offline.generate.bind(offline),
    stream: (req: GenerateRequest, signal?: AbortSignal) => (seen.push(req), offline.stream(req, signal)),
  };
  const ctx: ServiceContext = { db, config, temporal: undefined as never, stripe: createStripe(config), generator };
  server = await new Promise<Server>((resolve) => {
    const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
  });
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checkAnswersOf(apiUrl);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
});

async function account(id: string, credits = 5) {
  await ensureAccount(db, { _id: `person:${id}`, kind: 'person', name: id }, credits);
  const { key } = await issueApiKey(db, { accountId: `person:${id}`, memberId: id, label: 'test' });
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

const stream = (headers: Record<string, string>, body: unknown) =>
  fetch(`${apiUrl}/v1/generate/stream`, { method: 'POST', headers, body: JSON.stringify(body) });

test.each(['rewrite', 'shorten', 'hook'])('mode %s reworks `text` for one credit, with the author’s post as content, not instructions', async (mode) => {
  const headers = await account(`rework-${mode}`);
  const post = 'We shipped the new scheduler today. It took three rewrites and one very long night. #launch';
  const res = await stream(headers, { mode, text: post, tone: 'friendly', instructions: 'keep it upbeat' });
  expect(res.status).toBe(200);
  const body = await res.text();
  expect(body).toMatch(/event: charged/);
  expect(body).toMatch(/event: done/);
  expect(await balanceOf(db, `person:rework-${mode}`)).toBe(4);
  const req = seen.at(-1)!;
  expect(req.topic).toBe(post);
  expect(req.instructions).toMatch(mode === 'hook' ? /opening line/ : mode === 'shorten' ? /Shorten/ : /Rewrite/);
  expect(req.instructions).toContain('keep it upbeat');
  expect(req.maxChars).toBe(3000);
});

test.each([
  ['a rework without text', { mode: 'shorten' }, /the post to shorten\) is required in mode/],
  ['a draft without a topic', { mode: 'draft' }, /topic is required/],
  ['a post over LinkedIn’s limit', { mode: 'rewrite', text: 'x'.repeat(3001) }, /at most 3,000 characters/],
  ['an unknown mode', { mode: 'summarize', text: 'Something to summarize' }, /"path":"mode"/],
])('%s is a 400 that says why, and costs nothing', async (_what, body, why) => {
  const id = `bad-${Math.random().toString(36).slice(2, 8)}`;
  const headers = await account(id);
  const res = await stream(headers, body);
  expect(res.status).toBe(400);
  expect(JSON.stringify(await res.json())).toMatch(why);
  expect(await balanceOf(db, `person:${id}`)).toBe(5);
});

test('a plain draft request still works as before (mode defaults to draft)', async () => {
  const headers = await account('plain');
  const res = await stream(headers, { topic: 'Why we moved to Temporal' });
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/event: done/);
  expect(seen.at(-1)!.topic).toBe('Why we moved to Temporal');
  expect(seen.at(-1)!.instructions).toBeUndefined();
});

test('GET /v1/extension/selectors is public, cacheable JSON in the shape the extension merges', async () => {
  const res = await fetch(`${apiUrl}/v1/extension/selectors`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
  const table = (await res.json()) as typeof EXTENSION_SELECTORS;
  expect(table).toEqual(EXTENSION_SELECTORS);
  for (const key of ['editors', 'anchors', 'shadowHosts', 'startPost'] as const) expect(Array.isArray(table[key])).toBe(true);
});
