// /posts, /credits, /connect and the Buy buttons: read-mostly answers, ephemeral to the asker.
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { balanceOf, listTransactions } from '../../services/credits';
import { formatPrice } from '../../core/packs';
import type { PostDoc } from '../../core/records';
import { linkedInConnectUrl } from '../../services/connections';
import { issueDashboardLink } from '../../services/dashboardSessions';
import { listPosts } from '../../services/posts';
import { createCheckout } from '../../services/purchases';
import { isManager, managerPermission, permissionLabel } from './permissions';
import { linkButton, renderCredits, renderPostList, row } from './render';
import { actorOf, type Turn, type Who } from './turn';

export async function upcomingAndRecent(turn: Turn, w: Who, without?: string): Promise<PostDoc[]> {
  const { ctx } = turn.deps;
  const [upcoming, recent] = await Promise.all([
    listPosts(ctx, w.accountId, { status: ['draft', 'scheduled'], limit: 10, offset: 0 }),
    listPosts(ctx, w.accountId, { status: ['publishing', 'published', 'failed', 'canceled'], limit: 5, offset: 0 }),
  ]);
  // A post just canceled may not be written as canceled yet: leave it out of the upcoming ones.
  const open = upcoming.posts.filter((p) => p._id !== without).sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
  return [...open, ...recent.posts];
}

export async function postsCommand(turn: Turn, w: Who): Promise<void> {
  await turn.ensureGuild(w);
  const view = renderPostList(await upcomingAndRecent(turn, w), turn.now);
  await turn.ephemeral(view.content || '\u200b', { embeds: view.embeds, components: view.components });
}

export async function creditsCommand(turn: Turn, w: Who): Promise<void> {
  const { ctx } = turn.deps;
  await turn.ensureGuild(w);
  const [balance, movements] = await Promise.all([balanceOf(ctx.db, w.accountId), listTransactions(ctx.db, w.accountId, { limit: 5 })]);
  const needed = managerPermission(ctx.config);
  const view = renderCredits({
    balance,
    movements: movements.map((m) => ({ amount: m.amount, reason: m.reason, at: m.at })),
    packs: ctx.config.CREDIT_PACKS.map((p) => ({ id: p.id, name: p.name, credits: p.credits, price: formatPrice(p) })),
    canBuy: isManager(ctx.config, w.permissions),
    ...(needed ? { buyPermission: permissionLabel(needed.name) } : {}),
  });
  await turn.ephemeral(view.content || '\u200b', { embeds: view.embeds, components: view.components });
}

export async function connectCommand(turn: Turn, w: Who): Promise<void> {
  await turn.ensureGuild(w);
  const url = await linkedInConnectUrl(turn.deps.ctx, w);
  await turn.ephemeral('Connect your LinkedIn so PostForge can post as you. The link works once, for 15 minutes.', {
    components: [row(linkButton('Connect LinkedIn', url))],
  });
}

/** A one-time dashboard link for this member; a link button, so Discord does not fetch it for an embed. */
export async function dashboardCommand(turn: Turn, w: Who): Promise<void> {
  const { ctx } = turn.deps;
  await turn.ensureGuild(w);
  const actor = actorOf(ctx, w);
  const link = await issueDashboardLink(ctx, { ...actor, timeZone: ctx.config.DISCORD_TIMEZONE });
  await turn.ephemeral(
    `Your PostForge dashboard: calendar, posts and credits${actor.isAdmin ? ' (as a manager you can change everyone’s posts)' : ''}. The link works once, for 5 minutes.`,
    { components: [row(linkButton('Open dashboard', link.url))] },
  );
}

export async function buyButton(turn: Turn, w: Who, packId: string): Promise<void> {
  const { ctx } = turn.deps;
  if (!isManager(ctx.config, w.permissions)) {
    return turn.ephemeral(
      `Buying credits needs the **${permissionLabel(managerPermission(ctx.config)?.name ?? 'ManageGuild')}** permission. Ask someone who has it.`,
    );
  }
  // Stripe can take a moment; the click is acknowledged first.
  await turn.deferEphemeral();
  try {
    await turn.ensureGuild(w);
    const { url, pack } = await createCheckout(ctx, w, packId);
    await turn.editReply({
      content: `**${pack.name}**: ${pack.credits} credits for this server. The checkout link is good for an hour.`,
      components: [row({ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open Checkout', url })],
    });
  } catch (err) {
    await turn.fail(err, 'start the checkout');
  }
}
