// Lifecycle throughput: posts per second from the create request to "published" (offline
// generator, the local webhook sink), against the floor the same Temporal server sets: a bare
// workflow with as many activities as one post's history shows, started the same way, same run.
import { startNodeChild } from './child';
import { arrivals, postKey } from './arrivals';
import { accountsFor, createPosts, phaseAccounts, pool, waitForStatus } from './drive';
import { waitForArrivals } from './lateness';
import { progress } from './progress';
import type { BenchStack } from './stack';

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

export async function measureThroughput(stack: BenchStack, opts: { posts: number; concurrency: number }): Promise<ThroughputResult> {
  const accounts = await phaseAccounts(stack, 'tput', accountsFor(opts.posts), 20);
  const items = Array.from({ length: opts.posts }, (_, i) => ({
    account: accounts[i % accounts.length]!,
    body: { topic: `Throughput post ${i}: why durable timers beat cron`, targets: [{ kind: 'webhook' as const, url: stack.sink.hookUrl }] },
  }));
  const t0 = Date.now();
  const created = await createPosts(stack, items, { concurrency: opts.concurrency, label: 'lifecycle: create' });
  // Published = arrived at the destination (as in the lateness runs); the documents must agree.
  const keys = created.map((c) => postKey(c.postId, stack.sink.hookUrl));
  const first = await waitForArrivals(keys, () => arrivals(stack.sink, 'publish:').first, { label: 'lifecycle: published', timeoutMs: 10 * 60_000 });
  if (keys.some((k) => !first.has(k))) throw new Error('not every throughput post arrived within 10 minutes');
  const last = Math.max(...keys.map((k) => first.get(k) as number));
  const lifecycleSeconds = (last - t0) / 1000;
  const docs = await waitForStatus(
    stack,
    created.map((c) => c.postId),
    ['published', 'failed'],
    { label: 'lifecycle: documents', timeoutMs: 180_000 },
  );
  // Reported rather than fatal: the sections after this one still have something to measure.
  const stragglers = docs.reached
    ? undefined
    : await statusesOf(
        stack,
        created.map((c) => c.postId),
        ['published', 'failed'],
      );
  const createTimes = created.map((c) => c.answeredAt - c.sentAt).sort((a, b) => a - b);

  const activitiesPerPost = await activitiesIn(stack, created[0]!.postId);
  const bare = startNodeChild('bare-worker', 'bench/bare/worker.ts', { ...stack.env, BARE_TASK_QUEUE: 'bench-bare' });
  try {
    await bare.waitForLine(/\[bare-worker\] ready/, 120_000);
    const bar = progress('bare workflow', opts.posts);
    let finished = 0;
    let failure: unknown;
    const b0 = Date.now();
    await pool(
      Array.from({ length: opts.posts }, (_, i) => i),
      opts.concurrency,
      async (i) => {
        const h = await stack.temporal.workflow.start('bareLifecycle', { taskQueue: 'bench-bare', workflowId: `bare-${b0}-${i}`, args: [activitiesPerPost] });
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
    const bareSeconds = (Date.now() - b0) / 1000;
    bar.end(`${opts.posts} done`);
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
      createP50Ms: createTimes[Math.floor(createTimes.length / 2)] ?? Number.NaN,
      ...(stragglers ? { stragglers } : {}),
    };
  } finally {
    await bare.stop();
  }
}
