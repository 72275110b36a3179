// `/postforge write` commands acknowledged but not yet carried out. The slash command handler
// records one before its ack and removes it when done; an API that dies in between leaves it
// here, and the sweeper (on start and every SLACK_COMMAND_SWEEP) carries it out with the
// workspace's bot token, answering through the command's response_url (valid for 30 minutes).
import type { RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Database } from '../../core/db';
import { isDuplicateKey } from '../../core/db';
import type { ServiceContext } from '../../services/context';
import { parseCommand } from './commands';
import { createInstallationStore } from './installationStore';
import type { BoltClient, SlackDeps } from './shared';

export interface SlackCommandDoc {
  /** `<team>:<trigger_id>`: Slack's id of this one invocation. */
  _id: string;
  command: SlashCommand;
  at: Date;
}

const inbox = (db: Database) => db.db.collection<SlackCommandDoc>('slack_commands');

/** Records a command before it is acknowledged; a repeat of the same invocation is one record. */
export async function recordCommand(db: Database, command: SlashCommand): Promise<string> {
  const _id = `${command.team_id}:${command.trigger_id}`;
  await inbox(db)
    .insertOne({ _id, command, at: new Date() })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  return _id;
}

export async function commandDone(db: Database, id: string): Promise<void> {
  await inbox(db).deleteOne({ _id: id });
}

/** Slack keeps a response_url for 30 minutes; an older command can no longer answer its author. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/**
 * Carries out every recorded command older than `olderThanMs` (younger ones are still being
 * handled by the process that acknowledged them). Answers how many were carried out.
 */
export async function sweepSlackCommands(
  deps: SlackDeps,
  opts: { olderThanMs?: number; clientFor?: (teamId: string) => Promise<BoltClient> } = {},
): Promise<number> {
  const { ctx } = deps;
  const clientFor = opts.clientFor ?? botClientFor(ctx);
  const cutoff = Date.now() - (opts.olderThanMs ?? 60_000);
  // Imported here: the handler module imports this one for recordCommand.
  const { carryOutWrite } = await import('./slashCommand');
  let done = 0;
  for (const doc of await inbox(ctx.db).find({}).limit(100).toArray()) {
    if (doc.at.getTime() > cutoff) continue;
    const parsed = parseCommand(doc.command.text ?? '');
    if (doc.at.getTime() < Date.now() - RESPONSE_URL_LIFETIME_MS || !parsed.ok || parsed.command.kind !== 'write') {
      deps.log(`dropping Slack command ${doc._id}: ${parsed.ok ? 'too old to answer' : 'unreadable'}`);
      await commandDone(ctx.db, doc._id);
      continue;
    }
    try {
      await carryOutWrite(deps, doc.command, parsed.command, await clientFor(doc.command.team_id), respondTo(doc.command.response_url));
      await commandDone(ctx.db, doc._id);
      done++;
    } catch (err) {
      deps.log(`Slack command ${doc._id} not carried out yet: ${(err as Error).message}`);
    }
  }
  return done;
}

/** Sweeps once now and then every `intervalMs`; returns the stop function. */
export function startSlackCommandSweeper(deps: SlackDeps, intervalMs: number): () => void {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = running.then(() => sweepSlackCommands(deps)).catch((err: unknown) => deps.log(`command sweep failed: ${(err as Error).message}`));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function botClientFor(ctx: ServiceContext): (teamId: string) => Promise<BoltClient> {
  const store = createInstallationStore(ctx.db, ctx.config);
  return async (teamId) => {
    const inst = await store.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    if (!inst.bot?.token) throw new Error(`no bot token for workspace ${teamId}`);
    return new WebClient(inst.bot.token, { slackApiUrl: ctx.config.SLACK_API_URL, retryConfig: { retries: 0 } }) as unknown as BoltClient;
  };
}

function respondTo(url: string): RespondFn {
  return async (message: string | RespondArguments) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return res;
  };
}
