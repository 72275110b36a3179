// The BullMQ side of the baseline: the same scheduled-publish job a team would write instead of a
// workflow. At its due time a delayed job sends the post to the webhook (PostForge's own publisher,
// so the request, signature and Idempotency-Key are identical) and marks the post published in
// MongoDB. Runs as its own process so it can be killed like PostForge's worker.
import { Worker } from 'bullmq';
import { connectDatabase } from '../../core/db';
import { createWebhookPublisher } from '../../worker/publishers/webhook';

export const BULL_QUEUE = 'publish';

/** The options a team would reasonably pick; the bench's report prints them. */
export const BULL_WORKER_OPTIONS = {
  concurrency: 100,
  // Recovery knobs brought near PostForge's heartbeat timeout so the kill test compares like with like.
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 1,
};

export interface BullJobData {
  postId: string;
  url: string;
  text: string;
}

async function main(): Promise<void> {
  const port = Number(process.env.REDIS_PORT);
  const db = await connectDatabase(process.env.MONGODB_URI ?? '', { appName: 'bullmq-baseline' });
  const posts = db.db.collection<{ _id: string; status: string; publishedAt?: Date }>('bull_posts');
  // The baseline delivers to the bench's local sink.
  const publisher = createWebhookPublisher({ timeoutMs: 10_000, outbound: { allowPrivate: true } });
  const secret = process.env.WEBHOOK_SIGNING_SECRET ?? '';
  const worker = new Worker<BullJobData>(
    BULL_QUEUE,
    async (job) => {
      await publisher.publish({
        postId: job.data.postId,
        target: { kind: 'webhook', url: job.data.url },
        text: job.data.text,
        idempotencyKey: `bull:${job.data.postId}`,
        credentials: { signingSecret: secret },
      });
      await posts.updateOne({ _id: job.data.postId }, { $set: { status: 'published', publishedAt: new Date() } });
    },
    { connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null }, ...BULL_WORKER_OPTIONS },
  );
  await worker.waitUntilReady();
  console.log('[bullmq-worker] ready');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[bullmq-worker] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
