// The App Home tab: the workspace's credits, what is coming up, and this member's connections.
import type { App } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import { balanceOf } from '../../services/credits';
import { connectionStatus } from '../../services/connections';
import { listPosts } from '../../services/posts';
import { describeTarget, escapeMrkdwn, slackTime, type PostView } from './blocks';
import { EXAMPLES } from './commands';
import { ensureWorkspace, who, type SlackDeps } from './shared';

export interface HomeData {
  credits: number;
  upcoming: PostView[];
  linkedin: { connected: boolean; name?: string | undefined; expiresAt?: string | undefined; expired?: boolean | undefined; expiresSoon?: boolean | undefined };
}

export function homeView(d: HomeData): View {
  const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'PostForge' } },
    section(`*Credits:* ${d.credits} — one per post, refunded when a post cannot be delivered. \`${EXAMPLES.credits}\` to buy more.`),
    { type: 'divider' },
    section('*Upcoming posts*'),
  ];
  if (d.upcoming.length === 0) blocks.push(section(`Nothing scheduled. Start with \`${EXAMPLES.write}\``));
  for (const p of d.upcoming) {
    const title = escapeMrkdwn((p.topic ?? p.content ?? '').replace(/\s+/g, ' ').slice(0, 90));
    blocks.push(
      section(
        `${p.status === 'draft' ? ':memo: draft' : ':calendar:'} ${slackTime(p.scheduledAt, p.timeZone)} · ${title}\n_to ${p.targets.map(describeTarget).join(', ')}_`,
      ),
    );
  }
  blocks.push({ type: 'divider' }, section('*Connections*'));
  const li = d.linkedin;
  blocks.push(
    section(
      li.connected
        ? `:white_check_mark: LinkedIn${li.name ? ` as ${escapeMrkdwn(li.name)}` : ''}${li.expiresSoon && li.expiresAt ? ` — expires ${li.expiresAt.slice(0, 10)}, reconnect with \`${EXAMPLES.connect}\`` : ''}`
        : li.expired
          ? `:warning: LinkedIn expired. Reconnect with \`${EXAMPLES.connect}\`; paused posts then go out.`
          : `:heavy_minus_sign: LinkedIn not connected. \`${EXAMPLES.connect}\``,
    ),
  );
  return { type: 'home', blocks };
}

export function registerHome(app: App, deps: SlackDeps): void {
  const { ctx } = deps;
  app.event('app_home_opened', async ({ event, body, client, context }) => {
    if (event.tab && event.tab !== 'home') return;
    const teamId = context.teamId ?? (body as { team_id?: string }).team_id ?? '';
    const w = who(teamId, event.user);
    try {
      await ensureWorkspace(ctx, w);
      const [credits, upcoming, conn] = await Promise.all([
        balanceOf(ctx.db, w.accountId),
        listPosts(ctx, w.accountId, { status: ['draft', 'scheduled'], limit: 10, offset: 0 }),
        connectionStatus(ctx, w),
      ]);
      const posts = upcoming.posts.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
      await client.views.publish({ user_id: event.user, view: homeView({ credits, upcoming: posts, linkedin: conn.linkedin }) });
    } catch (err) {
      deps.log(`App Home for ${w.memberId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
