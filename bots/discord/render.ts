// What a post looks like in Discord: one embed and its buttons, pure functions of the post
// document, so the bot (answers to clicks) and the worker (the notifier) render exactly the same.
// Times are Discord timestamps (<t:…>), which every viewer sees in their own time zone.
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { type Target } from '../../core/domain';
import { charLimitFor, composeText } from '../../core/postRules';
import type { PostDoc } from '../../core/records';
import { joinParts, splitForInputs } from '../../core/textParts';
import { formatInZone } from '../../core/time/format';
import { buyButtonId, modalId, postButtonId, type Scope } from './ids';

export type PostView = Pick<
  PostDoc,
  '_id' | 'status' | 'topic' | 'content' | 'hashtags' | 'bestTime' | 'generator' | 'targets' | 'scheduledAt' | 'timeZone' | 'reason' | 'results'
>;

export interface MessageView {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const EMBED_DESCRIPTION_MAX = 4096;
const LABEL_MAX = 80;

const STATUS: Record<PostView['status'], { title: string; color: number }> = {
  generating: { title: '⏳ Drafting…', color: 0x99aab5 },
  draft: { title: '📝 Draft — review it, then approve', color: 0x5865f2 },
  scheduled: { title: '📅 Scheduled', color: 0xfee75c },
  publishing: { title: '🚀 Publishing…', color: 0xeb459e },
  published: { title: '✅ Published', color: 0x57f287 },
  failed: { title: '❌ Failed', color: 0xed4245 },
  canceled: { title: '🚫 Canceled', color: 0x4f545c },
};

/** `<t:…:F>` shows a full date and time in the viewer's zone; `:R` adds "in 2 hours". */
export const discordTime = (at: Date, style: 'F' | 'f' | 'R' = 'f'): string => `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'linkedin':
      return 'LinkedIn';
    case 'discord':
      return t.channelId ? `<#${t.channelId}>` : 'a Discord webhook';
    case 'slack':
      return `Slack channel ${t.channel}`;
    case 'webhook':
      return `webhook ${new URL(t.url).host}`;
  }
}

const button = (label: string, customId: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponent => ({
  type: ComponentType.Button,
  style: style as ButtonStyle.Secondary,
  label: label.length > LABEL_MAX ? `${label.slice(0, LABEL_MAX - 1)}…` : label,
  custom_id: customId,
});

export const linkButton = (label: string, url: string): APIButtonComponent => ({ type: ComponentType.Button, style: ButtonStyle.Link, label, url });

export const row = (...components: APIComponentInMessageActionRow[]): APIActionRowComponent<APIComponentInMessageActionRow> => ({
  type: ComponentType.ActionRow,
  components,
});

/** Discord would read `*`, `_`, `~`, `|`, `>` and backticks in a draft as markdown. */
export const escapeMarkdown = (s: string): string => s.replace(/([\\*_~`|>])/g, '\\$1');

export function renderPost(post: PostView, opts: { refunded?: boolean; now?: Date; buttons?: boolean } = {}): MessageView {
  const now = opts.now ?? new Date();
  const status = STATUS[post.status];
  const lines: string[] = [];
  if (post.content) lines.push(escapeMarkdown(composeText(post.content, post.hashtags)));
  else if (post.status === 'generating') lines.push('_Claude is writing your draft. This message updates itself._');

  const fields: NonNullable<APIEmbed['fields']> = [{ name: 'To', value: post.targets.map(describeTarget).join(', '), inline: true }];
  const ahead = post.scheduledAt.getTime() > now.getTime() + 60_000;
  if (post.status === 'draft') {
    fields.push({
      name: 'When',
      value: ahead ? `${discordTime(post.scheduledAt, 'F')} (${discordTime(post.scheduledAt, 'R')})` : 'as soon as you approve',
      inline: true,
    });
    if (post.bestTime) fields.push({ name: 'Suggested best time', value: escapeMarkdown(post.bestTime), inline: true });
  } else if (post.status === 'scheduled') {
    fields.push({ name: 'Goes out', value: ahead ? `${discordTime(post.scheduledAt, 'F')} (${discordTime(post.scheduledAt, 'R')})` : 'now', inline: true });
  }
  if (['publishing', 'published', 'failed'].includes(post.status) && post.results.length) {
    fields.push({
      name: 'Results',
      value: post.results
        .map((r) => {
          const where = describeTarget(r.target);
          if (r.outcome === 'published') return `✅ ${where}${r.url ? ` — [view post](${r.url})` : ''}`;
          if (r.outcome === 'unconfirmed') return `❔ ${where} — unconfirmed: ${escapeMarkdown(r.error ?? 'check it by hand')}`;
          if (r.outcome === 'paused') return `⏸️ ${where} — paused: ${escapeMarkdown(r.error ?? 'waiting for you to reconnect')}`;
          if (r.outcome === 'failed') return `❌ ${where} — ${escapeMarkdown(r.error ?? 'failed')}`;
          return `⏳ ${where}`;
        })
        .join('\n')
        .slice(0, 1024),
    });
  }
  if ((post.status === 'failed' || post.status === 'canceled') && post.reason)
    fields.push({ name: 'Reason', value: escapeMarkdown(post.reason).slice(0, 1024) });
  if (opts.refunded && (post.status === 'failed' || post.status === 'canceled')) fields.push({ name: 'Credit', value: '↩️ Your credit was refunded.' });

  const embed: APIEmbed = {
    title: status.title,
    color: status.color,
    ...(lines.length ? { description: lines.join('\n').slice(0, EMBED_DESCRIPTION_MAX) } : {}),
    fields,
    ...(post.topic ? { author: { name: `Topic: ${post.topic}`.slice(0, 256) } } : {}),
    ...(post.generator?.kind === 'offline' ? { footer: { text: 'Written by the offline generator (no Claude key on this server)' } } : {}),
  };
  return { content: summary(post, opts), embeds: [embed], components: opts.buttons === false ? [] : postButtons(post, 'post') };
}

function postButtons(post: PostView, scope: Scope): MessageView['components'] {
  const id = post._id;
  if (post.status === 'draft') {
    return [
      row(
        button('Approve & schedule', postButtonId(scope, 'approve', id), ButtonStyle.Success),
        button('Edit', postButtonId(scope, 'edit', id)),
        ...(post.topic ? [button('Regenerate', postButtonId(scope, 'regen', id))] : []),
        button('Schedule…', postButtonId(scope, 'sched', id)),
        button('Discard', postButtonId(scope, 'discard', id), ButtonStyle.Danger),
      ),
    ];
  }
  if (post.status === 'scheduled') {
    return [
      row(
        button('Edit', postButtonId(scope, 'edit', id)),
        button('Reschedule…', postButtonId(scope, 'sched', id)),
        button('Cancel', postButtonId(scope, 'cancel', id), ButtonStyle.Danger),
      ),
    ];
  }
  return [];
}

/** The plain line above the embed: what notifications and screen readers say. */
function summary(post: PostView, opts: { refunded?: boolean }): string {
  const what = post.topic ? `“${post.topic.slice(0, 80)}”` : 'Your post';
  const refunded = opts.refunded ? ' Your credit was refunded.' : '';
  switch (post.status) {
    case 'generating':
      return `Drafting ${what}…`;
    case 'draft':
      return `Draft ready for ${what}: review it, then approve.`;
    case 'scheduled':
      return `Scheduled ${what} for ${discordTime(post.scheduledAt, 'F')}.`;
    case 'publishing':
      return `Publishing ${what}…`;
    case 'published':
      return `Published ${what}.`;
    case 'failed':
      return `${what} failed: ${post.reason ?? 'unknown reason'}.${refunded}`;
    case 'canceled':
      return `${what} was canceled.${refunded}`;
  }
}

/** /posts: what is coming and what happened lately; the first five upcoming get their own buttons. */
export function renderPostList(posts: PostView[], now = new Date()): MessageView {
  if (posts.length === 0) return { content: 'No posts yet. Start one with `/post topic:…`.', embeds: [], components: [] };
  const lines = posts.map((p, i) => {
    const title = escapeMarkdown((p.topic ?? p.content ?? '').replace(/\s+/g, ' ').slice(0, 90)) || '(no text yet)';
    const when = p.scheduledAt.getTime() > now.getTime() ? `${discordTime(p.scheduledAt)} (${discordTime(p.scheduledAt, 'R')})` : discordTime(p.scheduledAt);
    return `**${i + 1}.** ${STATUS[p.status].title.split(' — ')[0]} · ${when}\n${title}\n-# to ${p.targets.map(describeTarget).join(', ')}`;
  });
  const open = posts
    .map((p, i) => ({ p, n: i + 1 }))
    .filter(({ p }) => p.status === 'scheduled' || p.status === 'draft')
    .slice(0, 5);
  return {
    content: '',
    embeds: [{ title: "This server's posts", color: 0x5865f2, description: lines.join('\n\n').slice(0, EMBED_DESCRIPTION_MAX) }],
    components: open.map(({ p, n }) =>
      row(
        button(`${n}. Reschedule…`, postButtonId('list', 'sched', p._id)),
        p.status === 'draft'
          ? button(`${n}. Discard`, postButtonId('list', 'discard', p._id), ButtonStyle.Danger)
          : button(`${n}. Cancel`, postButtonId('list', 'cancel', p._id), ButtonStyle.Danger),
      ),
    ),
  };
}

export interface CreditsView {
  balance: number;
  movements: { amount: number; reason: string; at: Date }[];
  packs: { id: string; name: string; credits: number; price: string }[];
  /** Members without the manager permission see the packs but are told who can buy. */
  canBuy: boolean;
  buyPermission?: string;
}

export function renderCredits(v: CreditsView): MessageView {
  const lines = v.movements.map((m) => `\`${m.amount > 0 ? '+' : ''}${m.amount}\` ${escapeMarkdown(m.reason)} · ${discordTime(m.at)}`);
  const packs = v.packs.slice(0, 5);
  return {
    content: '',
    embeds: [
      {
        title: `Credits: ${v.balance}`,
        color: 0x57f287,
        description: ['One credit per post, refunded when a post cannot be delivered.', ...(lines.length ? ['', '**Latest**', ...lines] : [])].join('\n'),
        fields: packs.map((p) => ({ name: p.name, value: `${p.credits} credits for ${p.price}`, inline: true })),
        ...(v.canBuy ? {} : { footer: { text: `Buying credits needs the ${v.buyPermission ?? 'Manage Server'} permission.` } }),
      },
    ],
    components: v.canBuy && packs.length ? [row(...packs.map((p) => button(`Buy ${p.name} (${p.price})`, buyButtonId(p.id), ButtonStyle.Primary)))] : [],
  };
}

/**
 * A text input in a Label component (type 18), as Discord's Component Reference now documents modals;
 * text inputs in action rows, and their own `label`, are deprecated.
 */
const input = (
  customId: string,
  label: string,
  style: TextInputStyle,
  extra: { value?: string; placeholder?: string; required?: boolean; max_length?: number; min_length?: number; description?: string },
): APILabelComponent => {
  const { description, ...text } = extra;
  return {
    type: ComponentType.Label,
    label,
    ...(description ? { description } : {}),
    component: { type: ComponentType.TextInput, custom_id: customId, style, ...text },
  };
};

/** Discord's text input holds at most 4,000 characters, as value and as input. */
export const DISCORD_INPUT_MAX = 4000;

/** What joins a part to the one before it, in the part's custom_id (the modal's own id has no room). */
const JOIN_CODES: Record<string, string> = { '\n\n': 'p', '\n': 'n', ' ': 's', '': 'x' };

/** `content` for the first part; `content_<n>:<join>` after it, so the submission says how to join them back. */
export const contentInputId = (i: number, join: string): string => (i === 0 ? 'content' : `content_${i + 1}:${JOIN_CODES[join] ?? 'p'}`);

/** The text back from a submission's content inputs, in order, joined as they were cut. */
export function contentFromFields(fields: Map<string, string>): string {
  const parts: Array<{ n: number; join: string; value: string }> = [];
  const joinOf = Object.fromEntries(Object.entries(JOIN_CODES).map(([join, code]) => [code, join]));
  for (const [id, value] of fields) {
    if (id === 'content') parts.push({ n: 1, join: '', value });
    const m = /^content_(\d+):([pnsx])$/.exec(id);
    if (m) parts.push({ n: Number(m[1]), join: joinOf[m[2] ?? 'p'] ?? '\n\n', value });
  }
  parts.sort((a, b) => a.n - b.n);
  return joinParts(
    parts.map((p) => p.value),
    parts.slice(1).map((p) => p.join),
  );
}

export function editModal(post: Pick<PostDoc, '_id' | 'content' | 'hashtags' | 'targets'>, scope: Scope): APIModalInteractionResponseCallbackData {
  const limit = charLimitFor(post.targets);
  // A draft longer than one box (only a webhook-only post can be) is edited in parts instead of cut short.
  const { parts, joins } = splitForInputs(post.content ?? '', DISCORD_INPUT_MAX);
  const many = parts.length > 1;
  return {
    custom_id: modalId(scope, 'editm', post._id),
    title: 'Edit post',
    components: [
      ...parts.map((part, i) =>
        input(contentInputId(i, joins[i - 1] ?? ''), many ? `Text, part ${i + 1} of ${parts.length}` : 'Text', TextInputStyle.Paragraph, {
          ...(i === 0
            ? {
                description: many
                  ? `Too long for one box: the parts are joined in order when you save. At most ${limit} characters.`
                  : `At most ${limit} characters with the hashtags.`,
              }
            : {}),
          value: part,
          required: i === 0,
          ...(i === 0 ? { min_length: 1 } : {}),
          max_length: Math.min(limit, DISCORD_INPUT_MAX),
        }),
      ),
      input('hashtags', 'Hashtags', TextInputStyle.Short, {
        value: post.hashtags.map((h) => `#${h}`).join(' '),
        placeholder: '#remotework #engineering',
        required: false,
        max_length: 400,
      }),
    ],
  };
}

export function scheduleModal(
  post: Pick<PostDoc, '_id' | 'status' | 'scheduledAt' | 'bestTime'>,
  scope: Scope,
  opts: { timeZone: string; now: Date },
): APIModalInteractionResponseCallbackData {
  const ahead = post.scheduledAt.getTime() > opts.now.getTime() + 60_000;
  const initial = ahead ? formatLocal(post.scheduledAt, opts.timeZone) : (post.bestTime ?? 'tomorrow 09:00');
  return {
    custom_id: modalId(scope, 'schedm', post._id),
    title: post.status === 'draft' ? 'Schedule post' : 'Reschedule post',
    components: [
      input('when', 'When', TextInputStyle.Short, { value: initial, placeholder: 'tomorrow 09:00, friday 14:30, in 2 hours', required: true, max_length: 100 }),
      input('timezone', 'Time zone', TextInputStyle.Short, { value: opts.timeZone, placeholder: 'Europe/Berlin', required: true, max_length: 64 }),
    ],
  };
}

/** "2026-12-01 09:00" in the zone: what parseWhen reads back as the same instant. */
function formatLocal(at: Date, zone: string): string {
  const s = formatInZone(at, zone);
  const d = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(d) ? d : s;
}
