// The worker's launch settings (worker/launchEnv.ts) reach a process started with them, an
// operator's own values still win, and docker-compose.yml and the Dockerfile (which cannot import
// the module) and `npm run worker` carry the same values.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  findJemalloc,
  IMAGE_JEMALLOC,
  missingLaunchSettings,
  runningAllocator,
  WORKER_MALLOC_ENV,
  WORKER_NODE_FLAGS,
  workerLaunchEnv,
} from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');
const semiSpaceMb = Number(/^--max-semi-space-size=(\d+)$/.exec(WORKER_NODE_FLAGS.find((f) => f.startsWith('--max-semi-space-size=')) ?? '')?.[1]);

interface Probe {
  newSpaceMb: number;
  allocator: string;
  env: Record<string, string | null>;
}

/** Runs node with `env`, lets it allocate short-lived objects, and reads what it got: its young generation, its allocator, malloc's variables. */
function probe(env: NodeJS.ProcessEnv): Probe {
  const code = `
    let keep = [];
    for (let i = 0; i < 5e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
    const ns = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const env = Object.fromEntries(${JSON.stringify(Object.keys(WORKER_MALLOC_ENV))}.map((k) => [k, process.env[k] ?? null]));
    console.log(JSON.stringify({ newSpaceMb: ns.space_size / 1048576, allocator: maps.includes('libjemalloc') ? 'jemalloc' : 'system malloc', env }));
  `;
  const r = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Probe;
}

const plainEnv: NodeJS.ProcessEnv = { ...process.env };
for (const key of ['NODE_OPTIONS', 'LD_PRELOAD', ...Object.keys(WORKER_MALLOC_ENV)]) delete plainEnv[key];

it('a process started with workerLaunchEnv gets the allocator, its variables and a young generation held to the flag', () => {
  expect(semiSpaceMb).toBeGreaterThan(0);
  const launched = probe(workerLaunchEnv(plainEnv));
  expect(launched.env).toEqual(WORKER_MALLOC_ENV);
  // jemalloc wherever it is installed (this machine: Debian's libjemalloc2), glibc's malloc otherwise.
  expect(launched.allocator).toBe(findJemalloc() ? 'jemalloc' : 'system malloc');
  // Two semi-spaces at most.
  expect(launched.newSpaceMb).toBeLessThanOrEqual(2 * semiSpaceMb);

  // The same allocation without the settings: glibc's malloc, and V8's default young generation grows past that.
  const without = probe(plainEnv);
  expect(without.allocator).toBe('system malloc');
  expect(without.newSpaceMb).toBeGreaterThan(2 * semiSpaceMb);
}, 60_000);

it('leaves LD_PRELOAD alone where there is no jemalloc', () => {
  expect(findJemalloc(() => false)).toBeNull();
  const env = workerLaunchEnv({}, null);
  expect(env.LD_PRELOAD).toBeUndefined();
  expect(env).toMatchObject(WORKER_MALLOC_ENV);
  expect(workerLaunchEnv({}, '/opt/lib/libjemalloc.so.2').LD_PRELOAD).toBe('/opt/lib/libjemalloc.so.2');
});

it("an operator's own values win: LD_PRELOAD, a variable already set, and a flag repeated in NODE_OPTIONS", () => {
  const env = workerLaunchEnv(
    { LD_PRELOAD: '/opt/mine.so', MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-semi-space-size=1 --enable-source-maps' },
    IMAGE_JEMALLOC,
  );
  expect(env.LD_PRELOAD).toBe('/opt/mine.so');
  expect(env.MALLOC_ARENA_MAX).toBe('4');
  const options = env.NODE_OPTIONS!.split(' ');
  expect(options.slice(0, WORKER_NODE_FLAGS.length)).toEqual([...WORKER_NODE_FLAGS]);
  expect(options.slice(WORKER_NODE_FLAGS.length)).toEqual(['--max-semi-space-size=1', '--enable-source-maps']);
  // V8 takes the last of a repeated flag.
  const { LD_PRELOAD: _mine, ...runnable } = env;
  expect(probe({ ...plainEnv, ...runnable }).newSpaceMb).toBeLessThanOrEqual(2);
}, 60_000);

it('names the settings a worker started without them is missing', () => {
  expect(missingLaunchSettings(workerLaunchEnv({}, IMAGE_JEMALLOC), IMAGE_JEMALLOC, 'jemalloc')).toEqual([]);
  expect(missingLaunchSettings({ NODE_OPTIONS: '--enable-source-maps' }, IMAGE_JEMALLOC, 'system malloc')).toEqual([
    `LD_PRELOAD=${IMAGE_JEMALLOC}`,
    ...Object.entries(WORKER_MALLOC_ENV).map(([k, v]) => `${k}=${v}`),
    ...WORKER_NODE_FLAGS.map((f) => `NODE_OPTIONS=${f}`),
  ]);
  // No jemalloc on the machine: glibc's malloc is not a missing setting.
  expect(missingLaunchSettings(workerLaunchEnv({}, null), null, 'system malloc')).toEqual([]);
  // An operator's own value for a flag counts as set.
  expect(missingLaunchSettings(workerLaunchEnv({ NODE_OPTIONS: '--max-semi-space-size=2' }, null), null, 'system malloc')).toEqual([]);
  // This test process was started without them.
  expect(runningAllocator()).toBe('system malloc');
});

it("docker-compose.yml's worker and the Dockerfile carry the same values", () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const env = compose.services.worker?.environment ?? {};
  const want = workerLaunchEnv({}, IMAGE_JEMALLOC);
  for (const key of ['LD_PRELOAD', ...Object.keys(WORKER_MALLOC_ENV), 'NODE_OPTIONS']) expect(env[key]).toBe(want[key]);
  // The image installs jemalloc and links it where LD_PRELOAD points.
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends libjemalloc2/);
  expect(dockerfile).toContain(`/usr/lib/*-linux-gnu/libjemalloc.so.2)" ${IMAGE_JEMALLOC}`);
});

it('`npm run worker` goes through the launcher (test/integration/workerStartup.test.ts starts it and reads the worker’s environment)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.worker).toBe('tsx scripts/worker.ts');
});
