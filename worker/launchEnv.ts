// What the worker process needs in its environment when it starts. glibc's malloc reads its
// MALLOC_* variables, and V8 the main thread's heap flags (NODE_OPTIONS), before any of our code
// runs, so nothing inside the worker can set them: every launcher passes them instead. `npm start`
// (scripts/dev-stack.ts), `npm run worker` (scripts/worker.ts) and the bench (bench/stack.ts) take
// them from here; docker-compose.yml cannot import this file, so test/unit/workerLaunchEnv.test.ts
// holds its worker service to the same values. Measured in BENCHMARKS.md ("What the numbers changed").

/**
 * glibc malloc settings. Every thread that allocates concurrently (libuv's pool, the SDK's Rust core
 * and its tokio threads, the workflow thread) may get an arena of its own, up to 8 per core, and an
 * arena keeps what a burst freed. Two arenas hold the worker's native memory to what it uses.
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * V8 flags for the main thread (activities, the MongoDB driver, armed sends). The young generation
 * is held below V8's default (up to 2 × 16 MB semi-spaces, grown under a burst's allocation and kept).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * `env` with the worker's launch settings added. A MALLOC_* value already set wins (an operator's
 * own choice); NODE_OPTIONS keeps what it had after the worker's flags, and V8 takes the last of a
 * repeated flag, so an operator's own flag wins there too.
 */
export function workerLaunchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [key, value] of Object.entries(WORKER_MALLOC_ENV)) if (!out[key]) out[key] = value;
  out.NODE_OPTIONS = [...WORKER_NODE_FLAGS, env.NODE_OPTIONS?.trim()].filter(Boolean).join(' ');
  return out;
}

/** The launch settings this process did not get (empty when it was started by one of the launchers). */
export function missingLaunchSettings(env: NodeJS.ProcessEnv): string[] {
  const missing = Object.entries(WORKER_MALLOC_ENV)
    .filter(([key]) => !env[key])
    .map(([key, value]) => `${key}=${value}`);
  const options = (env.NODE_OPTIONS ?? '').split(/\s+/);
  for (const flag of WORKER_NODE_FLAGS) {
    const name = flag.split('=')[0]!;
    if (!options.some((o) => o.split('=')[0] === name)) missing.push(`NODE_OPTIONS=${flag}`);
  }
  return missing;
}
