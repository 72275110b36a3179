// The worker process started before Temporal is up waits for it, then polls (the failure mode
// where a worker dies or spins because it started first). Real processes, real dev server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startService, waitUntilReady, type Service } from '../../core/process';
import { startTemporalDevServer } from '../../scripts/embedded';
import { toolPaths } from '../helpers/tools';
import { findJemalloc, missingLaunchSettings, WORKER_MALLOC_ENV } from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');
let worker: Service | undefined;
let temporal: Service | undefined;
afterAll(async () => {
  await worker?.stop();
  await temporal?.stop();
});

// Started as `npm run worker` starts it (scripts/worker.ts), with its launch settings.
it('a worker started before Temporal waits, then becomes ready once Temporal answers', async () => {
  const port = await freePort();
  const lines: string[] = [];
  worker = startService('worker', path.join(root, 'node_modules/.bin/tsx'), ['scripts/worker.ts'], {
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

  // With no WORKFLOW_BUNDLE the workflows are bundled in a child process that has exited by now, so
  // webpack's memory left with it: bundled in the worker itself, a fresh idle worker held ~380 MiB
  // here; bundled aside, ~265-280 MiB (npm run bench, memory).
  expect(lines.some((l) => l.includes('workflows: bundled at start in a child process'))).toBe(true);
  // The workflow thread's heap is sized from the cache (worker/workflowThreadHeap.ts; test/unit/workflowThreadHeap.test.ts shows the limits reach that thread).
  expect(lines.some((l) => l.includes('workflow thread heap: 228 MB old space, 4 MB semi-space, 100 cached'))).toBe(true);
  const node = workerProcessUnder(worker.child.pid!);
  // The launcher gave it the allocator settings (worker/launchEnv.ts), so it did not warn.
  const environ = fs.readFileSync(`/proc/${node}/environ`, 'utf8').split('\0');
  expect(environ).toEqual(expect.arrayContaining(Object.entries(WORKER_MALLOC_ENV).map(([k, v]) => `${k}=${v}`)));
  expect(lines.filter((l) => l.includes('started without its launch settings'))).toEqual([]);
  const jemalloc = findJemalloc();
  if (jemalloc) expect(environ).toContain(`LD_PRELOAD=${jemalloc}`);
  expect(lines.some((l) => l.includes(`allocator: ${jemalloc ? 'jemalloc' : 'system malloc'})`))).toBe(true);
  // tsx may keep esbuild's transform service as a child (it does when its cache is cold); the bundler must be gone.
  const children = childrenOf(node).map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
  expect(children.filter((cmd) => cmd.includes('bundle-workflows'))).toEqual([]);
  expect(rssMiB(node)).toBeLessThan(340);
}, 120_000);

/** `tsx` runs a script in a node child of its own, and the launcher starts the worker as its child: the process running apps/worker.ts. */
function workerProcessUnder(pid: number): number {
  const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (cmdline.some((a) => a.endsWith('apps/worker.ts'))) return pid;
  for (const child of childrenOf(pid)) {
    const found = workerProcessUnder(child);
    if (found) return found;
  }
  return 0;
}

function childrenOf(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
    .map(Number);
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

// Production workers run the bundle built into the image (scripts/bundle-workflows.ts), not one made at start.
it('a worker given WORKFLOW_BUNDLE runs that prebuilt bundle, and names a missing one', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pf-bundle-')), 'workflow-bundle.js');
  const built = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/bundle-workflows.ts', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(built.status).toBe(0);
  expect(fs.readFileSync(out, 'utf8')).toContain('postLifecycle');

  const port = await freePort();
  const t = await startTemporalDevServer(toolPaths.temporal(), { port });
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    MONGODB_URI: process.env.TEST_MONGODB_URI ?? '',
    TEMPORAL_TASK_QUEUE: `bundle-${process.pid}`,
  };
  const lines: string[] = [];
  const w = startService('worker', path.join(root, 'node_modules/.bin/tsx'), ['apps/worker.ts'], {
    cwd: root,
    env: { ...env, WORKFLOW_BUNDLE: out, WORKFLOW_THREAD_HEAP_MB: '300', LD_PRELOAD: '', MALLOC_CONF: '', MALLOC_ARENA_MAX: '' },
    onLine: (l) => lines.push(l),
  });
  try {
    await waitUntilReady(w, async () => lines.some((l) => l.includes(`workflows: prebuilt bundle ${out}`)), 60_000);
    expect(lines.some((l) => l.includes('workflow thread heap: 300 MB old space'))).toBe(true);
    // Started bare (not through a launcher), it says which settings it lacks.
    expect(lines.some((l) => l.includes(`started without its launch settings (${missingLaunchSettings({}).join(', ')})`))).toBe(true);
  } finally {
    await w.stop();
  }
  const missing = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['apps/worker.ts'], {
    cwd: root,
    env: { ...env, WORKFLOW_BUNDLE: '/nonexistent/bundle.js' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  await t.stop();
  expect(missing.status).not.toBe(0);
  expect(missing.stdout + missing.stderr).toContain('WORKFLOW_BUNDLE is /nonexistent/bundle.js, which does not exist');
}, 180_000);
