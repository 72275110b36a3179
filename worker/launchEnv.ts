// What the worker process needs in its environment when it starts: its allocator. The dynamic
// loader reads LD_PRELOAD, and the allocator its variables, before any of our code runs, so nothing
// inside the worker can set them: every launcher passes them instead. `npm start` (scripts/dev-stack.ts), `npm run worker` (scripts/worker.ts) and the
// bench (bench/stack.ts) take them from here; docker-compose.yml cannot import this file, so
// test/unit/workerLaunchEnv.test.ts holds its worker service (and the Dockerfile) to the same values.
// Measured in BENCHMARKS.md ("What the numbers changed": "The worker kept what a burst freed").
import fs from 'node:fs';

/**
 * Where the Docker image puts jemalloc (the Dockerfile links the Debian package's file here), and
 * where distributions install it. jemalloc gives back what a burst freed within seconds; glibc's
 * malloc still held ~120 MB of it after the worker had idled 45 s.
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
 * keeps what a burst freed; two held a little less (119 against 127 MB after a burst). MALLOC_CONF
 * is jemalloc's, MALLOC_ARENA_MAX glibc's; each allocator ignores the other's.
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_CONF: 'background_thread:true', MALLOC_ARENA_MAX: '2' };

/**
 * `env` with the worker's launch settings added: jemalloc preloaded when there is one (`jemalloc`,
 * found on this machine by default) and the allocator variables. A value already set wins (an
 * operator's own choice, including an LD_PRELOAD of their own).
 */
export function workerLaunchEnv(env: NodeJS.ProcessEnv, jemalloc: string | null = findJemalloc()): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (jemalloc && !out.LD_PRELOAD) out.LD_PRELOAD = jemalloc;
  for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) if (!out[key]) out[key] = value;
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
  return missing;
}
