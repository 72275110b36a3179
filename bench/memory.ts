// Worker resident memory with many posts asleep until tomorrow. Counts grow in steps (1,000, then
// up to 10,000), sampled once every post is charged and asleep. A last sample after a worker
// restart shows what sleeping costs without the warm workflow cache.
//
// This section measures the worker, so its posts skip the API (whose create path the throughput
// and lateness runs measure): each post workflow is started directly, with the input the API
// gives it, from many clients at once. The worker then does what it does for any post (record,
// charge, sleep); only the API's own work is left out, which set posts up at ~15/s here and made
// 10,000 sleepers the longest part of the whole bench.
import { randomUUID } from 'node:crypto';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { parseConfig } from '../core/config';
import type { PostLifecycleInput } from '../core/lifecycle';
import { postWorkflowId } from '../core/temporal';
import { accountsFor, phaseAccounts, pool, waitUntilAsleep, type Created } from './drive';
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

/** Starts one post workflow per item as the API would (its defaults: notify none, the configured lead). */
async function startSleepers(
  stack: BenchStack,
  items: Array<{ account: { accountId: string; memberId: string }; text: string; scheduledAt: string }>,
  opts: { concurrency: number; label: string },
): Promise<Array<Pick<Created, 'postId'>>> {
  const armLeadMs = parseConfig(stack.env.PUBLISH_ARM_LEAD ? { PUBLISH_ARM_LEAD: stack.env.PUBLISH_ARM_LEAD } : {}).PUBLISH_ARM_LEAD;
  const bar = progress(opts.label, items.length);
  let done = 0;
  const created = await pool(items, opts.concurrency, async ({ account, text, scheduledAt }) => {
    const postId = randomUUID().replace(/-/g, '').slice(0, 24);
    const input: PostLifecycleInput = {
      postId,
      accountId: account.accountId,
      authorId: account.memberId,
      source: 'api',
      text,
      tone: 'professional',
      language: 'en',
      targets: [{ kind: 'webhook', url: stack.sink.hookUrl }],
      scheduledAt,
      timeZone: 'UTC',
      requireApproval: false,
    };
    await stack.temporal.workflow.start('postLifecycle', {
      taskQueue: stack.taskQueue,
      workflowId: postWorkflowId(postId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ ...input, draftExpiryMs: 86_400_000, pauseLimitMs: 7 * 86_400_000, maxFreeRegenerations: 3, armLeadMs, notify: { kind: 'none' } }],
    });
    bar.update(++done);
    return { postId };
  });
  bar.end(`${created.length} started`);
  return created;
}

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
      text: `Sleeping until tomorrow, post ${sleeping + i}`,
      scheduledAt: tomorrow,
    }));
    const created = await startSleepers(stack, items, { concurrency: opts.concurrency, label: `sleepers: start ${sleeping + 1}–${size}` });
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
    await stack.worker().stop();
    await stack.startWorker();
    const rss = await settledRss(stack);
    samples.push({ sleeping, workerRssBytes: rss.worker, temporalRssBytes: rss.temporal, label: `${sleeping} asleep, fresh worker` });
  }
  return samples;
}
