// Each delivery looks up its account's signing secrets. A secret's document never changes once
// written, so a process remembers the ones it read and asks only whether a newer one exists: one
// read by `_id` per delivery, and a rotation made anywhere (another API process) still shows at once.
import type { CommandStartedEvent } from 'mongodb';
import { connectDatabase, type Database } from '../../core/db';
import { rotateWebhookSecret, signingSecretsFor, WEBHOOK_SECRETS } from '../../core/webhookSecrets';
import { testConfig, testDatabase } from '../helpers/common';

let db: Database;
let other: Database;
const config = testConfig({ WEBHOOK_SECRET_GRACE: '1h' });

beforeAll(async () => {
  db = await testDatabase('webhook-secrets', { monitorCommands: true });
  // Another process's connection to the same database (an API rotating while the worker signs).
  other = await connectDatabase(process.env.TEST_MONGODB_URI ?? '', { dbName: db.db.databaseName });
});
afterAll(async () => {
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
  await other?.close();
});

async function readsDuring<T>(run: () => Promise<T>): Promise<{ value: T; reads: number }> {
  let reads = 0;
  const seen = (e: CommandStartedEvent) => {
    if (e.commandName === 'find' && (e.command as { find?: string }).find === WEBHOOK_SECRETS) reads++;
  };
  db.client.on('commandStarted', seen);
  try {
    return { value: await run(), reads };
  } finally {
    db.client.off('commandStarted', seen);
  }
}

it('a delivery after the first reads one document, and a rotation elsewhere shows at the next one', async () => {
  const first = await signingSecretsFor(db, config, 'person:signer');
  expect(first).toHaveLength(1);
  // Read once, then remembered: only the number after the newest is asked for.
  await readsDuring(() => signingSecretsFor(db, config, 'person:signer'));
  const again = await readsDuring(() => signingSecretsFor(db, config, 'person:signer'));
  expect(again.value).toEqual(first);
  expect(again.reads).toBe(1);

  const rotated = await rotateWebhookSecret(other, config, 'person:signer');
  if (!rotated.ok) throw new Error('rotation refused');
  const after = await readsDuring(() => signingSecretsFor(db, config, 'person:signer'));
  // The new secret first, the old one still signing through its grace period.
  expect(after.value).toEqual([rotated.secret, first[0]]);
  expect(after.reads).toBe(2);
  expect((await readsDuring(() => signingSecretsFor(db, config, 'person:signer'))).reads).toBe(1);
});

it('many rotations: the newest secret signs, with those still in their grace period (the newest few)', async () => {
  const made: string[] = [(await signingSecretsFor(db, config, 'person:busy'))[0]!];
  for (let i = 0; i < 7; i++) {
    const r = await rotateWebhookSecret(i % 2 ? db : other, config, 'person:busy');
    if (!r.ok) throw new Error('rotation refused');
    made.push(r.secret);
  }
  const secrets = await signingSecretsFor(db, config, 'person:busy');
  expect(secrets[0]).toBe(made.at(-1));
  expect(secrets).toEqual(made.slice(-5).reverse());
  // A grace period of zero: only the newest.
  expect(await signingSecretsFor(db, testConfig({ WEBHOOK_SECRET_GRACE: '0s' }), 'person:busy')).toEqual([made.at(-1)]);
});
