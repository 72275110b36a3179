// Which Discord server an account is, and whether a channel is one of that server's. A Discord
// account is `discord:<guild id>`. Discord has one bot token per application, shared by every server
// the bot is in, so the token alone does not keep one server's posts out of another's channels: the
// channel must be in the server's own channel list (GET /guilds/{guild.id}/channels).
import type { Config } from './config';

export const discordGuildOf = (accountId: string): string | undefined => /^discord:(\d{15,25})$/.exec(accountId)?.[1];

export type GuildChannelCheck = { ok: true } | { ok: false; reason: 'not_a_discord_account' | 'no_bot' | 'bot_not_in_guild' | 'not_in_guild' };

/**
 * Is `channelId` a channel of the account's server? A definite no is an answer; Discord not
 * answering (network, 429, 5xx) is thrown, so callers can try again rather than refuse.
 */
export async function channelOfAccount(
  config: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_BOT_TOKEN'>,
  accountId: string,
  channelId: string,
): Promise<GuildChannelCheck> {
  const guildId = discordGuildOf(accountId);
  if (!guildId) return { ok: false, reason: 'not_a_discord_account' };
  if (!config.DISCORD_BOT_TOKEN) return { ok: false, reason: 'no_bot' };
  const res = await fetch(`${config.DISCORD_API_URL.replace(/\/+$/, '')}/v10/guilds/${guildId}/channels`, {
    headers: { authorization: `Bot ${config.DISCORD_BOT_TOKEN}`, 'user-agent': 'DiscordBot (https://github.com/postforge/postforge, 0.1)' },
    signal: AbortSignal.timeout(10_000),
  });
  // 403 Missing Access / 404 Unknown Guild: the bot is not (or no longer) in that server.
  if (res.status === 403 || res.status === 404) return { ok: false, reason: 'bot_not_in_guild' };
  if (!res.ok) throw new Error(`Discord answered ${res.status} to GET /guilds/${guildId}/channels`);
  const channels = (await res.json()) as Array<{ id?: unknown }>;
  return Array.isArray(channels) && channels.some((c) => c.id === channelId) ? { ok: true } : { ok: false, reason: 'not_in_guild' };
}
