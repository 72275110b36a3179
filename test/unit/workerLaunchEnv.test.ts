// The worker's launch settings (worker/launchEnv.ts) reach a process started with them, an
// operator's own values still win, and docker-compose.yml and the Dockerfile (which cannot import
// the module) and `npm run worker` carry the same values.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findJemalloc, IMAGE_JEMALLOC, missingLaunchSettings, runningAllocator, WORKER_MALLOC_ENV, workerLaunchEnv } from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');

interface Probe {
  allocator: string;
  env: Record<string, string | null>;
}

/** Runs node with `env` and reads what it got: its allocator (from its memory map) and the allocator's variables. */
function probe(env: NodeJS.ProcessEnv): Probe {
  const code = `
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const env = Object.fromEntries(${JSON.stringify(Object.keys(WORKER_MALLOC_ENV))}.map((k) => [k, process.env[k] ?? null]));
    console.log(JSON.stringify({ allocator: maps.includes('libjemalloc') ? 'jemalloc' : 'system malloc', env }));
  `;
  const r = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Probe;
}

const plainEnv: NodeJS.ProcessEnv = { ...process.env };
for (const key of ['LD_PRELOAD', ...Object.keys(WORKER_MALLOC_ENV)]) delete plainEnv[key];

it('a process started with workerLaunchEnv runs on jemalloc where it is installed, with the allocator variables', () => {
  const launched = probe(workerLaunchEnv(plainEnv));
  expect(launched.env).toEqual(WORKER_MALLOC_ENV);
  // This machine has Debian's libjemalloc2 (as the Docker image does); elsewhere glibc's malloc stays.
  expect(launched.allocator).toBe(findJemalloc() ? 'jemalloc' : 'system malloc');
  expect(probe(plainEnv).allocator).toBe('system malloc');
}, 60_000);

it('leaves LD_PRELOAD alone where there is no jemalloc', () => {
  expect(findJemalloc(() => false)).toBeNull();
  expect(findJemalloc((f) => f === '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2')).toBe('/usr/lib/aarch64-linux-gnu/libjemalloc.so.2');
  const env = workerLaunchEnv({}, null);
  expect(env.LD_PRELOAD).toBeUndefined();
  expect(env).toMatchObject(WORKER_MALLOC_ENV);
  expect(workerLaunchEnv({}, '/opt/lib/libjemalloc.so.2').LD_PRELOAD).toBe('/opt/lib/libjemalloc.so.2');
});

it("an operator's own values win: LD_PRELOAD and a variable already set", () => {
  const env = workerLaunchEnv({ LD_PRELOAD: '/opt/mine.so', MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--enable-source-maps' }, IMAGE_JEMALLOC);
  expect(env.LD_PRELOAD).toBe('/opt/mine.so');
  expect(env.MALLOC_ARENA_MAX).toBe('4');
  expect(env.MALLOC_CONF).toBe(WORKER_MALLOC_ENV.MALLOC_CONF);
  expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
});

it('names the settings a worker started without them is missing', () => {
  expect(missingLaunchSettings(workerLaunchEnv({}, IMAGE_JEMALLOC), IMAGE_JEMALLOC, 'jemalloc')).toEqual([]);
  expect(missingLaunchSettings({}, IMAGE_JEMALLOC, 'system malloc')).toEqual([
    `LD_PRELOAD=${IMAGE_JEMALLOC}`,
    ...Object.entries(WORKER_MALLOC_ENV).map(([k, v]) => `${k}=${v}`),
  ]);
  // LD_PRELOAD set but jemalloc not loaded (a wrong path) is still missing: the memory map decides.
  expect(missingLaunchSettings(workerLaunchEnv({}, IMAGE_JEMALLOC), IMAGE_JEMALLOC, 'system malloc')).toEqual([`LD_PRELOAD=${IMAGE_JEMALLOC}`]);
  // No jemalloc on the machine: glibc's malloc is not a missing setting.
  expect(missingLaunchSettings(workerLaunchEnv({}, null), null, 'system malloc')).toEqual([]);
  // This test process was started without them.
  expect(runningAllocator()).toBe('system malloc');
});

it("docker-compose.yml's worker and the Dockerfile carry the same values", () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const env = compose.services.worker?.environment ?? {};
  const want = workerLaunchEnv({}, IMAGE_JEMALLOC);
  for (const key of ['LD_PRELOAD', ...Object.keys(WORKER_MALLOC_ENV)]) expect(env[key]).toBe(want[key]);
  // The image installs jemalloc and links it where LD_PRELOAD points.
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends libjemalloc2/);
  expect(dockerfile).toContain(`/usr/lib/*-linux-gnu/libjemalloc.so.2)" ${IMAGE_JEMALLOC}`);
});

it('`npm run worker` goes through the launcher (test/integration/workerStartup.test.ts starts it and reads the worker’s environment)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.worker).toBe('tsx scripts/worker.ts');
});
