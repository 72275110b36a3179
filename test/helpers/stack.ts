// A whole PostForge for one test file: the real Temporal dev server (its own, on a free port),
// a fresh database on the shared FerretDB, the real worker and the real API on a free port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { frontEndCommands } from '../../bots/commands';
import { frontEndNotifiers } from '../../bots/notifiers';
import { ensureAccount } from '../../core/accounts';
import { issueApiKey } from '../../core/apiKeys';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db';
import { createStripe } from '../../core/stripe';
import { createWebhookSecret } from '../../core/webhookSecrets';
import type { ServiceContext } from '../../services/context';
import type { StreamingGenerator } from '../../services/generation';
import type { DraftGenerator } from '../../worker/activities/deps';
import { createWorker } from '../../worker/createWorker';
import { createGenerator } from '../../core/generation';
import { startTemporal } from './temporal';
import { testConfig, testDatabase } from './common';
import { checkAnswersOf } from './contract';

export { eventually, expectLedgersConsistent, testConfig, testDatabase } from './common';

export interface Stack {
  env: TestWorkflowEnvironment;
  db: Database;
  config: Config;
  ctx: ServiceContext;
  worker: Worker;
  apiUrl: string;
  /** Stops the worker (as a crash would, if `kill`), and starts a fresh one on the same queue. */
  restartWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  /** An account with its welcome credits, an API key for one of its members, and its own webhook signing secret. */
  newAccount(
    id: string,
    opts?: { credits?: number },
  ): Promise<{ accountId: string; memberId: string; key: string; auth: Record<string, string>; webhookSecret: string }>;
  /** Every webhook signing secret newAccount made, for receivers that trust all of this stack's accounts. */
  webhookSecrets: string[];
  stop(): Promise<void>;
}

export async function startStack(
  label: string,
  opts: {
    config?: Record<string, string>;
    generator?: DraftGenerator & StreamingGenerator;
    /** The database client emits the driver's command events (to count what a path costs). */
    monitorCommands?: boolean;
  } = {},
): Promise<Stack> {
  const env = await startTemporal();
  const db = await testDatabase(label, { monitorCommands: opts.monitorCommands === true });
  const config = testConfig(opts.config);
  const generator = opts.generator ?? createGenerator({ model: config.ANTHROPIC_MODEL });
  const stripe = createStripe(config);
  const ctx: ServiceContext = { db, temporal: env.client, config, stripe, generator };
  const bundlePath = process.env.TEST_WORKFLOW_BUNDLE;

  let worker!: Worker;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      deps: { db, config, generator, stripe, notifiers: frontEndNotifiers, commands: frontEndCommands },
      ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!running) return;
    worker.shutdown();
    await running.catch(() => undefined);
    running = undefined;
  };
  await startWorker();

  const app = createApp(ctx);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checkAnswersOf(apiUrl);
  const webhookSecrets: string[] = [];

  return {
    env,
    db,
    config,
    ctx,
    get worker() {
      return worker;
    },
    apiUrl,
    webhookSecrets,
    startWorker,
    stopWorker,
    async restartWorker() {
      await stopWorker();
      await startWorker();
    },
    async newAccount(id, o = {}) {
      const accountId = `person:${id}`;
      await ensureAccount(db, { _id: accountId, kind: 'person', name: id }, o.credits ?? config.FREE_CREDITS);
      const memberId = `member-${id}`;
      const { key } = await issueApiKey(db, { accountId, memberId, label: 'test' });
      const made = await createWebhookSecret(db, config, accountId);
      if (!made.created) throw new Error(`account ${accountId} already has a webhook secret: use a fresh id`);
      webhookSecrets.push(made.secret);
      return { accountId, memberId, key, auth: { authorization: `Bearer ${key}` }, webhookSecret: made.secret };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await stopWorker();
      await db.db.dropDatabase().catch(() => undefined);
      await db.inbox.dropDatabase().catch(() => undefined);
      await db.close();
      await env.teardown();
    },
  };
}
