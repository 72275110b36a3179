// Which post goes where: every publisher in turn, with a share made to fail for good (a webhook
// that answers 404, a Slack channel without the bot, a Discord channel the bot cannot see, a
// LinkedIn author who never connected), so refunds happen under fire too.
import type { Target } from '../../core/domain';
import { DISCORD_CHANNELS, DISCORD_WEBHOOK, SLACK_CHANNELS, type BenchStack } from '../stack';

export type Destination = 'linkedin' | 'slack' | 'discord-channel' | 'discord-webhook' | 'webhook';

export interface PlannedPost {
  i: number;
  /** A word only this post's text contains, to find it at the destination (no LinkedIn-reserved characters). */
  token: string;
  destination: Destination;
  /** Made to fail permanently: it must end failed and refunded, and never arrive. */
  doomed: boolean;
  /** Posts for LinkedIn go to connected authors, unless doomed. */
  account: 'connected' | 'unconnected';
  target: Target;
  dueAt: number;
}

const ORDER: Destination[] = ['linkedin', 'slack', 'discord-channel', 'discord-webhook', 'webhook'];

export function planPosts(
  stack: BenchStack,
  opts: { posts: number; firstDueAt: number; spreadMs: number; doomedEvery: number; runTag: string },
): PlannedPost[] {
  return Array.from({ length: opts.posts }, (_, i) => {
    const destination = ORDER[i % ORDER.length] as Destination;
    // Every doomedEvery-th post of each destination, offset so the doomed ones are spread out.
    const doomed = opts.doomedEvery > 0 && Math.floor(i / ORDER.length) % opts.doomedEvery === opts.doomedEvery - 1 && destination !== 'discord-webhook';
    const target: Target = (() => {
      switch (destination) {
        case 'linkedin':
          return { kind: 'linkedin' };
        case 'slack':
          return { kind: 'slack', channel: doomed ? SLACK_CHANNELS.notMember : SLACK_CHANNELS.ok };
        case 'discord-channel':
          return { kind: 'discord', channelId: doomed ? DISCORD_CHANNELS.noAccess : DISCORD_CHANNELS.ok };
        case 'discord-webhook':
          return { kind: 'discord', webhookUrl: stack.discord.webhookUrl(DISCORD_WEBHOOK.id) };
        case 'webhook':
          return { kind: 'webhook', url: doomed ? `${stack.sink.url}/gone` : stack.sink.hookUrl };
      }
    })();
    return {
      i,
      token: `ref${opts.runTag}n${i}e`,
      destination,
      doomed,
      account: destination === 'linkedin' && doomed ? 'unconnected' : 'connected',
      target,
      dueAt: opts.firstDueAt + Math.floor((i * opts.spreadMs) / Math.max(1, opts.posts)),
    };
  });
}
