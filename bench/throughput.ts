// Lifecycle throughput: posts per second from the create request to "published" (offline
// generator, the local webhook sink), against the floor the same Temporal server sets: a bare
// workflow with as many activities as one post's history shows, started the same way, same run.
import { startNodeChild } from './child';
import { cpuDuring } from './cpu';
import { arrivals, postKey } from './arrivals';
import { accountsFor, createPosts, phaseAccounts, pool, waitForStatus } from './drive';
import { waitForArrivals } from './lateness';
import { progress } from './progress';
import type { BenchAccount, BenchStack } from './stack';

export interface ThroughputResult {
  posts: number;
  concurrency: number;
  /** Activities in one post's history (what the bare workflow runs). */
  activitiesPerPost: number;
  lifecycleSeconds: number;
  lifecyclePerSec: number;
  bareSeconds: number;
  barePerSec: number;
  /** bare / lifecycle: how many times the floor PostForge's own work costs. */
  ratio: number;
  /** Every round's wall times (the best of each side is what counts above). */
  rounds: Array<{ lifecycleSeconds: number; bareSeconds: number }>;
  /**
   * CPU seconds per process for one round of `posts` (the mean over rounds), from /proc: steadier
   * than wall time on a shared box. `bench` is this process (the load and the sink).
   */
  cpu: { lifecycle: Record<string, number>; bare: Record<string, number> };
  /** Create requests' latency while this ran, p50 in ms. */
  createP50Ms: number;
  /** Posts that arrived but whose document had not said so when the run moved on: id → status. */
  stragglers?: Record<string, string>;
}

async function activitiesIn(stack: BenchStack, postId: string): Promise<number> {
  const history = await stack.temporal.workflow.getHandle(`post-${postId}`).fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
}

async function statusesOf(stack: BenchStack, postIds: string[], done: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of postIds) {
    const doc = await stack.db.posts.findOne({ _id: id }, { projection: { status: 1 } });
    if (!doc || !done.includes(doc.status)) {
      const wf = await stack.temporal.workflow
        .getHandle(`post-${id}`)
        .describe()
        .catch(() => undefined);
      out[id] = `document ${doc?.status ?? 'missing'}, workflow ${wf?.status.name ?? 'unknown'}`;
    }
  }
  return out;
}

/** One round of PostForge posts: from the first create request to the last arrival at the sink. */
async function lifecycleRound(stack: BenchStack, accounts: BenchAccount[], opts: { posts: number; concurrency: number; round: number }) {
  const items = Array.from({ length: opts.posts }, (_, i) => ({
    account: accounts[i % accounts.length]!,
    body: {
      topic: `Throughput post ${opts.round}.${i}: why durable timers beat cron`,
      targets: [{ kind: 'webhook' as const, url: stack.sink.hookUrlFor(accounts[i % accounts.length]!.accountId) }],
    },
  }));
  const t0 = Date.now();
  const created = await createPosts(stack, items, { concurrency: opts.concurrency, label: `lifecycle (round ${opts.round}): create` });
  // Published = arrived at the destination (as in the lateness runs); the documents must agree.
  const keys = created.map((c) => postKey(c.postId, stack.sink.hookUrlFor(c.accountId)));
  const first = await waitForArrivals(keys, () => arrivals(stack.sink, 'publish:').first, {
    label: `lifecycle (round ${opts.round}): published`,
    timeoutMs: 10 * 60_000,
  });
  if (keys.some((k) => !first.has(k))) throw new Error('not every throughput post arrived within 10 minutes');
  const last = Math.max(...keys.map((k) => first.get(k) as number));
  const seconds = (last - t0) / 1000;
  const docs = await waitForStatus(
    stack,
    created.map((c) => c.postId),
    ['published', 'failed'],
    { label: `lifecycle (round ${opts.round}): documents`, timeoutMs: 180_000 },
  );
  // Reported rather than fatal: the sections after this one still have something to measure.
  const stragglers = docs.reached
    ? undefined
    : await statusesOf(
        stack,
        created.map((c) => c.postId),
        ['published', 'failed'],
      );
  return { seconds, created, stragglers };
}

/** One round of bare workflows, started the same way as the posts, on the bare worker's queue. */
async function bareRound(stack: BenchStack, opts: { posts: number; concurrency: number; activities: number; round: number }): Promise<number> {
  const bar = progress(`bare workflow (round ${opts.round})`, opts.posts);
  let finished = 0;
  let failure: unknown;
  const b0 = Date.now();
  await pool(
    Array.from({ length: opts.posts }, (_, i) => i),
    opts.concurrency,
    async (i) => {
      const h = await stack.temporal.workflow.start('bareLifecycle', { taskQueue: 'bench-bare', workflowId: `bare-${b0}-${i}`, args: [opts.activities] });
      // Results are awaited outside the pool, so starts go out as fast as creates did.
      void h.result().then(
        () => bar.update(++finished),
        (err: unknown) => {
          failure = err;
        },
      );
    },
  );
  while (finished < opts.posts) {
    if (failure) throw new Error(`a bare workflow failed: ${String(failure)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  bar.end(`${opts.posts} done`);
  return (Date.now() - b0) / 1000;
}

/**
 * Rounds alternate (PostForge, bare, PostForge, bare…) and each side's best round counts: on a
 * shared box the same bare run took 9.9 s in one run and 21.9 s in the next while PostForge's took
 * 17.6 and 19.8 s, so one round each mostly measured who else was using the CPU at the time.
 */
export async function measureThroughput(stack: BenchStack, opts: { posts: number; concurrency: number; rounds: number }): Promise<ThroughputResult> {
  const rounds = Math.max(1, opts.rounds);
  const accounts = await phaseAccounts(stack, 'tput', accountsFor(opts.posts * rounds), 20);
  const bare = startNodeChild('bare-worker', 'bench/bare/worker.ts', { ...stack.env, BARE_TASK_QUEUE: 'bench-bare' });
  try {
    await bare.waitForLine(/\[bare-worker\] ready/, 120_000);
    const lifecycle: number[] = [];
    const bareTimes: number[] = [];
    const createTimes: number[] = [];
    let activitiesPerPost = 0;
    let stragglers: Record<string, string> | undefined;
    const lifecycleCpu: Array<Record<string, number>> = [];
    const bareCpu: Array<Record<string, number>> = [];
    const pids = () => ({ ...stack.pids(), bench: process.pid, 'bare worker': bare.pid });
    for (let round = 1; round <= rounds; round++) {
      const { value: r, cpu } = await cpuDuring(pids(), () => lifecycleRound(stack, accounts, { posts: opts.posts, concurrency: opts.concurrency, round }));
      lifecycleCpu.push(cpu);
      lifecycle.push(r.seconds);
      createTimes.push(...r.created.map((c) => c.answeredAt - c.sentAt));
      if (r.stragglers) stragglers = { ...stragglers, ...r.stragglers };
      if (round === 1) activitiesPerPost = await activitiesIn(stack, r.created[0]!.postId);
      const b = await cpuDuring(pids(), () => bareRound(stack, { posts: opts.posts, concurrency: opts.concurrency, activities: activitiesPerPost, round }));
      bareCpu.push(b.cpu);
      bareTimes.push(b.value);
    }
    createTimes.sort((a, b) => a - b);
    const lifecycleSeconds = Math.min(...lifecycle);
    const bareSeconds = Math.min(...bareTimes);
    const lifecyclePerSec = opts.posts / lifecycleSeconds;
    const barePerSec = opts.posts / bareSeconds;
    return {
      posts: opts.posts,
      concurrency: opts.concurrency,
      activitiesPerPost,
      lifecycleSeconds,
      lifecyclePerSec,
      bareSeconds,
      barePerSec,
      ratio: barePerSec / lifecyclePerSec,
      rounds: lifecycle.map((l, i) => ({ lifecycleSeconds: l, bareSeconds: bareTimes[i]! })),
      cpu: { lifecycle: meanOf(lifecycleCpu), bare: meanOf(bareCpu) },
      createP50Ms: createTimes[Math.floor(createTimes.length / 2)] ?? Number.NaN,
      ...(stragglers ? { stragglers } : {}),
    };
  } finally {
    await bare.stop();
  }
}

function meanOf(samples: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(samples[0] ?? {})) out[k] = samples.reduce((sum, x) => sum + (x[k] ?? Number.NaN), 0) / samples.length;
  return out;
}
