// /series and /queue: a thin adapter over services/series and services/queue, the same services the
// API and Slack use. A series made here with approval brings each occurrence's draft to the channel
// it was created in (the worker posts it with the bot token, see notifier.ts), where Approve works
// like on any post. Answers are ephemeral: only the asker sees them.
import type { APIApplicationCommandOptionChoice, APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { SeriesDoc } from '../../core/db';
import type { Target } from '../../core/domain';
import { getSchedule, nextFreeSlots, putSchedule } from '../../services/queue';
import {
  SeriesIdSchema,
  createSeries,
  deleteSeries,
  describeSeries,
  listSeries,
  pauseSeries,
  resumeSeries,
  runSeriesNow,
  seriesNames,
  updateSeries,
  type SeriesView,
} from '../../services/series';
import { EXAMPLES } from './commands';
import { botCanSend, isGuildAdmin, isManager, managerPermission, adminPermissionName, permissionLabel } from './permissions';
import { discordTime } from './render';
import { parseQueueSet, parseSeriesCreate, parseSeriesEdit, subcommandOf, text } from './seriesOptions';
import { actorOf, authorOf, exampleLine, type Turn, type Who } from './turn';

type Command = APIChatInputApplicationCommandInteraction;

const CONTENT_MAX = 1900;
const REPEATED = 'This exact command was already carried out (the same interaction arrived again), so nothing more was done.';

export function describeRecurrence(r: SeriesDoc['recurrence']): string {
  return r.kind === 'weekly' ? `every ${r.days.join(', ')} at ${r.time}` : r.kind === 'cron' ? `cron \`${r.expression}\`` : `every ${r.every}`;
}

function line(v: SeriesView): string {
  const next = v.paused
    ? `⏸️ paused${v.pausedReason ? ` (${v.pausedReason})` : ''}`
    : v.nextRuns[0]
      ? `next ${discordTime(new Date(v.nextRuns[0]), 'f')} (${discordTime(new Date(v.nextRuns[0]), 'R')})`
      : 'no next run';
  const approval = v.requireApproval ? 'drafts approved in their channel' : 'published as written';
  return `• **${v.name.replace(/[*_`~|]/g, '')}** \`${v.id}\` — ${describeRecurrence(v.recurrence)} (${v.timeZone}), ${approval}; ${next}`;
}

/** Where a new draft is shown: the channel the command ran in, by the bot (no interaction token lasts that long). */
const channelNotify = (w: Who, channelId: string): SeriesDoc['notify'] => ({ kind: 'discordChannel', guildId: w.guildId, channelId, userId: w.userId });

export async function seriesCommand(turn: Turn, w: Who, i: Command): Promise<void> {
  const sub = subcommandOf(i.data.options);
  switch (sub?.name) {
    case 'create':
      return createCommand(turn, w, i, sub.options);
    case 'list':
      return listCommand(turn, w);
    case 'edit':
      return editCommand(turn, w, i, sub.options);
    case 'pause':
    case 'resume':
    case 'run':
    case 'delete':
      return actionCommand(turn, w, sub.name, text(sub.options, 'series') ?? '');
    default:
      return turn.ephemeral('/series has create, list, edit, pause, resume, run and delete.', {});
  }
}

async function createCommand(turn: Turn, w: Who, i: Command, options: Parameters<typeof parseSeriesCreate>[0]): Promise<void> {
  const { ctx, api } = turn.deps;
  const parsed = parseSeriesCreate(options, { timeZone: ctx.config.DISCORD_TIMEZONE });
  if (!parsed.ok) return turn.ephemeral(`${parsed.error}${exampleLine(parsed.example)}`);
  const req = parsed.value;
  const invokedIn = i.channel?.id ?? i.channel_id;
  const channelId = req.channelId ?? (req.linkedin ? undefined : invokedIn);
  if (channelId && !isManager(ctx.config, w.permissions)) {
    return turn.ephemeral(
      `A series that publishes to a channel needs the **${permissionLabel(managerPermission(ctx.config)?.name ?? 'ManageGuild')}** permission. Ask someone who has it, or publish to your own LinkedIn with linkedin:True.`,
    );
  }
  const targets: Target[] = [...(channelId ? [{ kind: 'discord' as const, channelId }] : []), ...(req.linkedin ? [{ kind: 'linkedin' as const }] : [])];
  await turn.deferEphemeral();
  try {
    if (!(await turn.firstDelivery(w, 'series create'))) return turn.ephemeral(REPEATED);
    await turn.ensureGuild(w);
    // The bot must be able to post where the series publishes and where its drafts are shown.
    for (const where of new Set([channelId, req.approveInChannel ? invokedIn : undefined].filter((c): c is string => Boolean(c)))) {
      const check = await botCanSend(api, {
        guildId: w.guildId,
        channelId: where,
        ...(invokedIn ? { invokedIn } : {}),
        ...(i.app_permissions ? { appPermissions: i.app_permissions } : {}),
      });
      if (!check.ok) return turn.ephemeral(check.error.replace('Nothing was charged.', 'No series was created.'));
    }
    const doc = await createSeries(
      ctx,
      authorOf(w),
      { ...req.body, targets },
      { notify: invokedIn ? channelNotify(w, invokedIn) : { kind: 'none' }, ...(req.draftExpiryMs !== undefined ? { draftExpiryMs: req.draftExpiryMs } : {}) },
    );
    const v = await describeSeries(ctx, doc);
    const expiry = Math.round((doc.draftExpiryMs ?? ctx.config.DRAFT_EXPIRY) / 60_000);
    const how = v.requireApproval
      ? `Each occurrence's draft comes to <#${invokedIn}> with Approve; unapproved after ${expiry >= 120 ? `${Math.round(expiry / 60)} h` : `${expiry} min`} it expires and its credit is refunded.`
      : 'Each occurrence is published as written.';
    await turn.ephemeral(`Created series \`${v.id}\`: one credit per occurrence. ${how}\n${line(v)}`);
  } catch (err) {
    await turn.fail(err, 'create the series');
  }
}

async function listCommand(turn: Turn, w: Who): Promise<void> {
  await turn.deferEphemeral();
  try {
    const all = await listSeries(turn.deps.ctx, w.accountId);
    if (!all.length) return turn.ephemeral(`This server has no series yet.${exampleLine(EXAMPLES.series)}`);
    let out = '**Series on this server**';
    for (const [n, v] of all.entries()) {
      const next = `\n${line(v)}`;
      if (out.length + next.length > CONTENT_MAX) {
        out += `\n…and ${all.length - n} more.`;
        break;
      }
      out += next;
    }
    await turn.ephemeral(out);
  } catch (err) {
    await turn.fail(err, 'list the series');
  }
}

/** A series by what the picker sent (its id) or by a name typed without picking. */
async function seriesIdFrom(turn: Turn, w: Who, ref: string): Promise<string | undefined> {
  if (SeriesIdSchema.safeParse(ref).success) return ref;
  const named = (await seriesNames(turn.deps.ctx, w.accountId)).filter((s) => s.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  await turn.ephemeral(
    named.length
      ? `Several series are named “${ref}”. Pick one from the list while typing the series option.`
      : `This server has no series “${ref}”. Pick one from the list while typing the series option; \`/series list\` shows them all.`,
  );
  return undefined;
}

async function actionCommand(turn: Turn, w: Who, action: 'pause' | 'resume' | 'run' | 'delete', ref: string): Promise<void> {
  const { ctx } = turn.deps;
  if (!ref) return turn.ephemeral(`Say which series.${exampleLine(EXAMPLES.seriesAction)}`);
  await turn.deferEphemeral();
  try {
    const id = await seriesIdFrom(turn, w, ref);
    if (!id) return;
    if (action === 'run' && !(await turn.firstDelivery(w, 'series run'))) return turn.ephemeral(REPEATED);
    const actor = actorOf(ctx, w);
    if (action === 'delete') {
      await deleteSeries(ctx, actor, id);
      return turn.ephemeral(`Deleted series \`${id}\`. Posts it already started stay.`);
    }
    const v = await { pause: pauseSeries, resume: resumeSeries, run: runSeriesNow }[action](ctx, actor, id);
    const done = { pause: 'Paused', resume: 'Resumed (missed occurrences are not caught up)', run: 'Started an occurrence of' }[action];
    await turn.ephemeral(`${done} series \`${v.id}\`.\n${line(v)}`);
  } catch (err) {
    await turn.fail(err, `${action} the series`);
  }
}

async function editCommand(turn: Turn, w: Who, i: Command, options: Parameters<typeof parseSeriesEdit>[0]): Promise<void> {
  const { ctx, api } = turn.deps;
  const ref = text(options, 'series') ?? '';
  const parsed = parseSeriesEdit(options);
  if (!parsed.ok) return turn.ephemeral(`${parsed.error}${exampleLine(parsed.example)}`);
  const invokedIn = i.channel?.id ?? i.channel_id;
  await turn.deferEphemeral();
  try {
    const id = await seriesIdFrom(turn, w, ref);
    if (!id) return;
    let notify: SeriesDoc['notify'] | undefined;
    if (parsed.value.approveInChannel && invokedIn) {
      const check = await botCanSend(api, {
        guildId: w.guildId,
        channelId: invokedIn,
        invokedIn,
        ...(i.app_permissions ? { appPermissions: i.app_permissions } : {}),
      });
      if (!check.ok) return turn.ephemeral(check.error.replace('Nothing was charged.', 'The series was not changed.'));
      notify = channelNotify(w, invokedIn);
    }
    const v = await updateSeries(ctx, actorOf(ctx, w), id, parsed.value.patch, {
      ...(notify ? { notify } : {}),
      ...(parsed.value.draftExpiryMs !== undefined ? { draftExpiryMs: parsed.value.draftExpiryMs } : {}),
    });
    await turn.ephemeral(`Changed series \`${v.id}\`.${notify ? ` Its drafts now come to <#${invokedIn}>.` : ''}\n${line(v)}`);
  } catch (err) {
    await turn.fail(err, 'change the series');
  }
}

/** While typing the series option: this server's series whose name (or id) contains what was typed. */
export async function suggestSeries(turn: Turn, accountId: string, typed: string): Promise<APIApplicationCommandOptionChoice<string>[]> {
  const q = typed.trim().toLowerCase();
  const all = await seriesNames(turn.deps.ctx, accountId);
  return all
    .filter((s) => !q || s.name.toLowerCase().includes(q) || s.id.includes(q))
    .slice(0, 25)
    .map((s) => {
      const name = `${s.name} — ${describeRecurrence(s.recurrence).replace(/`/g, '')}`;
      return { name: name.length > 100 ? `${name.slice(0, 99)}…` : name, value: s.id };
    });
}

// --- /queue ---------------------------------------------------------------------------------

export async function queueCommand(turn: Turn, w: Who, i: Command): Promise<void> {
  const { ctx } = turn.deps;
  const sub = subcommandOf(i.data.options);
  if (sub?.name === 'set') {
    if (!isGuildAdmin(ctx.config, w.permissions)) {
      return turn.ephemeral(
        `Setting the posting schedule needs the **${permissionLabel(adminPermissionName(ctx.config))}** permission (every member's queue uses it). \`/queue show\` shows it.`,
      );
    }
    const parsed = parseQueueSet(sub.options, { timeZone: ctx.config.DISCORD_TIMEZONE });
    if (!parsed.ok) return turn.ephemeral(`${parsed.error}${exampleLine(parsed.example)}`);
    const { timeZone, days, times } = parsed.value;
    await turn.deferEphemeral();
    try {
      await turn.ensureGuild(w);
      await putSchedule(ctx, actorOf(ctx, w), { timeZone, slots: [{ days, times }] });
      await turn.ephemeral(`Posting schedule set: ${days.join(', ')} at ${times.join(', ')} (${timeZone}).\n${await nextSlotsText(turn, w)}`);
    } catch (err) {
      await turn.fail(err, 'save the posting schedule');
    }
    return;
  }
  await turn.deferEphemeral();
  try {
    const schedule = await getSchedule(ctx, w.accountId);
    if (!schedule) return turn.ephemeral(`This server has no posting schedule yet.${exampleLine(EXAMPLES.queue)}`);
    const rules = schedule.slots.map((r) => `${r.days.join(', ')} at ${r.times.join(', ')}`).join('; ');
    await turn.ephemeral(`**Posting schedule** (${schedule.timeZone}): ${rules}\n${await nextSlotsText(turn, w)}`);
  } catch (err) {
    await turn.fail(err, 'show the posting schedule');
  }
}

async function nextSlotsText(turn: Turn, w: Who): Promise<string> {
  const { slots } = await nextFreeSlots(turn.deps.ctx, w.accountId, 5);
  return slots.length
    ? `Next free slots: ${slots.map((s) => discordTime(s, 'f')).join(' · ')}. \`/post … when:queue\` takes the next one.`
    : 'No free slots in the next 12 months.';
}
