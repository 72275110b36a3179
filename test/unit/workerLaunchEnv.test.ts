// The worker's launch settings (worker/launchEnv.ts) reach a process started with them, an
// operator's own values still win, and docker-compose.yml (which cannot import the module) and
// `npm run worker` carry the same values.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { missingLaunchSettings, WORKER_MALLOC_ENV, WORKER_NODE_FLAGS, workerLaunchEnv } from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');
const semiSpaceMb = Number(/^--max-semi-space-size=(\d+)$/.exec(WORKER_NODE_FLAGS.find((f) => f.startsWith('--max-semi-space-size=')) ?? '')?.[1]);

/** Runs node with `env`, lets it allocate short-lived objects, and reads what it got: its young generation and malloc's variables. */
function probe(env: NodeJS.ProcessEnv): { newSpaceMb: number; arenaMax: string | null } {
  const code = `
    let keep = [];
    for (let i = 0; i < 5e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
    const ns = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ newSpaceMb: ns.space_size / 1048576, arenaMax: process.env.MALLOC_ARENA_MAX ?? null }));
  `;
  const r = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { newSpaceMb: number; arenaMax: string | null };
}

const { NODE_OPTIONS: _ignored, ...plainEnv } = process.env;

it('a process started with workerLaunchEnv gets the malloc variables and a young generation held to the flag', () => {
  expect(semiSpaceMb).toBeGreaterThan(0);
  const launched = probe(workerLaunchEnv(plainEnv));
  expect(launched.arenaMax).toBe(WORKER_MALLOC_ENV.MALLOC_ARENA_MAX);
  // Two semi-spaces at most.
  expect(launched.newSpaceMb).toBeLessThanOrEqual(2 * semiSpaceMb);

  // The same allocation without the settings grows V8's default young generation past that.
  const without = probe({ ...plainEnv, MALLOC_ARENA_MAX: '' });
  expect(without.newSpaceMb).toBeGreaterThan(2 * semiSpaceMb);
}, 60_000);

it("an operator's own values win: a MALLOC_* variable already set, and a flag repeated in NODE_OPTIONS", () => {
  const env = workerLaunchEnv({ MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-semi-space-size=1 --enable-source-maps' });
  expect(env.MALLOC_ARENA_MAX).toBe('4');
  const options = env.NODE_OPTIONS!.split(' ');
  expect(options.slice(0, WORKER_NODE_FLAGS.length)).toEqual([...WORKER_NODE_FLAGS]);
  expect(options.slice(WORKER_NODE_FLAGS.length)).toEqual(['--max-semi-space-size=1', '--enable-source-maps']);
  // V8 takes the last of a repeated flag.
  expect(probe({ ...plainEnv, ...env }).newSpaceMb).toBeLessThanOrEqual(2);
}, 60_000);

it('names the settings a worker started without them is missing', () => {
  expect(missingLaunchSettings(workerLaunchEnv({}))).toEqual([]);
  expect(missingLaunchSettings({ NODE_OPTIONS: '--enable-source-maps' })).toEqual([
    ...Object.entries(WORKER_MALLOC_ENV).map(([k, v]) => `${k}=${v}`),
    ...WORKER_NODE_FLAGS.map((f) => `NODE_OPTIONS=${f}`),
  ]);
  // An operator's own value for a flag counts as set.
  expect(missingLaunchSettings(workerLaunchEnv({ NODE_OPTIONS: '--max-semi-space-size=2' }))).toEqual([]);
});

it("docker-compose.yml's worker carries the same values", () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const env = compose.services.worker?.environment ?? {};
  for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) expect(env[key]).toBe(value);
  expect(env.NODE_OPTIONS).toBe(WORKER_NODE_FLAGS.join(' '));
});

it('`npm run worker` starts the worker through the launcher that adds them', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.worker).toBe('tsx scripts/worker.ts');
  const launcher = fs.readFileSync(path.join(root, 'scripts/worker.ts'), 'utf8');
  expect(launcher).toContain('workerLaunchEnv(process.env)');
  expect(launcher).toContain("'apps', 'worker.ts'");
});
