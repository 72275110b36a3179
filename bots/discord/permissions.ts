// Who may do what. Members: Discord computes their permissions in the channel and sends them with
// every interaction. The bot in another channel: computed here from the channel's overwrites, the
// guild's roles and the bot's own roles, the way Discord documents it, so a post is never scheduled
// into a channel where it would fail to publish hours later.
import { PermissionFlagsBits, type APIOverwrite, type APIRole } from 'discord-api-types/v10';
import type { Config } from '../../core/config';
import type { DiscordApi } from './api';
import { DiscordApiError } from './api';

const ALL = (1n << 64n) - 1n;

/** The permission a member needs to buy credits or publish to a channel; undefined = anyone may. */
export function managerPermission(c: Pick<Config, 'DISCORD_MANAGER_PERMISSION'>): { name: string; bit: bigint } | undefined {
  const name = c.DISCORD_MANAGER_PERMISSION;
  if (name === 'none') return undefined;
  const bit = (PermissionFlagsBits as Record<string, bigint>)[name];
  return bit === undefined ? undefined : { name, bit };
}

export const has = (permissions: bigint, bit: bigint): boolean => (permissions & PermissionFlagsBits.Administrator) !== 0n || (permissions & bit) === bit;

export function isManager(c: Pick<Config, 'DISCORD_MANAGER_PERMISSION'>, memberPermissions: string | undefined): boolean {
  const needed = managerPermission(c);
  if (!needed) return true;
  return has(BigInt(memberPermissions ?? '0'), needed.bit);
}

/**
 * May this member change other members' posts (which go out under their authors' names)? The
 * configured manager permission; when that is "none" (anyone may publish and buy), still Manage
 * Server, so opening up publishing never lets every member edit or cancel everyone's posts.
 */
export function isGuildAdmin(c: Pick<Config, 'DISCORD_MANAGER_PERMISSION'>, memberPermissions: string | undefined): boolean {
  const bit = managerPermission(c)?.bit ?? PermissionFlagsBits.ManageGuild;
  return has(BigInt(memberPermissions ?? '0'), bit);
}

/** The name of the permission isGuildAdmin asks for. */
export const adminPermissionName = (c: Pick<Config, 'DISCORD_MANAGER_PERMISSION'>): string => managerPermission(c)?.name ?? 'ManageGuild';

/** "Manage Server" for ManageGuild: how Discord's settings name it, so people can find it. */
export function permissionLabel(name: string): string {
  const special: Record<string, string> = { ManageGuild: 'Manage Server', Administrator: 'Administrator' };
  return special[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** Discord's algorithm: base from @everyone and the member's roles, then @everyone, role and member overwrites. */
export function channelPermissions(args: {
  guildId: string;
  userId: string;
  memberRoles: string[];
  roles: Pick<APIRole, 'id' | 'permissions'>[];
  overwrites: APIOverwrite[];
}): bigint {
  const roleBits = new Map(args.roles.map((r) => [r.id, BigInt(r.permissions)]));
  let perms = roleBits.get(args.guildId) ?? 0n;
  for (const id of args.memberRoles) perms |= roleBits.get(id) ?? 0n;
  if ((perms & PermissionFlagsBits.Administrator) !== 0n) return ALL;
  const everyone = args.overwrites.find((o) => o.id === args.guildId);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of args.overwrites) {
    if (o.type === 0 && args.memberRoles.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = args.overwrites.find((o) => o.type === 1 && o.id === args.userId);
  if (own) perms = (perms & ~BigInt(own.deny)) | BigInt(own.allow);
  return perms;
}

const SEND = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

export type ChannelCheck = { ok: true; name?: string } | { ok: false; error: string };

/**
 * Can the bot post in `channelId`? The invoking channel's answer comes with the interaction
 * (`app_permissions`); any other channel is looked up.
 */
export async function botCanSend(
  api: DiscordApi,
  args: { guildId: string; channelId: string; invokedIn?: string; appPermissions?: string },
): Promise<ChannelCheck> {
  const mention = `<#${args.channelId}>`;
  const fix = `Give PostForge **View Channel** and **Send Messages** in ${mention} (channel settings → Permissions), or pick another channel. Nothing was charged.`;
  if (args.channelId === args.invokedIn && args.appPermissions !== undefined) {
    return has(BigInt(args.appPermissions), SEND) ? { ok: true } : { ok: false, error: `PostForge can't post in ${mention}. ${fix}` };
  }
  try {
    const channel = await api.getChannel(args.channelId);
    if (!('guild_id' in channel) || channel.guild_id !== args.guildId) {
      return { ok: false, error: `${mention} is not a channel of this server. Pick one with the channel option. Nothing was charged.` };
    }
    const [roles, me] = await Promise.all([api.guildRoles(args.guildId), api.me()]);
    const member = await api.guildMember(args.guildId, me.id);
    const perms = channelPermissions({
      guildId: args.guildId,
      userId: me.id,
      memberRoles: member.roles,
      roles,
      overwrites: 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [],
    });
    return has(perms, SEND)
      ? { ok: true, ...(channel.name ? { name: channel.name } : {}) }
      : { ok: false, error: `PostForge can't post in ${mention}. ${fix}` };
  } catch (err) {
    if (err instanceof DiscordApiError && (err.code === 50001 || err.code === 10003 || err.status === 403 || err.status === 404)) {
      return { ok: false, error: `PostForge can't see ${mention}. ${fix}` };
    }
    throw err;
  }
}
