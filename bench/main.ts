// `npm run bench`: starts its own PostForge stack, measures, prints a table and writes
// BENCHMARKS.md. `--help` explains every size; `--quick` finishes in a few minutes.
import fs from 'node:fs';
import path from 'node:path';
import { measureAcks } from './ack';
import { bullLateness, bullThroughput, startBull, type Bull } from './baseline/bullmq';
import { BULL_WORKER_OPTIONS } from './baseline/bullWorker';
import { RedisMissing, redisVersion } from './baseline/redis';
import { ROOT } from './child';
import { FINDINGS } from './findings';
import { FlagError, bool, helpText, list, num, parseFlags, str, type FlagSpec } from './flags';
import { measureKill } from './killTest';
import { measureLateness } from './lateness';
import { describeMachine } from './machine';
import { measureSleepers } from './memory';
import { log } from './progress';
import { renderMarkdown, renderTables, type BenchResults } from './report';
import { waitForPostsToSettle } from './settle';
import { startBenchStack } from './stack';
import { measureThroughput } from './throughput';

const SECTIONS = ['ack', 'throughput', 'lateness', 'kill', 'memory'] as const;

const FLAGS: FlagSpec[] = [
  { name: 'ack-requests', help: 'signed requests per edge and concurrency level', default: 200 },
  { name: 'ack-concurrency', help: 'concurrency levels for the ack latency', default: [1, 10, 50] },
  { name: 'throughput', help: 'posts in the throughput run (and bare workflows, and BullMQ jobs)', default: 500 },
  { name: 'throughput-rounds', help: 'alternating rounds of the throughput run; the best round of each side counts', default: 2 },
  { name: 'concurrency', help: 'create requests in flight while setting posts up', default: 20 },
  { name: 'lateness', help: 'sizes of the "all due at the same second" runs', default: [100, 1000, 5000] },
  { name: 'sleepers', help: 'posts asleep until tomorrow at each memory sample (cumulative)', default: [1000, 2500, 5000, 7500, 10000] },
  { name: 'kill-posts', help: 'posts per system in the worker-kill run', default: 300 },
  { name: 'kill-window', help: "seconds over which the kill run's posts fall due", default: 20 },
  { name: 'lead-kill-posts', help: 'PostForge posts due after the kill, armed when it comes (the kill during the arming lead)', default: 200 },
  { name: 'lead-kill-due', help: 'seconds after the kill those posts are due (under PUBLISH_ARM_LEAD, 2 min)', default: 30 },
  { name: 'sink-delay', help: 'ms the webhook sink takes to answer during the kill run', default: 200 },
  { name: 'setup-rate', help: "posts/s the stack sets up, to size the first lateness run's lead when no throughput run measured it (0: measure)", default: 0 },
  { name: 'only', help: `comma list of sections to run: ${SECTIONS.join(',')}`, default: 'all' },
  { name: 'skip-bullmq', help: "leave out the BullMQ baseline (needs Debian's redis-server)", default: false },
  { name: 'out', help: 'where to write the report', default: 'BENCHMARKS.md' },
];

const PRESETS = {
  quick: {
    'ack-requests': 30,
    throughput: 40,
    'throughput-rounds': 1,
    lateness: [50],
    sleepers: [150],
    'kill-posts': 40,
    'kill-window': 5,
    'lead-kill-posts': 20,
  },
};

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      helpText(
        'Usage: npm run bench [-- --quick] [-- flags]\n\nStarts a private PostForge stack (own ports, own temp dir), measures ack latency, lifecycle\nthroughput against a bare workflow, publish lateness, a worker kill, and worker memory with\nsleeping posts, with BullMQ on Redis as a baseline; prints a table and writes BENCHMARKS.md.',
        FLAGS,
        { quick: { help: 'small sizes: done in about 3.5 minutes (the kill run waits out a heartbeat timeout)' } },
      ),
    );
    return 0;
  }
  const flags = parseFlags(argv, FLAGS, PRESETS);
  const only =
    str(flags, 'only') === 'all'
      ? new Set<string>(SECTIONS)
      : new Set(
          str(flags, 'only')
            .split(',')
            .map((s) => s.trim()),
        );
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new FlagError(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);

  const started = Date.now();
  const skipped: string[] = [];
  let useBull = !bool(flags, 'skip-bullmq');
  if (!useBull) skipped.push('BullMQ baseline: --skip-bullmq was given.');
  else {
    try {
      redisVersion();
    } catch (err) {
      if (!(err instanceof RedisMissing)) throw err;
      log(`WARNING: ${err.message} Running without the baseline.`);
      skipped.push(`BullMQ baseline: ${err.message}`);
      useBull = false;
    }
  }

  log('starting a private stack (Temporal dev server, FerretDB, stripe-mock, worker, API)…');
  // The worker warns when a burst's armed claims were still being written at its due time: shown, it explains a lateness row.
  const stack = await startBenchStack({ label: 'bench', onWorkerLine: (line) => (/armed sends due/.test(line) ? log(`worker: ${line}`) : undefined) });
  let bull: Bull | undefined;
  let failure: string | undefined;
  const stopAll = async () => {
    await bull?.stop().catch(() => undefined);
    await stack.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)}s (${stack.dir})`);

  const results: BenchResults = {
    machine: describeMachine(),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    seconds: 0,
    lateness: [],
    skipped,
    ...(useBull ? { bullOptions: BULL_WORKER_OPTIONS } : {}),
  };
  // Where the run is, for whoever watches an hour-long run: each section says when it starts.
  const section = (name: string) =>
    log(`== ${name} (at ${Math.floor((Date.now() - started) / 60_000)} min ${Math.round(((Date.now() - started) / 1000) % 60)} s)`);
  try {
    if (useBull) bull = await startBull(stack);
    const concurrency = num(flags, 'concurrency');
    if (only.has('ack')) section('ack latency');
    if (only.has('ack')) results.acks = await measureAcks(stack, { levels: list(flags, 'ack-concurrency'), requests: num(flags, 'ack-requests') });
    let setupRate = num(flags, 'setup-rate') > 0 ? num(flags, 'setup-rate') / 2 : 30;
    if (only.has('throughput') && num(flags, 'throughput') > 0) {
      section('throughput');
      results.throughput = await measureThroughput(stack, { posts: num(flags, 'throughput'), concurrency, rounds: num(flags, 'throughput-rounds') });
      setupRate = results.throughput.lifecyclePerSec;
      if (bull) results.bullThroughput = { posts: num(flags, 'throughput'), ...(await bullThroughput(stack, bull, num(flags, 'throughput'), concurrency)) };
    }
    if (only.has('lateness')) {
      // Setup (create, charge, sleep) is about half a full lifecycle; each run measures it for the next.
      setupRate *= 2;
      for (const n of [...list(flags, 'lateness')].sort((a, b) => a - b)) {
        // Setup slows as the stack fills: 1,000 posts set up at 6.4/s, the 5,000 after them at ~5/s.
        const leadMs = 8_000 + (n / setupRate) * 1000 * (n >= 2_000 ? 1.6 : 1.25);
        section(`lateness ${n}`);
        const late = await measureLateness(stack, n, { leadMs, concurrency });
        results.lateness.push(late);
        if (late.setupPerSec) setupRate = late.setupPerSec;
        if (bull) results.lateness.push(await bullLateness(stack, bull, n, 5_000 + n * 3));
      }
    }
    if (only.has('kill') && num(flags, 'kill-posts') > 0) {
      const n = num(flags, 'kill-posts');
      section('worker kill (and kill during the arming lead)');
      await waitForPostsToSettle(stack, { label: 'kill test: earlier posts settling', timeoutMs: 10 * 60_000 });
      const all = n + num(flags, 'lead-kill-posts');
      results.kill = await measureKill(stack, bull, {
        posts: n,
        windowMs: num(flags, 'kill-window') * 1000,
        sinkDelayMs: num(flags, 'sink-delay'),
        concurrency,
        leadMs: 5_000 + (all / setupRate) * 1000 * 1.2 + all * 5,
        leadPosts: num(flags, 'lead-kill-posts'),
        leadDueAfterKillMs: num(flags, 'lead-kill-due') * 1000,
      });
    }
    if (only.has('memory') && list(flags, 'sleepers').length) section('memory');
    if (only.has('memory') && list(flags, 'sleepers').length) results.memory = await measureSleepers(stack, list(flags, 'sleepers'), { concurrency });
  } catch (err) {
    // An hour-long run that fails in its last section still reports what it measured before.
    failure = err instanceof Error ? err.message : String(err);
    log(`FAILED: ${failure}`);
    skipped.push(`The run stopped early: ${failure}`);
  } finally {
    await stopAll();
  }
  results.seconds = (Date.now() - started) / 1000;
  process.stdout.write(`\n${renderTables(results)}\n\n`);
  const out = path.resolve(ROOT, str(flags, 'out'));
  fs.writeFileSync(out, renderMarkdown(results, FINDINGS));
  log(`wrote ${path.relative(process.cwd(), out) || out} (${Math.round(results.seconds)} s in all)`);
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof FlagError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
