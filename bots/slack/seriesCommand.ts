// `/postforge queue` (the posting schedule) and `/postforge series …`: create a series whose drafts come to this channel for approval, list the
// workspace's series with their next runs, and pause, resume, run or delete one.
import type { SlashCommand } from '@slack/bolt';
import { formatInZone } from '../../core/time';
import { getSchedule, nextFreeSlots, putSchedule } from '../../services/queue';
import {
  CreateSeriesSchema,
  createSeries,
  deleteSeries,
  describeSeries,
  listSeries,
  pauseSeries,
  resumeSeries,
  runSeriesNow,
  type SeriesView,
} from '../../services/series';
import { EXAMPLES, type SlackCommand } from './commands';
import { queueSettingsModal } from './queueSettings';
import { authorOf, exampleLine, slackActor, userTimeZone, type BoltClient, type SlackDeps, type Who } from './shared';
import { resolveTargets } from './resolveTargets';

type SeriesCommand = Extract<SlackCommand, { kind: 'series-create' | 'series-list' | 'series-action' | 'queue-show' | 'queue-set' | 'queue-settings' }>;

interface SeriesCall {
  w: Who;
  cmd: SeriesCommand;
  command: SlashCommand;
  client: BoltClient;
  say: (text: string) => Promise<unknown>;
}

function describeRecurrence(v: SeriesView): string {
  const r = v.recurrence;
  return r.kind === 'weekly' ? `every ${r.days.join(', ')} at ${r.time}` : r.kind === 'cron' ? `cron ${r.expression}` : `every ${r.every}`;
}

function line(v: SeriesView): string {
  const next = v.paused
    ? `paused${v.pausedReason ? ` (${v.pausedReason})` : ''}`
    : v.nextRuns[0]
      ? `next ${formatInZone(new Date(v.nextRuns[0]), v.timeZone)}`
      : 'no next run';
  return `• \`${v.id}\` “${v.name}” — ${describeRecurrence(v)} (${v.timeZone}), ${v.requireApproval ? 'drafts approved here' : 'published as written'}; ${next}`;
}

async function nextSlotsText(deps: SlackDeps, w: Who): Promise<string> {
  const { timeZone, slots } = await nextFreeSlots(deps.ctx, w.accountId, 5);
  return slots.length
    ? `Next free slots: ${slots.map((s) => formatInZone(s, timeZone)).join(' · ')}. Add \`when queue\` to \`${EXAMPLES.write.split(' ').slice(0, 2).join(' ')} …\` to take one.`
    : 'No free slots in the next 12 months.';
}

export async function seriesCommand(deps: SlackDeps, { w, cmd, command, client, say }: SeriesCall): Promise<void> {
  const { ctx } = deps;
  switch (cmd.kind) {
    case 'queue-set': {
      const actor = await slackActor(ctx, client, w);
      const timeZone = await userTimeZone(client, w.teamId, w.userId);
      await putSchedule(ctx, actor, { timeZone, slots: [{ days: cmd.days, times: cmd.times }] });
      await say(`Posting schedule set: ${cmd.days.join(', ')} at ${cmd.times.join(', ')} (${timeZone}).\n${await nextSlotsText(deps, w)}`);
      return;
    }
    case 'queue-settings': {
      const actor = await slackActor(ctx, client, w);
      if (!actor.isAdmin) {
        await say('Only an admin of this workspace can change its posting schedule. `/postforge queue` shows it.');
        return;
      }
      const timeZone = await userTimeZone(client, w.teamId, w.userId);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: queueSettingsModal(await getSchedule(ctx, w.accountId), { timeZone, channel: command.channel_id }),
      });
      return;
    }
    case 'queue-show': {
      const schedule = await getSchedule(ctx, w.accountId);
      if (!schedule) {
        await say(`This workspace has no posting schedule yet.${exampleLine(EXAMPLES.queue)}`);
        return;
      }
      const rules = schedule.slots.map((r) => `${r.days.join(', ')} at ${r.times.join(', ')}`).join('; ');
      await say(`*Posting schedule* (${schedule.timeZone}): ${rules}\n${await nextSlotsText(deps, w)}`);
      return;
    }
    case 'series-list': {
      const all = await listSeries(ctx, w.accountId);
      await say(all.length ? `*Series in this workspace*\n${all.map(line).join('\n')}` : `No series yet.${exampleLine(EXAMPLES.series)}`);
      return;
    }
    case 'series-action': {
      const actor = await slackActor(ctx, client, w);
      if (cmd.action === 'delete') {
        await deleteSeries(ctx, actor, cmd.seriesId);
        await say(`Deleted series \`${cmd.seriesId}\`. Posts it already started stay.`);
        return;
      }
      const act = { pause: pauseSeries, resume: resumeSeries, run: runSeriesNow }[cmd.action];
      const v = await act(ctx, actor, cmd.seriesId);
      const done = { pause: 'Paused', resume: 'Resumed (missed occurrences are not caught up)', run: 'Started an occurrence of' }[cmd.action];
      await say(`${done} series \`${v.id}\`.\n${line(v)}`);
      return;
    }
    case 'series-create': {
      const timeZone = await userTimeZone(client, w.teamId, w.userId);
      const targets = await resolveTargets(client, cmd.targets);
      if (!targets.ok) {
        await say(targets.error);
        return;
      }
      const body = CreateSeriesSchema.safeParse({
        theme: cmd.theme,
        ...(cmd.tone ? { tone: cmd.tone } : {}),
        ...(cmd.language ? { language: cmd.language } : {}),
        targets: targets.targets,
        recurrence: cmd.recurrence,
        timeZone,
        requireApproval: cmd.requireApproval,
      });
      if (!body.success) {
        await say(`${body.error.issues[0]?.message ?? 'That series could not be created.'}${exampleLine(EXAMPLES.series)}`);
        return;
      }
      // Each occurrence's draft is posted in this channel, with Approve and Discard.
      const doc = await createSeries(ctx, authorOf(w), body.data, {
        notify: { kind: 'slack', channel: command.channel_id, userId: w.userId, teamId: w.teamId },
      });
      const v = await describeSeries(ctx, doc);
      await say(
        `Created series \`${v.id}\`: each occurrence is charged one credit${v.requireApproval ? ` and its draft comes to <#${command.channel_id}> for approval (it expires unapproved, refunded)` : ''}.\n${line(v)}`,
      );
      return;
    }
  }
}
