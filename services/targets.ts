// Targets belong to the caller: a post may publish only to Slack channels of the account's own
// workspace and Discord channels of the account's own server. Checked when a post is created (before
// anything is charged) and again by the worker when it publishes (worker/activities/credentials.ts),
// so a post created before this rule existed cannot slip through either.
import type { Target } from '../core/domain';
import { channelOfAccount, type GuildChannelCheck } from '../core/discordGuilds';
import { slackBotToken, slackCall } from '../core/slackInstallations';
import type { ServiceContext } from './context';
import { UserError } from './errors';

export async function assertTargetsBelongTo(ctx: ServiceContext, accountId: string, targets: readonly Target[]): Promise<void> {
  for (const [i, target] of targets.entries()) {
    const problem = await targetProblem(ctx, accountId, target);
    if (problem) throw new UserError(problem, 403, [{ path: `targets.${i}`, message: problem }]);
  }
}

/** Why this account may not publish to `target`, or undefined when it may. */
async function targetProblem(ctx: ServiceContext, accountId: string, target: Target): Promise<string | undefined> {
  switch (target.kind) {
    case 'slack':
      return slackProblem(ctx, accountId, target.channel);
    case 'discord':
      // A channel webhook URL carries its own credential; only channels reached through the bot are checked.
      return target.channelId ? discordProblem(await channelOfAccount(ctx.config, accountId, target.channelId), target.channelId) : undefined;
    case 'linkedin':
    case 'webhook':
      // LinkedIn is always the author's own connection; a webhook is any URL the caller chooses.
      return undefined;
  }
}

async function slackProblem(ctx: ServiceContext, accountId: string, channel: string): Promise<string | undefined> {
  if (!accountId.startsWith('slack:')) {
    return `Slack channel ${channel} is not in a Slack workspace of this account. Post to Slack from your workspace (/postforge write, or an API key made there with /postforge key).`;
  }
  const token = await slackBotToken(ctx.db, ctx.config, accountId);
  if (!token) return `PostForge is not installed in this account's Slack workspace, so it cannot post to Slack channel ${channel}. Install the app first.`;
  const answer = await slackCall(ctx.config, token, 'conversations.info', { channel });
  if (answer.ok === true) return undefined;
  if (answer.error === 'channel_not_found') {
    return `Slack channel ${channel} is not a channel of this account's workspace (or is private without PostForge in it). Use a channel of your own workspace.`;
  }
  if (['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive'].includes(String(answer.error))) {
    throw new UserError(
      `Slack no longer accepts PostForge's token for this workspace (${String(answer.error)}): reinstall the PostForge Slack app, then try again. Nothing was charged.`,
      409,
    );
  }
  // Slack busy or down: not a refusal, so no 4xx; the edge answers that nothing was charged.
  throw new Error(`Slack could not check channel ${channel}: ${String(answer.error)}`);
}

function discordProblem(check: GuildChannelCheck, channelId: string): string | undefined {
  if (check.ok) return undefined;
  switch (check.reason) {
    case 'not_a_discord_account':
      return `Discord channel ${channelId} is not in a Discord server of this account. Post to Discord channels with /post in that server, or use a channel webhook URL.`;
    case 'no_bot':
      return `Posting to Discord channel ${channelId} needs the PostForge bot, which is not set up on this server (DISCORD_BOT_TOKEN). Use a channel webhook URL instead.`;
    case 'bot_not_in_guild':
      return `The PostForge bot is not in this account's Discord server, so it cannot post to channel ${channelId}. Add the bot to the server first.`;
    case 'not_in_guild':
      return `Discord channel ${channelId} is not a channel of this account's Discord server. Use a channel of your own server.`;
  }
}
