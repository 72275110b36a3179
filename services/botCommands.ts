// The edges' one durable step before acknowledging a bot command: start its `botCommand` workflow
// (workflows/botCommand.ts), which carries it out in the worker. Measured against an inbox insert
// that a relay delivers (test/measure/handoff.measure.ts, BENCHMARKS.md): the start had the better
// tail at 10 and 50 concurrent, and it needs no relay or sweeper of its own.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { botCommandWorkflowId, type BotCommandInput, type BotEdge } from '../core/botCommands';
import type { ServiceContext } from './context';

/**
 * Hands a command to the worker, once per invocation: the same invocation delivered again (Slack
 * and Discord retry a slow ack) finds its workflow started and is not carried out twice.
 */
export async function handOffCommand(ctx: ServiceContext, edge: BotEdge, invocationId: string, payload: unknown): Promise<void> {
  const input: BotCommandInput = { edge, payload, receivedAt: (ctx.now?.() ?? new Date()).toISOString() };
  try {
    await ctx.temporal.workflow.start('botCommand', {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: botCommandWorkflowId(edge, invocationId),
      args: [input],
      // Also once the first run has finished: a late repeat must not post a second preview.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
