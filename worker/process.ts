// The worker process: connects to Temporal and MongoDB (waiting for both), then polls. Started by
// apps/worker.ts, which hands in what the front ends contribute (their notifiers).
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { config } from '../core/config';
import { createLogger, lifecycleLog } from '../core/log';
import { connectDatabase } from '../core/db';
import { waitFor } from '../core/retry';
import { createStripe } from '../core/stripe';
import { temporalConnectionOptions } from '../core/temporal';
import { generatorFor } from '../core/generation';
import type { FrontEndCommands } from './activities/deps';
import type { FrontEndNotifiers } from './activities/notify';
import { bundleWorkflowsAside } from './bundleAside';
import { createWorker } from './createWorker';
import { workflowThreadHeapFor } from './workflowThreadHeap';
import { missingLaunchSettings, runningAllocator } from './launchEnv';

export async function runWorkerProcess(opts: { notifiers: FrontEndNotifiers; commands?: FrontEndCommands }): Promise<void> {
  const c = config();
  const logger = createLogger(c, 'worker');
  // The SDK's own lines, and workflow and activity `log` calls, go through the same logger at the
  // same level (LOG_LEVEL=info is info here too).
  const sdkLevel = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  Runtime.install({
    logger: new DefaultLogger(sdkLevel[c.LOG_LEVEL], (entry) => {
      const level = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[level](entry.meta ?? {}, entry.message);
    }),
  });
  const log = lifecycleLog(logger);
  const missing = missingLaunchSettings(process.env);
  if (missing.length) {
    logger.warn(
      `started without its launch settings (${missing.join(', ')}): after bursts it keeps more memory. Start it with \`npm start\`, \`npm run worker\` or docker-compose.yml, or set them yourself (worker/launchEnv.ts).`,
    );
  }
  // Never poll before Temporal answers: a worker that starts too early dies or spins (Postiz #1550).
  const connection = await waitFor(`Temporal at ${c.TEMPORAL_ADDRESS}`, () => NativeConnection.connect(temporalConnectionOptions(c)), {
    timeoutMs: 120_000,
    log,
  });
  const db = await waitFor('MongoDB', () => connectDatabase(c.MONGODB_URI, { inboxDbName: c.MONGODB_INBOX_DB }), { timeoutMs: 120_000, log });
  const generator = generatorFor(c);
  if (c.WORKFLOW_BUNDLE && !fs.existsSync(c.WORKFLOW_BUNDLE)) {
    throw new Error(
      `WORKFLOW_BUNDLE is ${c.WORKFLOW_BUNDLE}, which does not exist: build it with \`tsx scripts/bundle-workflows.ts ${c.WORKFLOW_BUNDLE}\`, or unset WORKFLOW_BUNDLE to bundle at start.`,
    );
  }
  const bundlePath = c.WORKFLOW_BUNDLE ?? (await bundleWorkflowsAside());
  const worker = await createWorker({
    connection,
    namespace: c.TEMPORAL_NAMESPACE,
    taskQueue: c.TEMPORAL_TASK_QUEUE,
    deps: { db, config: c, generator, stripe: createStripe(c), notifiers: opts.notifiers, ...(opts.commands ? { commands: opts.commands } : {}) },
    workflowBundle: { codePath: bundlePath },
  });
  // Worker.create has read the bundle; a temporary one is not needed again.
  if (!c.WORKFLOW_BUNDLE) fs.rmSync(path.dirname(bundlePath), { recursive: true, force: true });
  const workflows = c.WORKFLOW_BUNDLE ? `prebuilt bundle ${c.WORKFLOW_BUNDLE}` : 'bundled at start in a child process';
  const heap = workflowThreadHeapFor(c);
  log(
    `ready: polling task queue "${c.TEMPORAL_TASK_QUEUE}" on ${c.TEMPORAL_ADDRESS} (generator: ${c.ANTHROPIC_API_KEY ? c.ANTHROPIC_MODEL : 'offline'}; workflows: ${workflows}; workflow thread heap: ${heap.oldSpaceMb} MB old space, ${heap.semiSpaceMb} MB semi-space, ${c.WORKFLOW_CACHE_SIZE} cached; allocator: ${runningAllocator()})`,
  );
  try {
    await worker.run();
  } finally {
    await db.close();
    await connection.close();
  }
}
