// The BullMQ baseline, side by side with PostForge on the same machine, sink and MongoDB: the
// producer (what an API would do: write the post, add a delayed job) and its measurements.
import { Queue } from 'bullmq';
import { arrivals } from '../arrivals';
import { startNodeChild, type NodeChild } from '../child';
import { pool } from '../drive';
import { latenessOf, waitForArrivals, type LatenessResult } from '../lateness';
import { progress } from '../progress';
import type { BenchStack } from '../stack';
import { BULL_QUEUE, type BullJobData } from './bullWorker';
import { startRedis } from './redis';

export interface Bull {
  queue: Queue<BullJobData>;
  redisPort: number;
  worker(): NodeChild;
  startWorker(): Promise<NodeChild>;
  /** Adds one post due at `dueAt` (ms); answers its idempotency key at the sink. */
  schedule(postId: string, text: string, dueAt: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startBull(stack: BenchStack): Promise<Bull> {
  const redis = await startRedis(stack.dir);
  const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const queue = new Queue<BullJobData>(BULL_QUEUE, { connection });
  await queue.waitUntilReady();
  const posts = stack.db.db.collection<{ _id: string; text: string; scheduledAt: Date; status: string }>('bull_posts');
  const env = { ...stack.env, REDIS_PORT: String(redis.port) };
  let worker: NodeChild | undefined;
  const startWorker = async () => {
    worker = startNodeChild('bullmq-worker', 'bench/baseline/bullWorker.ts', env);
    await worker.waitForLine(/\[bullmq-worker\] ready/, 60_000);
    return worker;
  };
  await startWorker();
  return {
    queue,
    redisPort: redis.port,
    worker: () => worker as NodeChild,
    startWorker,
    async schedule(postId, text, dueAt) {
      await posts.insertOne({ _id: postId, text, scheduledAt: new Date(dueAt), status: 'scheduled' });
      await queue.add('publish', { postId, url: stack.sink.hookUrl, text }, { jobId: postId, delay: Math.max(0, dueAt - Date.now()) });
      return `bull:${postId}`;
    },
    async stop() {
      await worker?.stop();
      await queue.close();
      await redis.stop();
    },
  };
}

export async function bullLateness(stack: BenchStack, bull: Bull, n: number, leadMs: number): Promise<LatenessResult> {
  const dueAt = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
  const bar = progress(`BullMQ lateness ${n}: schedule`, n);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(await bull.schedule(`late${n}-${dueAt}-${i}`, `Lateness run ${n}, post ${i}`, dueAt));
    bar.update(i + 1);
  }
  const ready = Date.now();
  bar.end(
    ready <= dueAt
      ? `all scheduled ${((dueAt - ready) / 1000).toFixed(1)}s before due`
      : `scheduling overran the due time by ${((ready - dueAt) / 1000).toFixed(1)}s`,
  );
  const first = await waitForArrivals(keys, () => arrivals(stack.sink, 'bull:').first, {
    label: `BullMQ lateness ${n}: published`,
    timeoutMs: Math.max(0, dueAt - Date.now()) + 10 * 60_000,
  });
  return latenessOf(keys, first, dueAt, 'BullMQ (Redis)', ready > dueAt ? 'scheduling overran the due time' : undefined);
}

/** Create → published for `n` posts due now, the same shape as the lifecycle throughput run. */
export async function bullThroughput(stack: BenchStack, bull: Bull, n: number, concurrency: number): Promise<{ seconds: number; perSec: number }> {
  const t0 = Date.now();
  const keys = await pool(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    (i) => bull.schedule(`tput-${t0}-${i}`, `Throughput post ${i}`, Date.now()),
  );
  const first = await waitForArrivals(keys, () => arrivals(stack.sink, 'bull:').first, { label: 'BullMQ throughput', timeoutMs: 10 * 60_000 });
  const last = Math.max(...keys.map((k) => first.get(k) ?? Number.NaN));
  const seconds = (last - t0) / 1000;
  return { seconds, perSec: n / seconds };
}
