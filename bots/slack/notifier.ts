// The workflow's milestones, shown in Slack: the post's message is re-rendered from the post
// document and updated in place (chat.update); with no message yet, one is posted and remembered
// on the post. Runs in the worker as the `notifyAuthor` activity for `{ kind: 'slack' }` channels.
import { postWasRefunded } from '../../services/credits';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import type { Notification } from '../../worker/activities/notify';
import type { ActivityDeps } from '../../worker/activities/deps';
import { renderPost } from './blocks';
import { slackBotToken } from './installationStore';

/** Slack errors worth another try; any other platform error (gone message, removed bot, revoked
 * token) is logged and dropped so a status message can never hold a post's workflow up. */
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export function slackClient(token: string, slackApiUrl: string): WebClient {
  // Retries are Temporal's (the activity's) or the user's (click again), not the client's.
  return new WebClient(token, { slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR, timeout: 10_000 });
}

export async function notifySlack(n: Notification, deps: ActivityDeps): Promise<void> {
  if (n.channel.kind !== 'slack') return;
  const { db, config } = deps;
  const post = await db.posts.findOne({ _id: n.postId });
  if (!post) return;
  const token = await slackBotToken(db, config, post.accountId);
  if (!token) return;
  const refunded = await postWasRefunded(db, n.postId);
  const { text, blocks } = renderPost(post, { refunded });
  const client = slackClient(token, config.SLACK_API_URL);
  const channel = post.slack?.channel ?? n.channel.channel;
  const ts = post.slack?.ts ?? n.channel.ts;
  try {
    if (ts) {
      await client.chat.update({ channel, ts, text, blocks });
      // Remembered on the post, so any later change (an edit, a list action) finds its message.
      if (!post.slack) await db.posts.updateOne({ _id: n.postId }, { $set: { slack: { teamId: n.channel.teamId, channel, ts } } });
      return;
    }
    const res = await client.chat.postMessage({ channel, text, blocks, unfurl_links: false });
    if (res.ok && res.ts) {
      await db.posts.updateOne({ _id: n.postId }, { $set: { slack: { teamId: n.channel.teamId, channel: res.channel ?? channel, ts: res.ts } } });
    }
  } catch (err) {
    const code = (err as { code?: string; data?: { error?: string } }).code;
    const slackError = (err as { data?: { error?: string } }).data?.error;
    if (code === ErrorCode.PlatformError && !TRANSIENT.has(slackError ?? '')) {
      console.warn(`[slack] could not show ${n.milestone} of post ${n.postId} in ${channel}: ${slackError}`);
      return;
    }
    throw err;
  }
}
