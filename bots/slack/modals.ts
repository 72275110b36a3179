// The Edit and Schedule modals: their views (pure) and what their submissions do. Validation a
// person can fix goes back into the modal as field errors; everything else runs after the ack.
import { postWasRefunded } from '../../services/credits';
import type { App } from '@slack/bolt';
import type { View } from '@slack/types';
import { DateTime } from 'luxon';
import { charLimitFor, composeText } from '../../core/postRules';
import type { PostDoc } from '../../core/records';
import { joinParts, splitForInputs } from '../../core/textParts';
import { approvePost, getPost, patchPost } from '../../services/posts';
import { HashtagSchema } from '../../services/postSchemas';
import { renderPost } from './blocks';
import { messageFor, slackActor, who, type BoltClient, type SlackDeps } from './shared';

export const EDIT_MODAL = 'pf_edit_modal';
export const SCHEDULE_MODAL = 'pf_schedule_modal';

/** Where the modal came from, so its result can land back on the right message. */
export interface ModalMeta {
  postId: string;
  channel?: string;
  ts?: string;
  /** The member's zone when the modal opened: date and time are read in it. */
  timeZone?: string;
  limit?: number;
  /** A long draft is edited in several inputs; what joined each part to the next (paragraph break, line break, space). */
  joins?: string[];
}

/** Slack's plain_text_input holds at most 3,000 characters, as initial value and as input. */
export const SLACK_INPUT_MAX = 3000;

export const readMeta = (raw: string | undefined): ModalMeta => {
  const v = JSON.parse(raw || '{}') as Partial<ModalMeta>;
  if (typeof v.postId !== 'string') throw new Error('modal without a post id');
  return v as ModalMeta;
};

/** The block id of part `i` (0-based): `content` for the first, so a short draft has the one input it always had. */
export const partBlockId = (i: number): string => (i === 0 ? 'content' : `content_${i + 1}`);

/** What a modal shows in the moment between the click and our answer: views.open cannot wait for the database. */
export function loadingModal(title: string): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [{ type: 'section', text: { type: 'plain_text', text: 'Loading…' } }],
  };
}

/** A modal that only says something (why the editor cannot open), in place of the loading one. */
export function noticeModal(title: string, text: string): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'plain_text', text: text.slice(0, SLACK_INPUT_MAX) } }],
  };
}

export function editModal(post: Pick<PostDoc, '_id' | 'content' | 'hashtags' | 'targets'>, meta: Omit<ModalMeta, 'postId' | 'limit' | 'joins'>): View {
  const limit = charLimitFor(post.targets);
  const { parts, joins } = splitForInputs(post.content ?? '', SLACK_INPUT_MAX);
  const many = parts.length > 1;
  const partInputs = parts.map((part, i) => ({
    type: 'input' as const,
    block_id: partBlockId(i),
    // Only the first part must hold text; emptying a later one removes it.
    optional: i > 0,
    label: { type: 'plain_text' as const, text: many ? `Text, part ${i + 1} of ${parts.length}` : 'Text' },
    ...(i === 0
      ? {
          hint: {
            type: 'plain_text' as const,
            text: many
              ? `This draft is longer than the ${SLACK_INPUT_MAX.toLocaleString('en-US')} characters one Slack box holds, so it is split into parts; they are joined in order when you save. At most ${limit} characters in all, with the hashtags.`
              : `At most ${Math.min(limit, SLACK_INPUT_MAX)} characters with the hashtags.`,
          },
        }
      : {}),
    element: { type: 'plain_text_input' as const, action_id: 'content', multiline: true, initial_value: part, max_length: SLACK_INPUT_MAX },
  }));
  return {
    type: 'modal',
    callback_id: EDIT_MODAL,
    private_metadata: JSON.stringify({ ...meta, postId: post._id, limit, ...(many ? { joins } : {}) }),
    title: { type: 'plain_text', text: 'Edit post' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...partInputs,
      {
        type: 'input',
        block_id: 'hashtags',
        optional: true,
        label: { type: 'plain_text', text: 'Hashtags' },
        hint: { type: 'plain_text', text: 'Space separated, like: remotework engineering' },
        element: { type: 'plain_text_input', action_id: 'hashtags', initial_value: post.hashtags.map((h) => `#${h}`).join(' ') },
      },
    ],
  };
}

export function scheduleModal(post: Pick<PostDoc, '_id' | 'status'>, initial: Date, meta: Omit<ModalMeta, 'postId' | 'limit'> & { timeZone: string }): View {
  const local = DateTime.fromJSDate(initial, { zone: meta.timeZone });
  return {
    type: 'modal',
    callback_id: SCHEDULE_MODAL,
    private_metadata: JSON.stringify({ ...meta, postId: post._id }),
    title: { type: 'plain_text', text: post.status === 'draft' ? 'Schedule post' : 'Reschedule post' },
    submit: { type: 'plain_text', text: post.status === 'draft' ? 'Approve & schedule' : 'Reschedule' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'date',
        label: { type: 'plain_text', text: 'Date' },
        element: { type: 'datepicker', action_id: 'date', initial_date: local.toISODate() ?? undefined },
      },
      {
        type: 'input',
        block_id: 'time',
        label: { type: 'plain_text', text: `Time (${meta.timeZone})` },
        element: { type: 'timepicker', action_id: 'time', initial_time: local.toFormat('HH:mm'), timezone: meta.timeZone },
      },
    ],
  } as View;
}

/** The instant a date and time mean in a zone, or why they mean none. */
export function instantIn(
  date: string | undefined,
  time: string | undefined,
  zone: string,
  now = new Date(),
): { ok: true; at: Date } | { ok: false; field: 'date' | 'time'; error: string } {
  if (!date) return { ok: false, field: 'date', error: 'Pick a date.' };
  if (!time) return { ok: false, field: 'time', error: 'Pick a time.' };
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) return { ok: false, field: 'date', error: `${date} ${time} is not a valid date and time.` };
  if (dt.toMillis() <= now.getTime()) {
    return { ok: false, field: 'time', error: `${dt.toFormat('ccc d LLL HH:mm')} (${zone}) is in the past. Pick a time in the future.` };
  }
  return { ok: true, at: dt.toJSDate() };
}

type Values = Record<string, Record<string, { value?: string | null; selected_date?: string | null; selected_time?: string | null }>>;

export function registerModals(app: App, deps: SlackDeps): void {
  const { ctx } = deps;

  /** Tells the member in the post's channel when something after the ack went wrong. */
  const tellLater = async (client: BoltClient, meta: ModalMeta, userId: string, text: string) => {
    if (meta.channel) await client.chat.postEphemeral({ channel: meta.channel, user: userId, text }).catch(() => undefined);
  };

  app.view(EDIT_MODAL, async ({ ack, view, body, client }) => {
    const meta = readMeta(view.private_metadata);
    const values = view.state.values as Values;
    const joins = meta.joins ?? [];
    const parts = Array.from({ length: joins.length + 1 }, (_, i) => values[partBlockId(i)]?.content?.value ?? '');
    const content = joinParts(parts, joins).trim();
    const rawTags = (values.hashtags?.hashtags?.value ?? '').split(/[\s,]+/).filter(Boolean);
    const tags = rawTags.map((t) => HashtagSchema.safeParse(t));
    const badTag = tags.findIndex((t) => !t.success);
    const hashtags = tags.flatMap((t) => (t.success ? [t.data] : []));
    const limit = meta.limit ?? 3000;
    const errors: Record<string, string> = {};
    if (!content) errors.content = 'The text cannot be empty.';
    else if (composeText(content, hashtags).length > limit)
      errors.content = `Too long: ${composeText(content, hashtags).length} characters with hashtags; at most ${limit} for these targets.`;
    if (badTag >= 0) errors.hashtags = `"${rawTags[badTag]}" is not a hashtag: letters, digits or underscores, like #remotework.`;
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const w = who(body.team?.id ?? '', body.user.id);
    try {
      await patchPost(ctx, await slackActor(ctx, client, w), meta.postId, { content, hashtags });
      // An edit is no milestone of the workflow, so the message is refreshed from here.
      await refreshMessage(client, deps, await getPost(ctx, w.accountId, meta.postId), meta);
    } catch (err) {
      await tellLater(client, meta, w.userId, messageFor(err, deps, 'save the edit'));
    }
  });

  app.view(SCHEDULE_MODAL, async ({ ack, view, body, client }) => {
    const meta = readMeta(view.private_metadata);
    const values = view.state.values as Values;
    const zone = meta.timeZone ?? 'UTC';
    const at = instantIn(values.date?.date?.selected_date ?? undefined, values.time?.time?.selected_time ?? undefined, zone, ctx.now?.());
    if (!at.ok) {
      await ack({ response_action: 'errors', errors: { [at.field]: at.error } });
      return;
    }
    await ack();
    const w = who(body.team?.id ?? '', body.user.id);
    try {
      const actor = await slackActor(ctx, client, w);
      const post = await getPost(ctx, w.accountId, meta.postId);
      await patchPost(ctx, actor, meta.postId, { scheduledAt: at.at.toISOString(), timeZone: zone });
      // Scheduling a draft is approving it for that time.
      if (post.status === 'draft') await approvePost(ctx, actor, meta.postId);
    } catch (err) {
      await tellLater(client, meta, w.userId, messageFor(err, deps, 'schedule the post'));
    }
  });
}

/** Re-renders the post's message from its document, for changes that are no workflow milestone. */
export async function refreshMessage(client: BoltClient, deps: SlackDeps, post: PostDoc, meta: { channel?: string; ts?: string }): Promise<void> {
  const channel = post.slack?.channel ?? meta.channel;
  const ts = post.slack?.ts ?? meta.ts;
  if (!channel || !ts) return;
  const refunded = await postWasRefunded(deps.ctx.db, post._id);
  await client.chat.update({ channel, ts, ...renderPost(post, { refunded }) });
}
