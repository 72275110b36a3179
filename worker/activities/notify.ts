// Telling the author what happened to their post, through the channel their front end chose.
// Front ends (Slack, Discord) register their own notifiers; API clients that poll choose none.
import { log } from '@temporalio/activity';
import { outboundRefusal, safeFetch } from '../../core/net/safeFetch';
import { signingSecretsFor } from '../../core/webhookSecrets';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signatureHeader } from '../publishers/webhook';
import type { Milestone, NotifyChannel } from '../../core/domain';
import type { ActivityDeps, Notification, Notifier } from './deps';

// The channel and milestone types are domain types (the services choose a channel when a post starts).
export type { Milestone, NotifyChannel };

export type { FrontEndNotifiers, Notification, Notifier } from './deps';

const notifyWebhook: Notifier = async (n, deps) => {
  if (n.channel.kind !== 'webhook') return;
  const body = JSON.stringify({ postId: n.postId, milestone: n.milestone, message: n.message });
  const ts = Math.floor(Date.now() / 1000);
  // Signed with the post's own account's secrets, like its deliveries: no tenant can sign for another.
  const post = await deps.db.posts.findOne({ _id: n.postId });
  if (!post) return;
  const secrets = await signingSecretsFor(deps.db, deps.config, post.accountId);
  const host = hostOf(n.channel.url);
  let res: Response;
  try {
    // The notify URL is the customer's: public addresses only, checked on the connection itself.
    res = await safeFetch(
      n.channel.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDEMPOTENCY_HEADER]: `notify:${n.postId}:${n.milestone}`,
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: signatureHeader(secrets, ts, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      },
      { allowPrivate: deps.config.ALLOW_PRIVATE_WEBHOOK_HOSTS },
    );
  } catch (err) {
    const refused = outboundRefusal(err);
    // Retrying cannot help, and a notification must never hold up the post: drop it, say why in the log.
    if (refused) return warn(`notify ${n.postId} ${n.milestone}: not sent to ${host}: its URL ${refused.message}`);
    throw err;
  }
  // Only the status is looked at; the body is never read back into anything a user sees.
  await res.body?.cancel();
  if (res.status >= 500) throw new Error(`notify webhook at ${host} answered ${res.status}`);
  // A redirect is not followed, and like any other 4xx it is the receiver's to fix: not retried.
  if (!res.ok) warn(`notify ${n.postId} ${n.milestone}: ${host} answered ${res.status}; not retried`);
};

/** The activity's logger inside an activity; plain stderr when called directly (tests, scripts). */
function warn(message: string): void {
  try {
    log.warn(message);
  } catch {
    console.warn(`[notify] ${message}`);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

export function notifyActivities(deps: ActivityDeps) {
  return {
    async notifyAuthor(n: Notification): Promise<void> {
      const kind = n.channel.kind;
      // `none`: nobody listens (API clients poll). A front end that is not wired in hears nothing.
      const notifier = kind === 'none' ? undefined : kind === 'webhook' ? notifyWebhook : deps.notifiers?.[kind];
      if (!notifier) return;
      await notifier(n, deps);
    },
  };
}
