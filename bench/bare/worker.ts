// The bare workflow's worker, a process of its own like PostForge's worker, with the SDK's default
// options (as PostForge's worker has them), on its own task queue of the same server.
import { NativeConnection, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BARE_TASK_QUEUE ?? 'bench-bare',
    workflowsPath: require.resolve('./workflows'),
    activities: { noop: async () => undefined },
  });
  console.log('[bare-worker] ready');
  await worker.run();
}

main().catch((err) => {
  console.error(`[bare-worker] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
