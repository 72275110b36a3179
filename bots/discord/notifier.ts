// The workflow's milestones, shown in Discord. While the interaction token is fresh (they live 15
// minutes; each click on the post brings a new one), the author's ephemeral reply is edited in
// place. After that, endings (published, failed, canceled, …) go by DM, or to the channel the post
// was started in when DMs are closed or DISCORD_LATE_UPDATES=channel. Runs in the worker as the
// `notifyAuthor` activity for `{ kind: 'discord' }` channels.
import { postWasRefunded } from '../../services/credits';
import { createHash } from 'node:crypto';
import type { DiscordLink } from '../../core/records';
import type { ActivityDeps } from '../../worker/activities/deps';
import type { Milestone, Notification } from '../../worker/activities/notify';
import { createDiscordApi, DiscordApiError, type DiscordApi } from './api';
import { isDuplicateKey } from '../../core/db';
import { discordAccountId } from './ids';
import { escapeMarkdown, renderPost } from './render';

/** A minute short of Discord's 15, so an edit never races the token's expiry. */
export const TOKEN_LIFETIME_MS = 14 * 60_000;

/** What is worth a DM once the reply can no longer be edited: how the post ended, or that it needs the author. */
const LATE: ReadonlySet<Milestone> = new Set(['published', 'failed', 'canceled', 'expired', 'unconfirmed', 'paused']);

// Cannot send messages to this user (closed DMs), Unknown User.
const DM_REFUSED = new Set([50007, 10013]);
// Unknown Webhook / Invalid Webhook Token / Unknown Message / Unknown interaction: the reply is gone.
const REPLY_GONE = new Set([10015, 50027, 10008, 10062]);

export async function notifyDiscord(n: Notification, deps: ActivityDeps): Promise<void> {
  if (n.channel.kind !== 'discord') return;
  const { db, config } = deps;
  const post = await db.posts.findOne({ _id: n.postId });
  if (!post) return;
  const first: DiscordLink = post.discord ?? {
    applicationId: n.channel.applicationId,
    interactionToken: n.channel.interactionToken,
    tokenIssuedAt: new Date(n.channel.tokenIssuedAt),
    guildId: n.channel.guildId,
    userId: n.channel.userId,
    ...(n.channel.channelId ? { channelId: n.channel.channelId } : {}),
  };
  // The freshest token wins: the command's own, or the last click's.
  const clicked = await db.discordTokens.findOne({ _id: n.postId });
  const link: DiscordLink =
    clicked && new Date(clicked.tokenIssuedAt).getTime() > new Date(first.tokenIssuedAt).getTime()
      ? { ...first, applicationId: clicked.applicationId, interactionToken: clicked.interactionToken, tokenIssuedAt: clicked.tokenIssuedAt }
      : first;
  const api = createDiscordApi(config, deps.fetch ? { fetch: deps.fetch } : {});
  const refunded = await postWasRefunded(db, n.postId);
  const now = new Date();
  try {
    if (now.getTime() - new Date(link.tokenIssuedAt).getTime() < TOKEN_LIFETIME_MS) {
      try {
        await api.editOriginal(link.applicationId, link.interactionToken, { ...renderPost(post, { refunded, now }), allowed_mentions: { parse: [] } });
        return;
      } catch (err) {
        if (!(err instanceof DiscordApiError && REPLY_GONE.has(err.code))) throw err;
      }
    }
    if (!LATE.has(n.milestone)) return;
    await sendLate(api, config.DISCORD_LATE_UPDATES, link, n, renderPost(post, { refunded, now, buttons: false }));
  } catch (err) {
    if (err instanceof DiscordApiError && !err.transient) {
      // A status message must never hold a post's workflow up: refusals are logged and dropped.
      console.warn(`[discord] could not show ${n.milestone} of post ${n.postId}: ${err.message}`);
      return;
    }
    throw err;
  }
}

async function sendLate(api: DiscordApi, mode: 'dm' | 'channel', link: DiscordLink, n: Notification, view: ReturnType<typeof renderPost>): Promise<void> {
  // The same nonce for the same milestone: a retried activity finds Discord's earlier message.
  const nonce = createHash('sha256').update(`${n.postId}:${n.milestone}`).digest('base64url').slice(0, 25);
  const body = { content: view.content, embeds: view.embeds, nonce, enforce_nonce: true };
  if (mode === 'dm') {
    try {
      const dm = await api.openDm(link.userId);
      await api.sendMessage(dm.id, { ...body, allowed_mentions: { parse: [] } });
      return;
    } catch (err) {
      if (!(err instanceof DiscordApiError && (DM_REFUSED.has(err.code) || err.status === 403)) || !link.channelId) throw err;
    }
  }
  if (!link.channelId) return;
  await api.sendMessage(link.channelId, { ...body, content: `<@${link.userId}> ${view.content}`, allowed_mentions: { users: [link.userId] } });
}

// Unknown Message: the channel message was deleted; Unknown Channel, Missing Access/Permissions: nothing to post to.
const MESSAGE_GONE = 10008;

/**
 * A post shown in a channel with the bot token: a series' draft at each occurrence, with Approve
 * and the other post buttons (there is no interaction, so no token to edit a reply with). The first
 * milestone posts the message (a nonce per post, so a retried activity finds it); the message id is
 * inserted under the post's id, and every later milestone edits that message in place.
 */
export async function notifyDiscordChannel(n: Notification, deps: ActivityDeps): Promise<void> {
  if (n.channel.kind !== 'discordChannel') return;
  const { db, config } = deps;
  const { guildId, channelId, userId } = n.channel;
  const post = await db.posts.findOne({ _id: n.postId });
  if (!post) return;
  // Only ever into the server whose post it is.
  if (post.accountId !== discordAccountId(guildId)) {
    console.warn(`[discord] post ${n.postId} is not server ${guildId}'s; its ${n.milestone} was not shown`);
    return;
  }
  const api = createDiscordApi(config, deps.fetch ? { fetch: deps.fetch } : {});
  const now = new Date();
  const view = renderPost(post, { refunded: await postWasRefunded(db, n.postId), now });
  const link = await db.seriesPosts.findOne({ _id: n.postId });
  const series = link ? await db.series.findOne({ _id: link.seriesId }) : null;
  const heading = series ? `**Series “${escapeMarkdown(series.name)}”** · ` : '';
  const content = `${heading}${view.content}`.slice(0, 1900);
  try {
    const shown = await db.discordMessages.findOne({ _id: n.postId });
    if (shown) {
      try {
        await api.editMessage(shown.channelId, shown.messageId, { content, embeds: view.embeds, components: view.components, allowed_mentions: { parse: [] } });
        return;
      } catch (err) {
        if (!(err instanceof DiscordApiError && err.code === MESSAGE_GONE)) throw err;
        await db.discordMessages.deleteOne({ _id: n.postId, messageId: shown.messageId });
      }
    }
    // The draft pings its series' creator; later messages ping nobody.
    const ping = post.status === 'draft';
    const nonce = createHash('sha256')
      .update(`${n.postId}:channel:${shown?.messageId ?? ''}`)
      .digest('base64url')
      .slice(0, 25);
    const sent = await api.sendMessage(channelId, {
      content: `${ping ? `<@${userId}> ` : ''}${content}`,
      embeds: view.embeds,
      components: view.components,
      nonce,
      enforce_nonce: true,
      allowed_mentions: ping ? { users: [userId] } : { parse: [] },
    });
    try {
      await db.discordMessages.insertOne({ _id: n.postId, channelId, messageId: sent.id, at: now });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  } catch (err) {
    if (err instanceof DiscordApiError && !err.transient) {
      console.warn(`[discord] could not show ${n.milestone} of post ${n.postId} in channel ${channelId}: ${err.message}`);
      return;
    }
    throw err;
  }
}
