// Transport 2: a discord.js gateway connection (nothing to expose to the internet, the default for
// self-hosters). Interactions arrive as INTERACTION_CREATE dispatches and go, raw, to the same
// handlers as HTTP ones; the first answer goes back through the interaction callback endpoint.
import { Client, Events, Options } from 'discord.js';
import type { APIInteraction } from 'discord-api-types/v10';
import type { Config } from '../../core/config';
import { handleInteraction, type DiscordDeps } from './interactions';

export interface DiscordGateway {
  client: Client;
  /** Handlers still running (a post being started): awaited on stop so nothing is cut off. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDiscordGateway(deps: DiscordDeps, c: Pick<Config, 'DISCORD_BOT_TOKEN' | 'DISCORD_API_URL'>): Promise<DiscordGateway> {
  if (!c.DISCORD_BOT_TOKEN) throw new Error('The Discord gateway needs DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token).');
  // Interactions reach every bot whatever its intents, and the handlers read the raw packet, so the
  // client asks for no intent (no GUILD_CREATE for every server it is in) and caches nothing but itself.
  const client = new Client({
    intents: [],
    rest: { api: c.DISCORD_API_URL },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ThreadManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user?.id },
    }),
  });
  const running = new Set<Promise<void>>();

  client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
    if (packet.t !== 'INTERACTION_CREATE' || !packet.d) return;
    const interaction = packet.d as APIInteraction;
    const work = handleInteraction(deps, interaction, (response) => deps.api.callback(interaction.id, interaction.token, response)).finally(() =>
      running.delete(work),
    );
    running.add(work);
  });
  client.on(Events.Error, (err) => deps.log(`gateway error: ${err.message}`));
  client.on(Events.ShardDisconnect, (_event, shard) => deps.log(`gateway shard ${shard} disconnected; discord.js reconnects`));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(c.DISCORD_BOT_TOKEN);
  await ready;
  const idle = async () => {
    while (running.size) await Promise.allSettled([...running]);
  };
  return {
    client,
    idle,
    async stop() {
      await client.destroy();
      await idle();
    },
  };
}
