// One publisher per destination, built from configuration, behind a single dispatch.
import type { Config } from '../../core/config';
import type { Target } from '../../core/domain';
import { createDiscordPublisher, createLinkedInPublisher, createSlackPublisher, createWebhookPublisher, type PublishOutcome } from '../publishers';

export interface PublishCall {
  postId: string;
  text: string;
  idempotencyKey: string;
  credentials: unknown;
  signal?: AbortSignal;
}

export interface Publishers {
  publish(target: Target, call: PublishCall): Promise<PublishOutcome>;
}

export function createPublishers(c: Config, log: { warn(message: string): void } = console): Publishers {
  const timeoutMs = c.PUBLISH_TIMEOUT;
  const linkedin = createLinkedInPublisher({
    apiBaseUrl: c.LINKEDIN_API_URL,
    version: c.LINKEDIN_VERSION,
    fallbackVersion: c.LINKEDIN_FALLBACK_VERSION,
    timeoutMs,
    warn: (message) => log.warn(message),
  });
  const slack = createSlackPublisher({ slackApiUrl: c.SLACK_API_URL, timeoutMs });
  // Webhook and Discord webhook URLs are customer input: public addresses only, unless self-hosted.
  const outbound = { allowPrivate: c.ALLOW_PRIVATE_WEBHOOK_HOSTS };
  const discord = createDiscordPublisher({ apiBaseUrl: c.DISCORD_API_URL, timeoutMs, outbound });
  const webhook = createWebhookPublisher({ timeoutMs, outbound });
  // Credentials were resolved for this very target kind (credentials.ts), hence the casts.
  return {
    publish(target, { postId, text, idempotencyKey, credentials, signal }) {
      const base = { postId, text, idempotencyKey, ...(signal ? { signal } : {}) };
      switch (target.kind) {
        case 'linkedin':
          return linkedin.publish({ ...base, target, credentials: credentials as { accessToken: string; authorUrn: string } });
        case 'slack':
          return slack.publish({ ...base, target, credentials: credentials as { botToken: string } });
        case 'discord':
          return discord.publish({ ...base, target, credentials: credentials as { botToken?: string } });
        case 'webhook':
          return webhook.publish({ ...base, target, credentials: credentials as { signingSecret: string; previousSecrets?: string[] } });
      }
    },
  };
}
