// The interactive draft's credit: charged before the first word, given back if the draft fails.
import { ensureAccount } from '../../core/accounts';
import type { Database } from '../../core/db';
import { balanceOf } from '../../core/ledger';
import type { ServiceContext } from '../../services/context';
import { streamDraft } from '../../services/generation';
import { GenerationError } from '../../core/generation';
import { expectLedgersConsistent, testConfig, testDatabase } from '../helpers/common';

let db: Database;
beforeAll(async () => {
  db = await testDatabase('streamdraft');
});
afterEach(async () => expectLedgersConsistent(db));
afterAll(async () => {
  await db.db.dropDatabase();
  await db.close();
});

const ctxWith = (generator: ServiceContext['generator']) => ({ db, config: testConfig(), generator }) as unknown as ServiceContext;
const req = { topic: 'Anything', tone: 'friendly' as const, language: 'en', maxChars: 3000 };

it('refunds the credit when the generator fails halfway', async () => {
  await ensureAccount(db, { _id: 'person:half', kind: 'person', name: 'Half' }, 3);
  const failing = {
    async *stream() {
      yield { type: 'delta' as const, text: 'Once upon' };
      throw new GenerationError('unavailable', 'Claude is overloaded right now');
    },
  };
  const seen: string[] = [];
  await expect(
    (async () => {
      for await (const e of streamDraft(ctxWith(failing), { accountId: 'person:half' }, req)) seen.push(e.type);
    })(),
  ).rejects.toThrow(/overloaded/);
  expect(seen).toEqual(['charged', 'delta']);
  expect(await balanceOf(db, 'person:half')).toBe(3);
  expect(await db.ledger.countDocuments({ accountId: 'person:half', kind: 'refund' })).toBe(1);
});

it('keeps the credit for a finished draft, and charges nothing without credits', async () => {
  await ensureAccount(db, { _id: 'person:done', kind: 'person', name: 'Done' }, 1);
  const ok = {
    async *stream() {
      yield { type: 'done' as const, draft: { content: 'Hi', hashtags: [], bestTime: 'monday 09:00', generator: { kind: 'offline' as const } } };
    },
  };
  for await (const _ of streamDraft(ctxWith(ok), { accountId: 'person:done' }, req)) void _;
  expect(await balanceOf(db, 'person:done')).toBe(0);
  await expect(streamDraft(ctxWith(ok), { accountId: 'person:done' }, req).next()).rejects.toThrow(/No credits left/);
  expect(await balanceOf(db, 'person:done')).toBe(0);
});
