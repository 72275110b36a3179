// `/postforge write` carried out in the worker (the `botCommand` workflow's activity): the API
// acknowledged it after handing it off, so everything slow happens here, with the workspace's bot
// token and the command's response_url (valid for 30 minutes).
import type { RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import type { BotCommandInput } from '../../core/botCommands';
import type { Database } from '../../core/db';
import { recordCommand, relayCommand } from '../../services/botCommands';
import type { ActivityDeps } from '../../worker/activities/deps';
import { activityLog, serviceContextIn } from '../workerContext';
import { parseCommand } from './commands';
import { createInstallationStore } from './installationStore';
import { slackClient } from './notifier';
import { carryOutWrite } from './slashCommand';
import { slackInvocationId, type BoltClient, type SlackDeps } from './shared';

/** Slack keeps a response_url for 30 minutes; an older command can no longer answer its author. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export async function runSlackCommand(input: BotCommandInput, deps: ActivityDeps): Promise<void> {
  const command = input.payload as SlashCommand;
  const log = activityLog('slack');
  const parsed = parseCommand(command.text ?? '');
  if (!parsed.ok || parsed.command.kind !== 'write') return log(`dropping Slack command ${slackInvocationId(command)}: not a write`);
  if (Date.parse(input.receivedAt) < Date.now() - RESPONSE_URL_LIFETIME_MS)
    return log(`dropping Slack command ${slackInvocationId(command)}: too old to answer`);
  // The same store Bolt's authorize reads (an install, or SLACK_BOT_TOKEN in token mode).
  const installation = await createInstallationStore(deps.db, deps.config).fetchInstallation({
    teamId: command.team_id,
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  const token = installation.bot?.token;
  // Thrown, so retried: an install being written right now, or a database hiccup.
  if (!token) throw new Error(`no bot token for workspace ${command.team_id}`);
  const client = slackClient(token, deps.config.SLACK_API_URL) as unknown as BoltClient;
  await carryOutWrite({ ctx: serviceContextIn(deps), log }, command, parsed.command, client, respondTo(command.response_url));
}

function respondTo(url: string): RespondFn {
  return async (message: string | RespondArguments) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return res;
  };
}

/** A command an API from before the hand-off recorded in `slack_commands` and never carried out. */
interface LegacySlackCommandDoc {
  _id: string;
  command: SlashCommand;
  at: Date;
}

/**
 * Hands the records an older API left in `slack_commands` (acknowledged, never carried out) to the
 * worker like any new command, and removes them; nothing writes there any more. Answers how many.
 */
export async function handOffLegacySlackCommands(deps: SlackDeps): Promise<number> {
  const inbox = (db: Database) => db.db.collection<LegacySlackCommandDoc>('slack_commands');
  let done = 0;
  for (const doc of await inbox(deps.ctx.db).find({}).limit(100).toArray()) {
    if (doc.at.getTime() >= Date.now() - RESPONSE_URL_LIFETIME_MS) {
      // Recorded first, so a Temporal that is down leaves it to the relay's sweeper.
      relayCommand(deps.ctx, await recordCommand(deps.ctx, 'slack', slackInvocationId(doc.command), doc.command));
      done++;
    }
    await inbox(deps.ctx.db).deleteOne({ _id: doc._id });
  }
  return done;
}
