// The edges' one durable step before acknowledging a bot command: one insert into the
// `bot_commands` inbox (in the inbox database, core/db.ts). After the ack, the process's relay
// starts the command's `botCommand` workflow (workflows/botCommand.ts), which carries it out in
// the worker, and deletes the entry, once the edge is quiet (services/relayQueue.ts); the
// sweeper starts whatever an edge that died right after its ack left behind. A workflow start as
// the hand-off itself was measured too (BENCHMARKS.md): with Temporal busy carrying out the
// previous commands, starts made the ack slow, and a busy Temporal must not slow the edges.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { botCommandWorkflowId, type BotCommandDoc, type BotEdge } from '../core/botCommands';
import { adoptLegacyInbox, type Database } from '../core/db';
import { inboxInserter } from '../core/groupCommit';
import type { ServiceContext } from './context';
import { EDGE_RELAY_MAX_HOLD_MS, EDGE_RELAY_QUIET_MS, eachLimited, relayQueue, type RelayQueue } from './relayQueue';

export type { BotCommandDoc } from '../core/botCommands';

interface Held {
  ctx: ServiceContext;
  entry: BotCommandDoc;
}

/** Workflow starts in flight at once in one relay pass. */
const STARTS_AT_ONCE = 8;

const relays = new WeakMap<Database, RelayQueue<Held>>();

/** This process's relay for a database: it starts what its edges acknowledged once they are quiet. */
function commandRelay(ctx: ServiceContext): RelayQueue<Held> {
  let relay = relays.get(ctx.db);
  if (!relay) {
    relay = relayQueue<Held>({ quietMs: EDGE_RELAY_QUIET_MS, maxHoldMs: EDGE_RELAY_MAX_HOLD_MS, run: (held) => startAll(held).then(() => undefined) });
    relays.set(ctx.db, relay);
  }
  return relay;
}

/**
 * Records a command before its ack (one group-committed insert into the inbox database); answers
 * the entry for relayCommand. The same invocation delivered again (Slack and Discord retry a slow
 * ack) finds its entry, or its workflow, and is not carried out twice.
 */
export async function recordCommand(ctx: ServiceContext, edge: BotEdge, invocationId: string, payload: unknown): Promise<BotCommandDoc> {
  commandRelay(ctx).ackArriving();
  const entry: BotCommandDoc = {
    _id: botCommandWorkflowId(edge, invocationId),
    input: { edge, payload, receivedAt: (ctx.now?.() ?? new Date()).toISOString() },
    at: new Date(),
  };
  await inboxInserter<BotCommandDoc>(ctx.db.inbox, 'bot_commands').insert(entry);
  return entry;
}

/**
 * After the ack: this process's relay starts the command's workflow once the edge has had no ack
 * for EDGE_RELAY_QUIET_MS (at most EDGE_RELAY_MAX_HOLD_MS from now), then deletes its entry; a
 * start that fails leaves the entry for the sweeper.
 */
export function relayCommand(ctx: ServiceContext, entry: BotCommandDoc): void {
  commandRelay(ctx).add(entry._id, { ctx, entry });
}

/** Starts the commands' workflows, then deletes the entries of those started (one write); how many. */
async function startAll(held: Held[]): Promise<number> {
  const started: string[] = [];
  await eachLimited(held, STARTS_AT_ONCE, async ({ ctx, entry }) => {
    try {
      await startCommand(ctx, entry);
      started.push(entry._id);
    } catch (err) {
      (ctx.log?.warn.bind(ctx.log) ?? console.warn)(`[bot-commands] ${entry._id} not started yet (${(err as Error).message}); the sweeper tries again`);
    }
  });
  const db = held[0]?.ctx.db;
  if (db && started.length) await db.botCommands.deleteMany({ _id: { $in: started } });
  return started.length;
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

/**
 * One pass over the inbox (at most `batch`, oldest first), leaving what this process's relay holds
 * to it; how many were started.
 */
export async function sweepBotCommands(ctx: ServiceContext, opts: { batch?: number } = {}): Promise<number> {
  const relay = commandRelay(ctx);
  const entries = (
    await ctx.db.botCommands
      .find({})
      .limit(opts.batch ?? 200)
      .toArray()
  ).filter((e) => !relay.holds(e._id));
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return startAll(entries.map((entry) => ({ ctx, entry })));
}

/**
 * Moves entries an older version left in the main database, sweeps at once, then every
 * `intervalMs` (one pass at a time); the stop function runs what the relay still holds.
 */
export function startBotCommandRelay(ctx: ServiceContext, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> = adoptLegacyInbox(ctx.db, 'bot_commands');
  const pass = () => {
    running = running.then(() => sweepBotCommands(ctx)).catch((err: unknown) => console.warn(`[bot-commands] sweep failed: ${(err as Error).message}`));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await commandRelay(ctx).flush();
  };
}
