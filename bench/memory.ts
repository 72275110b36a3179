// Worker resident memory with many posts asleep until tomorrow. Counts grow in steps (1,000, then
// up to 10,000), sampled once every post is charged and asleep. A last sample after a worker
// restart shows what sleeping costs without the warm workflow cache.
//
// The idle row shows what the sections before left; a fresh worker (`--only memory`) has no residue,
// so `--only throughput,memory` is the quick way to see one.
//
// Tried and dropped: starting the post workflows directly (50 at once) instead of through the API.
// The starts went out at 45/s, but the posts then fell asleep at ~7/s, slower than through the API
// (~15/s): the worker had to record and charge each itself, and 1,000 charges at once on accounts of
// ten posts each raced for the same ledger sequence numbers. Setup is FerretDB-bound either way.
import { accountsFor, createPosts, phaseAccounts, waitUntilAsleep } from './drive';
import { rssOf } from './child';
import { progress } from './progress';
import type { BenchStack } from './stack';

export interface MemorySample {
  sleeping: number;
  workerRssBytes: number;
  temporalRssBytes: number;
  label: string;
}

async function settledRss(stack: BenchStack): Promise<{ worker: number; temporal: number }> {
  // Memory is sampled over a couple of seconds once the work is done; the highest sample counts.
  let worker = 0;
  let temporal = 0;
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 300));
    worker = Math.max(worker, stack.worker().rss());
    temporal = Math.max(temporal, rssOf(stack.temporalPid()));
  }
  return { worker, temporal };
}

const SETTLE_MS = 45_000;

export async function measureSleepers(stack: BenchStack, sizes: number[], opts: { concurrency: number }): Promise<MemorySample[]> {
  const samples: MemorySample[] = [];
  const idle = await settledRss(stack);
  samples.push({ sleeping: 0, workerRssBytes: idle.worker, temporalRssBytes: idle.temporal, label: 'idle (after the runs above)' });
  const total = Math.max(0, ...sizes);
  const accounts = await phaseAccounts(stack, 'sleep', accountsFor(total), 20);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  let sleeping = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const add = size - sleeping;
    if (add <= 0) continue;
    const items = Array.from({ length: add }, (_, i) => ({
      account: accounts[(sleeping + i) % accounts.length]!,
      body: { text: `Sleeping until tomorrow, post ${sleeping + i}`, scheduledAt: tomorrow, targets: [{ kind: 'webhook' as const, url: stack.sink.hookUrl }] },
    }));
    const created = await createPosts(stack, items, { concurrency: opts.concurrency, label: `sleepers: create ${sleeping + 1}–${size}` });
    // At a few posts per second on a small machine, 10,000 sleepers take most of an hour to set up.
    const asleep = await waitUntilAsleep(
      stack,
      created.map((c) => c.postId),
      { label: `sleepers: ${size} asleep`, timeoutMs: 30 * 60_000 + add * 500 },
    );
    sleeping = sleeping + (asleep.reached ? add : asleep.done);
    const rss = await settledRss(stack);
    samples.push({
      sleeping,
      workerRssBytes: rss.worker,
      temporalRssBytes: rss.temporal,
      label: sleeping === size ? `${size} asleep` : `${sleeping} of ${size} asleep (gave up waiting)`,
    });
  }
  if (sleeping > 0) {
    // Right after the last step the heaps still hold the setup's garbage; V8's memory reducer returns
    // it once the worker has been idle a while (bench: 350 → ~275 MiB). Steady is what stays.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const settled = await settledRss(stack);
    samples.push({
      sleeping,
      workerRssBytes: settled.worker,
      temporalRssBytes: settled.temporal,
      label: `${sleeping} asleep, after ${SETTLE_MS / 1000} s idle`,
    });
    await stack.worker().stop();
    await stack.startWorker();
    const rss = await settledRss(stack);
    samples.push({ sleeping, workerRssBytes: rss.worker, temporalRssBytes: rss.temporal, label: `${sleeping} asleep, fresh worker` });
  }
  return samples;
}
