// Small pieces every integration test uses: its own database, a test config, the ledger check.
import { parseConfig, type Config } from '../../core/config';
import { connectDatabase, type Database } from '../../core/db';
import { checkLedger } from '../../core/ledger';

let dbCounter = 0;
export async function testDatabase(label: string, opts: { monitorCommands?: boolean } = {}): Promise<Database> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is unset: run tests through jest (its globalSetup starts FerretDB).');
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${process.pid}_${++dbCounter}_${Date.now() % 100000}`;
  return connectDatabase(uri, { dbName: name, ...opts });
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    // Thousands of requests per run (the fuzz test alone sends 1,200 bad bodies): errors only.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    TEMPORAL_TASK_QUEUE: `test-${process.pid}-${Date.now()}`,
    // The stand-ins listen on 127.0.0.1; the SSRF tests turn this off to see the guard refuse.
    ALLOW_PRIVATE_WEBHOOK_HOSTS: 'true',
    // Armed sends complete at once, so tests see the outcome without the burst pacing.
    PUBLISH_COMPLETION_RATE: '0',
    ...(process.env.TEST_STRIPE_API_URL ? { STRIPE_API_URL: process.env.TEST_STRIPE_API_URL } : {}),
    ...overrides,
  });
}

/** The ledger invariant, for every account in the database: balance == Σ amounts, chain unbroken. */
export async function expectLedgersConsistent(db: Database): Promise<void> {
  const ids = await db.ledger.distinct('accountId');
  for (const id of ids) {
    const check = await checkLedger(db, id);
    expect({ account: id, problems: check.problems, balance: check.balance }).toEqual({ account: id, problems: [], balance: check.sum });
  }
}

/** Polls until `fn` returns a truthy value, or fails with the last value seen. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${opts.what ?? 'condition'}; last value: ${JSON.stringify(last)}`);
}
