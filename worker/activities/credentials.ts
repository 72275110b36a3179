// Which credentials a publish uses: the author's LinkedIn connection, the account's own Slack
// workspace's bot, the Discord bot for a channel of the account's own server, or the account's
// webhook signing secrets. Checked here at publish time too (not only when the post was created), so
// a post created before the target rules (services/targets.ts) cannot publish into someone else's place.
import { encryptionKey, unseal } from '../../core/crypto';
import type { Target } from '../../core/domain';
import { channelOfAccount } from '../../core/discordGuilds';
import { slackBotToken } from '../../core/slackInstallations';
import { signingSecretsFor } from '../../core/webhookSecrets';
import { linkedInConnectionId } from '../../core/connectionIds';
import type { ActivityDeps } from './deps';

/** Nothing to publish with: a permanent failure for this target, in words that say how to fix it. */
export class CredentialsMissing extends Error {}
/** The connection exists but has expired: the post waits for the author to reconnect. */
export class CredentialsPaused extends Error {}

export async function resolveCredentials({ db, config }: ActivityDeps, input: { accountId: string; authorId: string; target: Target }): Promise<unknown> {
  const { target } = input;
  switch (target.kind) {
    case 'linkedin': {
      const conn = await db.connections.findOne({ _id: linkedInConnectionId(input.accountId, input.authorId) });
      if (!conn) {
        throw new CredentialsMissing(
          'LinkedIn is not connected for this author. Connect it (Slack: /postforge connect linkedin, Discord: /connect, or the extension popup) and schedule again.',
        );
      }
      if (conn.expiresAt.getTime() <= Date.now()) {
        throw new CredentialsPaused(`LinkedIn access expired on ${conn.expiresAt.toISOString()}. Reconnect LinkedIn and the post will go out.`);
      }
      return { accessToken: unseal(conn.token, encryptionKey(config.ENCRYPTION_KEY)), authorUrn: conn.externalUrn };
    }
    case 'slack': {
      // Only this account's own workspace token: with it, a channel of another workspace is simply not found.
      const botToken = await slackBotToken(db, config, input.accountId);
      if (!botToken) {
        throw new CredentialsMissing(
          `PostForge is not installed in a Slack workspace of this account, so it cannot post to Slack channel ${target.channel}. Install the PostForge Slack app in your workspace.`,
        );
      }
      return { botToken };
    }
    case 'discord': {
      if (target.webhookUrl) return {};
      if (!config.DISCORD_BOT_TOKEN)
        throw new CredentialsMissing('Posting to a Discord channel needs the bot: set DISCORD_BOT_TOKEN, or use a channel webhook URL.');
      const channelId = target.channelId ?? '';
      // Discord not answering is thrown as it is: the activity retries instead of failing the post.
      const check = await channelOfAccount(config, input.accountId, channelId);
      if (!check.ok) {
        throw new CredentialsMissing(
          check.reason === 'bot_not_in_guild'
            ? `The PostForge bot is not in this account's Discord server, so it cannot post to channel ${channelId}.`
            : `Discord channel ${channelId} is not a channel of this account's Discord server; PostForge posts only into the author's own server.`,
        );
      }
      return { botToken: config.DISCORD_BOT_TOKEN };
    }
    case 'webhook': {
      const [signingSecret, ...previousSecrets] = await signingSecretsFor(db, config, input.accountId);
      return { signingSecret, previousSecrets };
    }
  }
}
