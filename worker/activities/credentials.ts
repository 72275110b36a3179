// Which credentials a publish uses: the author's LinkedIn connection, the workspace's Slack bot,
// the Discord bot, or the webhook signing secret.
import { encryptionKey, unseal } from '../../core/crypto';
import type { Target } from '../../core/domain';
import { slackBotToken } from '../../bots/slack/installationStore';
import type { ActivityDeps } from './deps';

/** Nothing to publish with: a permanent failure for this target, in words that say how to fix it. */
export class CredentialsMissing extends Error {}
/** The connection exists but has expired: the post waits for the author to reconnect. */
export class CredentialsPaused extends Error {}

export const linkedInConnectionId = (accountId: string, memberId: string): string => `linkedin:${accountId}:${memberId}`;

export async function resolveCredentials(
  { db, config }: ActivityDeps,
  input: { accountId: string; authorId: string; target: Target },
): Promise<unknown> {
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
      const botToken = await slackBotToken(db, config, input.accountId);
      if (!botToken) throw new CredentialsMissing('Slack is not installed for this account: install the PostForge Slack app or set SLACK_BOT_TOKEN.');
      return { botToken };
    }
    case 'discord': {
      if (target.webhookUrl) return {};
      if (!config.DISCORD_BOT_TOKEN) throw new CredentialsMissing('Posting to a Discord channel needs the bot: set DISCORD_BOT_TOKEN, or use a channel webhook URL.');
      return { botToken: config.DISCORD_BOT_TOKEN };
    }
    case 'webhook':
      return { signingSecret: config.WEBHOOK_SIGNING_SECRET };
  }
}
