// Heap settings for the SDK's workflow thread, which runs every workflow activation in a V8 isolate
// of its own. V8 reads its heap flags when an isolate is created, so flags set just before the
// thread starts apply to that isolate only: the main thread's (activities, the MongoDB driver,
// thousands of armed sends in a burst) was created with the process and keeps V8's defaults.
import v8 from 'node:v8';

export interface WorkflowThreadHeap {
  /** Old-space limit in MB (V8's --max-old-space-size); 0 leaves V8's default. */
  oldSpaceMb: number;
  /** Semi-space limit in MB (V8's --max-semi-space-size); 0 leaves V8's default (16 MB on 64-bit). */
  semiSpaceMb: number;
}

/** Semi-space for the workflow thread (V8's default grows to 16 MB; see WORKFLOW_THREAD_SEMI_SPACE in docs/DESIGN.md). */
export const WORKFLOW_THREAD_SEMI_SPACE_MB = 4;

/**
 * Old space for the workflow thread when WORKFLOW_THREAD_HEAP_MB is 0: 128 MB for the bundle and the
 * activations in progress, plus 1 MB per cached workflow (measured ~0.2 MB of heap each, at 500).
 */
export function workflowThreadHeapFor(c: { WORKFLOW_THREAD_HEAP_MB: number; WORKFLOW_CACHE_SIZE: number }): WorkflowThreadHeap {
  return { oldSpaceMb: c.WORKFLOW_THREAD_HEAP_MB || 128 + c.WORKFLOW_CACHE_SIZE, semiSpaceMb: WORKFLOW_THREAD_SEMI_SPACE_MB };
}

function heapFlags(heap: WorkflowThreadHeap): string[] {
  return [`--max-old-space-size=${heap.oldSpaceMb}`, `--max-semi-space-size=${heap.semiSpaceMb}`];
}

/**
 * Runs `create` (which starts the workflow thread and resolves once it answers) with the heap flags
 * set, and puts V8's defaults (0) back after, so no isolate created later inherits them.
 */
export async function withWorkflowThreadHeap<T>(heap: WorkflowThreadHeap, create: () => Promise<T>): Promise<T> {
  if (heap.oldSpaceMb === 0 && heap.semiSpaceMb === 0) return create();
  for (const flag of heapFlags(heap)) v8.setFlagsFromString(flag);
  try {
    return await create();
  } finally {
    for (const flag of heapFlags({ oldSpaceMb: 0, semiSpaceMb: 0 })) v8.setFlagsFromString(flag);
  }
}
