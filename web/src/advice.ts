// What to do about a failed post, from its reason: the words the workflow wrote for the author.
import type { Post } from './api';

export interface Advice {
  text: string;
  action?: 'credits' | 'compose';
}

export function adviceFor(post: Pick<Post, 'status' | 'reason' | 'results'>): Advice | undefined {
  if (post.status !== 'failed') return undefined;
  const why = `${post.reason ?? ''} ${post.results.map((r) => r.error ?? '').join(' ')}`.toLowerCase();
  // "no_credits" is the workflow's code; a mere "credit was refunded" is not about buying.
  if (/no_credits|no credits|out of credits|402/.test(why))
    return { text: 'The account ran out of credits. Buy a pack, then write the post again.', action: 'credits' };
  if (/linkedin|token|reconnect|revoked|expired|unauthori[sz]ed|401/.test(why)) {
    return {
      text: 'The connection was refused. Reconnect LinkedIn (/postforge connect linkedin in Slack, /connect in Discord, or the extension), then write the post again.',
      action: 'compose',
    };
  }
  if (/channel|permission|missing access|not_in_channel|403/.test(why)) {
    return { text: 'PostForge may not post in that channel. Invite the bot or give it permission there, then write the post again.', action: 'compose' };
  }
  return { text: 'The credit for this post was refunded. Check the reason above, then write the post again.', action: 'compose' };
}
