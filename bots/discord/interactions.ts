// The one handler layer both transports call: an interaction in, its answers out through the Turn.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import { isValidTimeZone } from '../../core/time';
import { UserError } from '../../services/errors';
import { nextFreeSlots } from '../../services/queueSlots';
import { queueChoice, suggestTimeZone, suggestWhen } from './autocomplete';
import { onButton, onModal } from './components';
import { discordAccountId } from './ids';
import { connectCommand, creditsCommand, dashboardCommand, postsCommand } from './info';
import { postCommand } from './postCommand';
import { queueCommand, seriesCommand, suggestSeries } from './seriesCommand';
import { subcommandOf } from './seriesOptions';
import { Turn, type DiscordDeps, type Respond } from './turn';

export type { DiscordDeps, Respond } from './turn';

export async function handleInteraction(deps: DiscordDeps, interaction: APIInteraction, respond: Respond): Promise<void> {
  const turn = new Turn(deps, interaction, respond);
  try {
    await dispatch(turn);
  } catch (err) {
    // Whatever went wrong, the asker gets an answer rather than "This interaction failed".
    if (interaction.type !== InteractionType.ApplicationCommandAutocomplete && interaction.type !== InteractionType.Ping) await turn.fail(err, 'answer that');
    else deps.log(`interaction ${interaction.type} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function dispatch(turn: Turn): Promise<void> {
  const i = turn.interaction;
  if (i.type === InteractionType.Ping) return turn.respond({ type: InteractionResponseType.Pong });
  const w = turn.who;
  if (i.type === InteractionType.ApplicationCommandAutocomplete) return autocomplete(turn, i);
  if (!w) return turn.ephemeral('PostForge works inside a server: each server has its own credits. Add the bot to a server and run the command there.');
  switch (i.type) {
    case InteractionType.ApplicationCommand: {
      if (i.data.type !== ApplicationCommandType.ChatInput) return turn.ephemeral('That command is not one of PostForge’s.');
      switch (i.data.name) {
        case 'post':
          return postCommand(turn, w, i as Parameters<typeof postCommand>[2]);
        case 'posts':
          return postsCommand(turn, w);
        case 'credits':
          return creditsCommand(turn, w);
        case 'connect':
          return connectCommand(turn, w);
        case 'dashboard':
          return dashboardCommand(turn, w);
        case 'series':
          return seriesCommand(turn, w, i as Parameters<typeof seriesCommand>[2]);
        case 'queue':
          return queueCommand(turn, w, i as Parameters<typeof queueCommand>[2]);
        default:
          return turn.ephemeral(`I don't know /${i.data.name}. PostForge has /post, /posts, /series, /queue, /credits, /connect and /dashboard.`);
      }
    }
    case InteractionType.MessageComponent:
      return onButton(turn, w, i);
    case InteractionType.ModalSubmit:
      return onModal(turn, w, i);
  }
}

/** The server's next free queue slot, if it has a posting schedule (autocomplete must stay quick). */
async function nextSlotOf(turn: Turn, guildId: string | undefined): Promise<{ at: Date; timeZone: string } | undefined> {
  if (!guildId) return undefined;
  try {
    const ctx = { ...turn.deps.ctx, now: () => turn.now };
    const { timeZone, slots } = await nextFreeSlots(ctx, discordAccountId(guildId), 1);
    return slots[0] ? { at: slots[0], timeZone } : undefined;
  } catch (err) {
    if (err instanceof UserError) return undefined; // no schedule: no queue choice
    throw err;
  }
}

async function autocomplete(turn: Turn, i: APIApplicationCommandAutocompleteInteraction): Promise<void> {
  const top = (i.data.options ?? []) as APIApplicationCommandInteractionDataOption[];
  // /series and /queue options sit one level down, under their subcommand.
  const options = (i.data.name === 'post' ? top : (subcommandOf(top)?.options ?? [])) as APIApplicationCommandInteractionDataOption[];
  const focused = options.find((o) => o.type === ApplicationCommandOptionType.String && 'focused' in o && o.focused);
  const text = (name: string) => {
    const o = options.find((x) => x.name === name);
    return o && 'value' in o && typeof o.value === 'string' ? o.value : undefined;
  };
  const typed = focused && 'value' in focused ? String(focused.value) : '';
  const zone = text('timezone');
  const choices =
    focused?.name === 'timezone'
      ? suggestTimeZone(typed)
      : focused?.name === 'series' && i.guild_id
        ? await suggestSeries(turn, discordAccountId(i.guild_id), typed)
        : focused?.name === 'when'
          ? [
              ...queueChoice(typed, await nextSlotOf(turn, i.guild_id)),
              ...suggestWhen(typed, {
                timeZone: zone && isValidTimeZone(zone) ? zone : turn.deps.ctx.config.DISCORD_TIMEZONE,
                now: turn.now,
                tone: text('tone'),
              }),
            ].slice(0, 25)
          : [];
  await turn.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
}
