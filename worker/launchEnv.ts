// What the worker process needs in its environment when it starts. The dynamic loader reads
// LD_PRELOAD, the allocator its variables, and V8 the main thread's heap flags (NODE_OPTIONS),
// before any of our code runs, so nothing inside the worker can set them: every launcher passes
// them instead. `npm start` (scripts/dev-stack.ts), `npm run worker` (scripts/worker.ts) and the
// bench (bench/stack.ts) take them from here; docker-compose.yml cannot import this file, so
// test/unit/workerLaunchEnv.test.ts holds its worker service (and the Dockerfile) to the same values.
// Measured in BENCHMARKS.md ("What the numbers changed": "The worker kept what a burst freed").
import fs from 'node:fs';

/**
 * Where the Docker image puts jemalloc (the Dockerfile links the Debian package's file here), and
 * where distributions install it. jemalloc gives back what a burst freed within seconds; glibc's
 * malloc kept ~120 MB of it for good.
 */
export const IMAGE_JEMALLOC = '/usr/local/lib/libjemalloc.so.2';
const JEMALLOC_CANDIDATES = [
  IMAGE_JEMALLOC,
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/** The jemalloc library on this machine, or null (then the worker runs on glibc's malloc, held to two arenas). */
export function findJemalloc(exists: (file: string) => boolean = fs.existsSync): string | null {
  if (process.platform !== 'linux') return null;
  return JEMALLOC_CANDIDATES.find((file) => exists(file)) ?? null;
}

/**
 * Allocator settings. jemalloc's background thread returns freed pages while the worker idles.
 * Without jemalloc, glibc gives every thread that allocates at once (libuv's pool, the SDK's Rust
 * core and its tokio threads, the workflow thread) an arena of its own, up to 8 per core, and each
 * keeps what a burst freed; two arenas keep less (MALLOC_CONF is jemalloc's, MALLOC_ARENA_MAX glibc's).
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_CONF: 'background_thread:true', MALLOC_ARENA_MAX: '2' };

/**
 * V8 flags for the main thread (activities, the MongoDB driver, armed sends). The young generation
 * is held below V8's default (up to 2 × 16 MB semi-spaces, grown under a burst's allocation and kept).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * `env` with the worker's launch settings added: jemalloc preloaded when there is one (`jemalloc`,
 * found on this machine by default), the allocator variables and the V8 flags. A value already set
 * wins (an operator's own choice, including an LD_PRELOAD of their own); NODE_OPTIONS keeps what it
 * had after the worker's flags, and V8 takes the last of a repeated flag, so an operator's wins there too.
 */
export function workerLaunchEnv(env: NodeJS.ProcessEnv, jemalloc: string | null = findJemalloc()): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (jemalloc && !out.LD_PRELOAD) out.LD_PRELOAD = jemalloc;
  for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) if (!out[key]) out[key] = value;
  out.NODE_OPTIONS = [...WORKER_NODE_FLAGS, env.NODE_OPTIONS?.trim()].filter(Boolean).join(' ');
  return out;
}

/** The allocator this process runs on, from its memory map. */
export function runningAllocator(maps = '/proc/self/maps'): 'jemalloc' | 'system malloc' {
  try {
    return fs.readFileSync(maps, 'utf8').includes('libjemalloc') ? 'jemalloc' : 'system malloc';
  } catch {
    return 'system malloc';
  }
}

/** The launch settings this process did not get (empty when it was started by one of the launchers). */
export function missingLaunchSettings(env: NodeJS.ProcessEnv, jemalloc: string | null = findJemalloc(), allocator = runningAllocator()): string[] {
  const missing: string[] = [];
  if (jemalloc && allocator !== 'jemalloc') missing.push(`LD_PRELOAD=${jemalloc}`);
  for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) if (!env[key]) missing.push(`${key}=${value}`);
  const options = (env.NODE_OPTIONS ?? '').split(/\s+/);
  for (const flag of WORKER_NODE_FLAGS) {
    const name = flag.split('=')[0]!;
    if (!options.some((o) => o.split('=')[0] === name)) missing.push(`NODE_OPTIONS=${flag}`);
  }
  return missing;
}
