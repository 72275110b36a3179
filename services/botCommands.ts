// The edges' one durable step before acknowledging a bot command: one insert into the
// `bot_commands` inbox. After the ack, a relay starts the command's `botCommand` workflow
// (workflows/botCommand.ts), which carries it out in the worker, and deletes the entry; the
// sweeper starts whatever an edge that died right after its ack left behind. A workflow start as
// the hand-off itself was measured too (BENCHMARKS.md): with Temporal busy carrying out the
// previous commands, starts made the ack slow, and a busy Temporal must not slow the edges.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { botCommandWorkflowId, type BotCommandInput, type BotEdge } from '../core/botCommands';
import type { ServiceContext } from './context';
import { inboxInserter } from '../core/groupCommit';

export interface BotCommandDoc {
  /** The workflow id it gets: `command-<edge>-<invocation>`, so a repeat of one invocation is one entry. */
  _id: string;
  input: BotCommandInput;
  at: Date;
}

const inbox = (ctx: ServiceContext) => ctx.db.db.collection<BotCommandDoc>('bot_commands');

/**
 * Records a command before its ack; answers the entry's id for relayCommand. The same invocation
 * delivered again (Slack and Discord retry a slow ack) finds its entry, or its workflow, and is
 * not carried out twice.
 */
export async function recordCommand(ctx: ServiceContext, edge: BotEdge, invocationId: string, payload: unknown): Promise<string> {
  const _id = botCommandWorkflowId(edge, invocationId);
  const input: BotCommandInput = { edge, payload, receivedAt: (ctx.now?.() ?? new Date()).toISOString() };
  await inboxInserter<BotCommandDoc>(ctx.db.db, 'bot_commands').insert({ _id, input, at: new Date() });
  return _id;
}

/** Starts one recorded command's workflow and removes the entry; false (entry kept for the sweeper) if Temporal did not take it. */
export async function relayCommand(ctx: ServiceContext, id: string): Promise<boolean> {
  const entry = await inbox(ctx).findOne({ _id: id });
  if (!entry) return true;
  try {
    await startCommand(ctx, entry);
  } catch (err) {
    (ctx.log?.warn.bind(ctx.log) ?? console.warn)(`[bot-commands] ${id} not started yet (${(err as Error).message}); the sweeper tries again`);
    return false;
  }
  await inbox(ctx).deleteOne({ _id: id });
  return true;
}

async function startCommand(ctx: ServiceContext, entry: BotCommandDoc): Promise<void> {
  try {
    await ctx.temporal.workflow.start('botCommand', {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: entry._id,
      args: [entry.input],
      // Also once the first run has finished: a late repeat must not post a second preview.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** One pass over the inbox (at most `batch`, oldest first); how many were started. */
export async function sweepBotCommands(ctx: ServiceContext, opts: { batch?: number } = {}): Promise<number> {
  const entries = await inbox(ctx)
    .find({})
    .limit(opts.batch ?? 200)
    .toArray();
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  let started = 0;
  for (const entry of entries) if (await relayCommand(ctx, entry._id)) started++;
  return started;
}

/** Sweeps at once, then every `intervalMs` (one pass at a time); returns the stop function. */
export function startBotCommandRelay(ctx: ServiceContext, intervalMs: number): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = running.then(() => sweepBotCommands(ctx)).catch((err: unknown) => console.warn(`[bot-commands] sweep failed: ${(err as Error).message}`));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
