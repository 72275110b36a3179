// Discord commands carried out in the worker (the `botCommand` workflow's activity): the edge
// handed the interaction off and deferred its reply; everything after that happens here, through
// the interaction's token (valid 15 minutes), so an edge that died after its answer loses nothing.
import type { BotCommandInput } from '../../core/botCommands';
import type { ActivityDeps } from '../../worker/activities/deps';
import { activityLog, serviceContextIn } from '../workerContext';
import { createDiscordApi } from './api';
import { carryOutPost, type DiscordCommandPayload } from './postCommand';
import { Turn } from './turn';

/** Discord accepts edits and follow-ups with an interaction token for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

export async function runDiscordCommand(input: BotCommandInput, deps: ActivityDeps): Promise<void> {
  const { interaction, applicationId } = input.payload as DiscordCommandPayload;
  const log = activityLog('discord');
  const receivedAt = new Date(input.receivedAt);
  if (receivedAt.getTime() < Date.now() - TOKEN_LIFETIME_MS) return log(`dropping /post ${interaction.id}: its token has expired`);
  const discordDeps = { ctx: serviceContextIn(deps), api: createDiscordApi(deps.config), log };
  const turn = Turn.afterDeferredReply(discordDeps, { ...interaction, application_id: interaction.application_id || applicationId }, receivedAt);
  const w = turn.who;
  if (!w) return log(`dropping /post ${interaction.id}: not in a server`);
  try {
    await carryOutPost(turn, w, interaction);
  } catch (err) {
    await turn.fail(err, 'start the post');
  }
}
