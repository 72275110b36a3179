// `/postforge queue settings`: the posting schedule as a modal (days as checkboxes, times as text),
// in the member's Slack time zone. Only workspace admins may save it (services/queue.ts says so).
import type { App } from '@slack/bolt';
import type { View } from '@slack/types';
import type { PostingScheduleDoc } from '../../core/db';
import { WEEKDAYS, readTimesOfDay, type Weekday } from '../../core/time/slots';
import { nextFreeSlots, putSchedule } from '../../services/queue';
import { formatInZone } from '../../core/time';
import { messageFor, slackActor, who, type SlackDeps } from './shared';

export const QUEUE_SETTINGS_MODAL = 'pf_queue_settings';

const DAY_LABELS: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const option = (d: Weekday) => ({ text: { type: 'plain_text' as const, text: DAY_LABELS[d] }, value: d });

export function queueSettingsModal(current: PostingScheduleDoc | null, meta: { timeZone: string; channel: string }): View {
  // The modal edits one rule (days × times); a schedule with several rules shows their union.
  const days = current ? WEEKDAYS.filter((d) => current.slots.some((r) => r.days.includes(d))) : (['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[]);
  const times = current ? [...new Set(current.slots.flatMap((r) => r.times))].sort() : ['08:30', '12:00'];
  return {
    type: 'modal',
    callback_id: QUEUE_SETTINGS_MODAL,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Posting schedule' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Queued posts (\`when queue\`) take the next free slot. Times are in ${meta.timeZone}.` }] },
      {
        type: 'input',
        block_id: 'days',
        label: { type: 'plain_text', text: 'Days' },
        element: { type: 'checkboxes', action_id: 'days', options: WEEKDAYS.map(option), ...(days.length ? { initial_options: days.map(option) } : {}) },
      },
      {
        type: 'input',
        block_id: 'times',
        label: { type: 'plain_text', text: 'Times' },
        hint: { type: 'plain_text', text: '24-hour, separated by spaces or commas, like: 08:30 12:00' },
        element: { type: 'plain_text_input', action_id: 'times', initial_value: times.join(' ') },
      },
    ],
  };
}

type Values = Record<string, Record<string, { value?: string | null; selected_options?: { value: string }[] | null }>>;

export function registerQueueSettings(app: App, deps: SlackDeps): void {
  const { ctx } = deps;
  app.view(QUEUE_SETTINGS_MODAL, async ({ ack, view, body, client }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { timeZone?: string; channel?: string };
    const values = view.state.values as Values;
    const days = (values.days?.days?.selected_options ?? []).map((o) => o.value).filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d));
    const times = readTimesOfDay(values.times?.times?.value ?? '');
    const errors: Record<string, string> = {};
    if (!days.length) errors.days = 'Pick at least one day.';
    if (!times.ok) errors.times = times.error;
    if (Object.keys(errors).length || !times.ok) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const w = who(body.team?.id ?? '', body.user.id);
    const tell = (text: string) =>
      meta.channel ? client.chat.postEphemeral({ channel: meta.channel, user: w.userId, text }).catch(() => undefined) : undefined;
    try {
      const timeZone = meta.timeZone ?? 'UTC';
      await putSchedule(ctx, await slackActor(ctx, client, w), { timeZone, slots: [{ days, times: times.times }] });
      const next = await nextFreeSlots(ctx, w.accountId, 3);
      await tell(
        `Posting schedule saved: ${days.join(', ')} at ${times.times.join(', ')} (${timeZone}). Next free slots: ${next.slots.map((s) => formatInZone(s, timeZone)).join(' · ')}.`,
      );
    } catch (err) {
      await tell(messageFor(err, deps, 'save the posting schedule'));
    }
  });
}
