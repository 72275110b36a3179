// Block Kit for a post: the message that is the post's live status page. Pure functions of the
// post document, so the worker (notifier) and the bot (actions) render exactly the same thing.
import type { Button, KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { type Target } from '../../core/domain';
import { composeText } from '../../core/postRules';
import type { PostDoc } from '../../core/records';
import { escapeSlackText } from '../../core/slackText';

export const ACTIONS = {
  approve: 'pf_approve',
  edit: 'pf_edit',
  regenerate: 'pf_regenerate',
  schedule: 'pf_schedule',
  discard: 'pf_discard',
  cancel: 'pf_cancel',
  buy: 'pf_buy',
  openUrl: 'pf_open_url',
} as const;

export type PostView = Pick<
  PostDoc,
  '_id' | 'status' | 'topic' | 'content' | 'hashtags' | 'bestTime' | 'generator' | 'targets' | 'scheduledAt' | 'timeZone' | 'reason' | 'results'
>;

export interface RenderOptions {
  /** The credit of a failed or canceled post went back (from the ledger). */
  refunded?: boolean;
  now?: Date;
}

export interface Rendered {
  /** The notification and screen-reader text; Slack shows blocks instead. */
  text: string;
  blocks: KnownBlock[];
}

const SECTION_MAX = 2900;

/**
 * A time every viewer sees in their own Slack time zone; the fallback (old clients, notifications)
 * is in the author's zone and says which.
 */
export function slackTime(at: Date, fallbackZone: string): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${formatInZone(at, fallbackZone)}>`;
}

export function formatInZone(at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone });
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy, HH:mm ZZZZ') : at.toISOString();
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'linkedin':
      return 'LinkedIn';
    case 'slack':
      return `<#${t.channel}>`;
    case 'discord':
      return t.channelId ? `Discord channel ${t.channelId}` : 'a Discord webhook';
    case 'webhook':
      return `webhook ${new URL(t.url).host}`;
  }
}

const STATUS_LINE: Record<PostView['status'], string> = {
  generating: ':hourglass_flowing_sand: Drafting…',
  draft: ':memo: *Draft* — review it, then approve',
  scheduled: ':calendar: *Scheduled*',
  publishing: ':rocket: *Publishing…*',
  published: ':white_check_mark: *Published*',
  failed: ':x: *Failed*',
  canceled: ':no_entry_sign: *Canceled*',
};

const mrkdwn = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text, emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** Long drafts are split over several sections (Slack caps one at 3,000 characters). */
export function chunk(text: string, size = SECTION_MAX): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const cut = Math.max(rest.lastIndexOf('\n', size), rest.lastIndexOf(' ', size));
    const at = cut > size / 2 ? cut : size;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\s+/, '');
  }
  if (rest) out.push(rest);
  return out;
}

/** Slack mrkdwn would read `<`, `>` and `&` in a draft as markup. */
export const escapeMrkdwn = escapeSlackText;

export function renderPost(post: PostView, opts: RenderOptions = {}): Rendered {
  const now = opts.now ?? new Date();
  const when = post.scheduledAt.getTime() <= now.getTime() + 60_000 ? 'as soon as it is approved' : slackTime(post.scheduledAt, post.timeZone);
  const blocks: KnownBlock[] = [mrkdwn(`${STATUS_LINE[post.status]}${post.topic ? ` · _${escapeMrkdwn(post.topic)}_` : ''}`)];

  if (post.content) {
    for (const part of chunk(escapeMrkdwn(composeText(post.content, post.hashtags)))) blocks.push(mrkdwn(part));
  } else if (post.status === 'generating') {
    blocks.push(context('Claude is writing your draft. This message updates itself.'));
  }

  const facts: string[] = [`To: ${post.targets.map(describeTarget).join(', ')}`];
  if (post.status === 'draft') {
    facts.push(`When: ${when}`);
    if (post.bestTime) facts.push(`Suggested best time: ${escapeMrkdwn(post.bestTime)}`);
  } else if (post.status === 'scheduled') {
    facts.push(`Goes out: ${post.scheduledAt.getTime() <= now.getTime() ? 'now' : slackTime(post.scheduledAt, post.timeZone)}`);
  }
  if (post.generator?.kind === 'offline') facts.push('Written by the offline generator (no Claude key on this server)');
  blocks.push(context(facts.join(' · ')));

  const id = post._id;
  if (post.status === 'draft') {
    blocks.push({
      type: 'actions',
      block_id: `post:${id}`,
      elements: [
        button('Approve & schedule', ACTIONS.approve, id, 'primary'),
        button('Edit', ACTIONS.edit, id),
        ...(post.topic ? [button('Regenerate', ACTIONS.regenerate, id)] : []),
        button('Schedule…', ACTIONS.schedule, id),
        button('Discard', ACTIONS.discard, id, 'danger'),
      ],
    });
  } else if (post.status === 'scheduled') {
    blocks.push({
      type: 'actions',
      block_id: `post:${id}`,
      elements: [button('Edit', ACTIONS.edit, id), button('Reschedule…', ACTIONS.schedule, id), button('Cancel', ACTIONS.cancel, id, 'danger')],
    });
  }

  if (post.status === 'published' || post.status === 'publishing' || post.status === 'failed') {
    const lines = post.results.map((r) => {
      const where = describeTarget(r.target);
      if (r.outcome === 'published') return `:white_check_mark: ${where}${r.url ? ` — <${r.url}|view post>` : ''}`;
      if (r.outcome === 'unconfirmed') return `:grey_question: ${where} — unconfirmed: ${escapeMrkdwn(r.error ?? 'check it by hand')}`;
      if (r.outcome === 'paused') return `:double_vertical_bar: ${where} — paused: ${escapeMrkdwn(r.error ?? 'waiting for you to reconnect')}`;
      if (r.outcome === 'failed') return `:x: ${where} — ${escapeMrkdwn(r.error ?? 'failed')}`;
      return `:hourglass: ${where}`;
    });
    if (lines.length) blocks.push(mrkdwn(lines.join('\n')));
  }
  if ((post.status === 'failed' || post.status === 'canceled') && post.reason) {
    blocks.push(context(`Reason: ${escapeMrkdwn(post.reason)}`));
  }
  if (opts.refunded && (post.status === 'failed' || post.status === 'canceled')) blocks.push(context(':leftwards_arrow_with_hook: Your credit was refunded.'));

  return { text: summary(post, opts), blocks };
}

function summary(post: PostView, opts: RenderOptions): string {
  // The fallback text is read as markup (and notifies) just like the blocks.
  const what = post.topic ? `“${escapeSlackText(post.topic.slice(0, 80))}”` : 'your post';
  switch (post.status) {
    case 'generating':
      return `Drafting ${what}…`;
    case 'draft':
      return `Draft ready for ${what}: review and approve it.`;
    case 'scheduled':
      return `Scheduled ${what} for ${formatInZone(post.scheduledAt, post.timeZone)}.`;
    case 'publishing':
      return `Publishing ${what}…`;
    case 'published':
      return `Published ${what}.`;
    case 'failed':
      return `${what} failed: ${post.reason ?? 'unknown reason'}.${opts.refunded ? ' Credit refunded.' : ''}`;
    case 'canceled':
      return `${what} was canceled.${opts.refunded ? ' Credit refunded.' : ''}`;
  }
}

/** `/postforge list`: what is coming and what happened lately, each upcoming one cancelable. */
export function renderPostList(posts: PostView[], opts: { now?: Date } = {}): Rendered {
  if (posts.length === 0) {
    return { text: 'No posts yet.', blocks: [mrkdwn('No posts yet. Start one with `/postforge write <topic>`.')] };
  }
  const blocks: KnownBlock[] = [mrkdwn('*Your workspace’s posts*')];
  for (const p of posts) {
    const title = escapeMrkdwn((p.topic ?? p.content ?? '').replace(/\s+/g, ' ').slice(0, 90)) || '(no text yet)';
    const when = p.scheduledAt.getTime() > (opts.now ?? new Date()).getTime() ? slackTime(p.scheduledAt, p.timeZone) : formatInZone(p.scheduledAt, p.timeZone);
    const line = `${STATUS_LINE[p.status].replace(/\*/g, '')} · ${when}\n${title}\n_to ${p.targets.map(describeTarget).join(', ')}_`;
    blocks.push({ type: 'section', block_id: `list:${p._id}`, text: { type: 'mrkdwn', text: line } });
    if (p.status === 'scheduled' || p.status === 'draft') {
      blocks.push({
        type: 'actions',
        block_id: `listactions:${p._id}`,
        elements: [
          button('Reschedule…', ACTIONS.schedule, p._id),
          button(p.status === 'draft' ? 'Discard' : 'Cancel', p.status === 'draft' ? ACTIONS.discard : ACTIONS.cancel, p._id, 'danger'),
        ],
      });
    }
  }
  return { text: `${posts.length} post(s)`, blocks };
}

export interface CreditsView {
  balance: number;
  movements: { amount: number; reason: string; at: Date }[];
  packs: { id: string; name: string; credits: number; price: string }[];
}

export function renderCredits(v: CreditsView, zone = 'UTC'): Rendered {
  const blocks: KnownBlock[] = [mrkdwn(`*Credits: ${v.balance}* — one credit per post, refunded when a post cannot be delivered.`)];
  if (v.movements.length) {
    blocks.push(
      mrkdwn(
        v.movements
          .map((m) => `${m.amount > 0 ? '+' : ''}${m.amount} · ${escapeMrkdwn(m.reason)} · ${DateTime.fromJSDate(m.at, { zone }).toFormat('d LLL HH:mm')}`)
          .join('\n'),
      ),
    );
  }
  blocks.push({
    type: 'actions',
    block_id: 'buy',
    elements: v.packs.map((p) => button(`Buy ${p.name}: ${p.credits} credits for ${p.price}`.slice(0, 75), ACTIONS.buy, p.id)),
  });
  return { text: `Credits: ${v.balance}`, blocks };
}
