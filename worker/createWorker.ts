// Builds the PostForge worker: workflows from workflows/, activities from their dependencies.
// Shared by the worker process and the tests so both run the very same thing.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { withWorkflowThreadHeap, workflowThreadHeapFor } from './workflowThreadHeap';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxCachedWorkflows?: number;
}

/**
 * Workflows kept in memory between tasks. The SDK sizes the cache from the heap limit (about 2,300
 * on a 4 GB heap) at roughly 1.4 MB of RSS each, measured by `npm run bench`: 10,000 posts asleep
 * until tomorrow filled it and took the worker past 3 GB. A post's history is a few dozen events,
 * so replaying one that was evicted is cheap; the cache only has to hold the posts being worked on.
 * At 500 the worker grew from 1,042 to 1,623 MiB between 500 and 1,500 sleepers; at 100 it stayed
 * near flat (447 -> 467 MiB) with the same 500-post lateness (p99 1.01 vs 0.96 s). The config's
 * WORKFLOW_CACHE_SIZE (same default) overrides it.
 */
export const WORKFLOW_CACHE_SIZE = 100;

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const cacheSize = opts.maxCachedWorkflows ?? opts.deps.config.WORKFLOW_CACHE_SIZE;
  const heap = workflowThreadHeapFor({ WORKFLOW_THREAD_HEAP_MB: opts.deps.config.WORKFLOW_THREAD_HEAP_MB, WORKFLOW_CACHE_SIZE: cacheSize });
  return withWorkflowThreadHeap(heap, () =>
    Worker.create({
      connection: opts.connection,
      namespace: opts.namespace,
      taskQueue: opts.taskQueue,
      activities: createActivities(opts.deps),
      maxCachedWorkflows: cacheSize,
      // Armed posts hold a slot each through their lead, idle on a timer (docs/DESIGN.md, arming).
      maxConcurrentActivityTaskExecutions: opts.deps.config.WORKER_ACTIVITY_SLOTS,
      ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
    }),
  );
}
