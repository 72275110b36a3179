// One publisher per destination, built from configuration, behind a single dispatch.
import type { Config } from '../../core/config';
import type { Target } from '../../core/domain';
import {
  createDiscordPublisher,
  createLinkedInPublisher,
  createSlackPublisher,
  createWebhookPublisher,
  type PublishOutcome,
} from '../publishers';

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

export function createPublishers(c: Config): Publishers {
  const timeoutMs = c.PUBLISH_TIMEOUT;
  const linkedin = createLinkedInPublisher({ apiBaseUrl: c.LINKEDIN_API_URL, version: c.LINKEDIN_VERSION, timeoutMs });
  const slack = createSlackPublisher({ slackApiUrl: c.SLACK_API_URL, timeoutMs });
  const discord = createDiscordPublisher({ apiBaseUrl: c.DISCORD_API_URL, timeoutMs });
  const webhook = createWebhookPublisher({ timeoutMs });
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
