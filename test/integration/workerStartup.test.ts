// The worker process started before Temporal is up waits for it, then polls (the failure mode
// where a worker dies or spins because it started first). Real processes, real dev server.
import path from 'node:path';
import { freePort, startService, waitUntilReady, type Service } from '../../core/process';
import { startTemporalDevServer } from '../../scripts/embedded';
import { toolPaths } from '../helpers/tools';

const root = path.join(__dirname, '../..');
let worker: Service | undefined;
let temporal: Service | undefined;
afterAll(async () => {
  await worker?.stop();
  await temporal?.stop();
});

it('a worker started before Temporal waits, then becomes ready once Temporal answers', async () => {
  const port = await freePort();
  const lines: string[] = [];
  worker = startService('worker', path.join(root, 'node_modules/.bin/tsx'), ['worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      MONGODB_URI: process.env.TEST_MONGODB_URI ?? '',
      TEMPORAL_TASK_QUEUE: `startup-${process.pid}`,
    },
    onLine: (l) => lines.push(l),
  });
  await waitUntilReady(worker, async () => lines.some((l) => l.includes(`waiting for Temporal at 127.0.0.1:${port}`)), 60_000);
  expect(worker.child.exitCode).toBeNull();
  expect(lines.some((l) => l.includes('ready'))).toBe(false);

  temporal = await startTemporalDevServer(toolPaths.temporal(), { port });
  await waitUntilReady(worker, async () => lines.some((l) => /\[worker\] ready: polling task queue "startup-/.test(l)), 60_000);
  expect(worker.child.exitCode).toBeNull();
}, 120_000);
