// Series: "every Monday at 09:00 (Europe/Berlin), write a post about our engineering culture".
// Each series is a Temporal Schedule whose action starts a `seriesOccurrence` workflow, which
// starts an ordinary postLifecycle (charged like any post, approval and expiry-with-refund as
// usual). Schedules are Temporal's: pause, resume, "run now" and the next run times come from it.
//
// No bursts after downtime: overlap SKIP (an occurrence never starts while the previous one is
// still starting its post) and a catch-up window of CATCHUP_WINDOW: if the Temporal server was
// down when an occurrence was due, it is taken late only within that window, otherwise skipped.
// Recurrences are at most hourly (the cron minute is a single number), so at most one missed
// occurrence fits in the window. A paused Schedule takes no actions and does not catch up the
// ones it missed when resumed.
import { randomBytes } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleSpec } from '@temporalio/client';
import { z } from 'zod';
import { LanguageSchema, TargetSchema, ToneSchema } from '../core/domain';
import type { SeriesDoc } from '../core/db';
import { seriesScheduleId } from '../core/temporal';
import { isValidTimeZone } from '../core/time';
import { WEEKDAYS } from '../core/time/slots';
import type { ServiceContext } from './context';
import { NotFound, UserError } from './errors';
import { checkCustomerUrls } from './outboundUrls';
import type { Actor } from './posts';
import { assertTargetsBelongTo } from './targets';

export const CATCHUP_WINDOW = '10 minutes' as const;
export { seriesScheduleId };

const TimeOfDay = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM on a 24-hour clock, like "09:00"');
// Five fields; the minute a single number so a series runs at most hourly (see the top).
const CRON = /^(\d{1,2})\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/;

export const RecurrenceSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('weekly'),
        days: z
          .array(z.enum(WEEKDAYS, { error: `days are ${WEEKDAYS.join(', ')}` }))
          .min(1)
          .max(7),
        time: TimeOfDay,
      })
      .strict(),
    z
      .object({
        kind: z.literal('cron'),
        expression: z
          .string()
          .trim()
          .regex(CRON, 'a cron expression has five fields with a fixed minute, like "0 9 * * MON" (at most hourly)')
          .refine((c) => !CRON.test(c) || Number(CRON.exec(c)?.[1]) < 60, 'the minute is 0–59'),
      })
      .strict(),
  ],
  { error: 'recurrence is {"kind":"weekly","days":["mon"],"time":"09:00"} or {"kind":"cron","expression":"0 9 * * MON"}' },
);

const SeriesFields = {
  name: z.string().trim().min(1).max(100, 'name is at most 100 characters'),
  theme: z.string().trim().min(3, 'theme needs at least 3 characters').max(500, 'theme is at most 500 characters'),
  tone: ToneSchema,
  language: LanguageSchema,
  instructions: z.string().trim().max(500, 'instructions are at most 500 characters'),
  targets: z.array(TargetSchema).min(1, 'give at least one target, e.g. [{"kind":"linkedin"}]').max(5, 'at most 5 targets'),
  recurrence: RecurrenceSchema,
  timeZone: z.string().trim().refine(isValidTimeZone, 'timeZone must be an IANA time zone like "Europe/Berlin"'),
  requireApproval: z.boolean(),
  notifyUrl: z.url({ protocol: /^https?$/, error: 'notifyUrl must be an http(s) URL' }),
};

export const CreateSeriesSchema = z
  .object({
    ...SeriesFields,
    name: SeriesFields.name.optional(),
    tone: SeriesFields.tone.default('professional'),
    language: SeriesFields.language.default('en'),
    instructions: SeriesFields.instructions.optional(),
    timeZone: SeriesFields.timeZone.default('UTC'),
    requireApproval: SeriesFields.requireApproval.default(true),
    notifyUrl: SeriesFields.notifyUrl.optional(),
  })
  .strict();
export type CreateSeriesBody = z.infer<typeof CreateSeriesSchema>;

export const PatchSeriesSchema = z
  .object({
    name: SeriesFields.name.optional(),
    theme: SeriesFields.theme.optional(),
    tone: SeriesFields.tone.optional(),
    language: SeriesFields.language.optional(),
    instructions: SeriesFields.instructions.optional(),
    targets: SeriesFields.targets.optional(),
    recurrence: SeriesFields.recurrence.optional(),
    timeZone: SeriesFields.timeZone.optional(),
    requireApproval: SeriesFields.requireApproval.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change: send at least one field' });
export type PatchSeriesBody = z.infer<typeof PatchSeriesSchema>;

export const SeriesIdSchema = z.string().regex(/^ser_[a-f0-9]{20}$/, 'a series id looks like ser_ and 20 hex characters');

const DAY_NAMES = { mon: 'MONDAY', tue: 'TUESDAY', wed: 'WEDNESDAY', thu: 'THURSDAY', fri: 'FRIDAY', sat: 'SATURDAY', sun: 'SUNDAY' } as const;

/** The Schedule spec of a recurrence, in the series' zone (Temporal applies that zone's DST rules). */
export function scheduleSpec(recurrence: SeriesDoc['recurrence'], timeZone: string): ScheduleSpec {
  switch (recurrence.kind) {
    case 'weekly': {
      const [hour, minute] = recurrence.time.split(':').map(Number) as [number, number];
      return { calendars: [{ dayOfWeek: recurrence.days.map((d) => DAY_NAMES[d]), hour, minute }], timezone: timeZone };
    }
    case 'cron':
      return { cronExpressions: [recurrence.expression], timezone: timeZone };
    case 'interval':
      // Not accepted from clients: tests (and operators' scripts) use it to run a series in seconds.
      return { intervals: [{ every: recurrence.every as `${number}s` }], timezone: timeZone };
  }
}

function scheduleOptions(ctx: ServiceContext, doc: SeriesDoc) {
  return {
    spec: scheduleSpec(doc.recurrence, doc.timeZone),
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'seriesOccurrence',
      args: [{ seriesId: doc._id }],
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      // Temporal appends the occurrence's time, so each occurrence has its own id.
      workflowId: `series-${doc._id}-occurrence`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

export interface SeriesAuthor {
  accountId: string;
  memberId: string;
  source: SeriesDoc['source'];
}

export async function createSeries(
  ctx: ServiceContext,
  author: SeriesAuthor,
  body: CreateSeriesBody | (Omit<CreateSeriesBody, 'recurrence'> & { recurrence: SeriesDoc['recurrence'] }),
  opts: { notify?: SeriesDoc['notify']; paused?: boolean; draftExpiryMs?: number } = {},
): Promise<SeriesDoc> {
  checkCustomerUrls(ctx.config, { targets: body.targets, ...(body.notifyUrl ? { notifyUrl: body.notifyUrl } : {}) });
  await assertTargetsBelongTo(ctx, author.accountId, body.targets);
  const now = ctx.now?.() ?? new Date();
  const doc: SeriesDoc = {
    _id: `ser_${randomBytes(10).toString('hex')}`,
    accountId: author.accountId,
    authorId: author.memberId,
    source: author.source,
    name: body.name ?? body.theme.slice(0, 100),
    theme: body.theme,
    tone: body.tone,
    language: body.language,
    ...(body.instructions ? { instructions: body.instructions } : {}),
    targets: body.targets,
    recurrence: body.recurrence,
    timeZone: body.timeZone,
    requireApproval: body.requireApproval,
    notify: opts.notify ?? (body.notifyUrl ? { kind: 'webhook', url: body.notifyUrl } : { kind: 'none' }),
    ...(opts.draftExpiryMs !== undefined ? { draftExpiryMs: opts.draftExpiryMs } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.series.insertOne(doc);
  try {
    await ctx.temporal.schedule.create({ scheduleId: seriesScheduleId(doc._id), ...scheduleOptions(ctx, doc), state: { paused: opts.paused ?? false } });
  } catch (err) {
    await ctx.db.series.deleteOne({ _id: doc._id });
    throw specRefusal(err, doc.recurrence);
  }
  return doc;
}

/**
 * The Temporal client turns the server's "Invalid schedule spec" into a TypeError: a recurrence the
 * pattern let through (a cron with "FOO" for its weekday) is the caller's to fix, so say so.
 */
function specRefusal(err: unknown, recurrence: SeriesDoc['recurrence']): unknown {
  if (!(err instanceof TypeError)) return err;
  const what = recurrence.kind === 'cron' ? `The cron expression "${recurrence.expression}"` : 'The recurrence';
  return new UserError(
    `${what} was refused by the scheduler (${err.message}). A cron expression has five fields: minute hour day-of-month month day-of-week, like "0 9 * * MON-FRI".`,
    400,
    [{ path: 'recurrence', message: err.message }],
  );
}

/** The series, if `actor` may change it: its creator, or an admin of its account. */
async function seriesToChange(ctx: ServiceContext, actor: Actor, seriesId: string): Promise<SeriesDoc> {
  const doc = await getSeriesDoc(ctx, actor.accountId, seriesId);
  if (doc.authorId !== actor.memberId && !actor.isAdmin) {
    throw new UserError(`Only the creator of series ${seriesId} or an admin of this workspace can change it: its posts go out under the creator's name.`, 403);
  }
  return doc;
}

export async function getSeriesDoc(ctx: ServiceContext, accountId: string, seriesId: string): Promise<SeriesDoc> {
  const doc = await ctx.db.series.findOne({ _id: seriesId });
  // Another account's series is simply not found.
  if (!doc || doc.accountId !== accountId) throw new NotFound(`Series ${seriesId}`);
  return doc;
}

const handleOf = (ctx: ServiceContext, seriesId: string) => ctx.temporal.schedule.getHandle(seriesScheduleId(seriesId));

export interface SeriesView {
  id: string;
  name: string;
  theme: string;
  tone: string;
  language: string;
  instructions?: string;
  targets: SeriesDoc['targets'];
  recurrence: SeriesDoc['recurrence'];
  timeZone: string;
  requireApproval: boolean;
  paused: boolean;
  pausedReason?: string;
  nextRuns: string[];
  recentPosts: { postId: string; at: string }[];
  createdAt: string;
}

export async function describeSeries(ctx: ServiceContext, doc: SeriesDoc): Promise<SeriesView> {
  const [desc, recent] = await Promise.all([
    handleOf(ctx, doc._id).describe(),
    ctx.db.seriesPosts.find({ seriesId: doc._id }).sort({ at: -1 }).limit(5).toArray(),
  ]);
  return {
    id: doc._id,
    name: doc.name,
    theme: doc.theme,
    tone: doc.tone,
    language: doc.language,
    ...(doc.instructions ? { instructions: doc.instructions } : {}),
    targets: doc.targets,
    recurrence: doc.recurrence,
    timeZone: doc.timeZone,
    requireApproval: doc.requireApproval,
    paused: desc.state.paused,
    ...(desc.state.paused && doc.pausedReason ? { pausedReason: doc.pausedReason } : {}),
    nextRuns: desc.state.paused ? [] : desc.info.nextActionTimes.slice(0, 5).map((d) => d.toISOString()),
    recentPosts: recent.map((r) => ({ postId: r._id, at: r.at.toISOString() })),
    createdAt: doc.createdAt.toISOString(),
  };
}

export async function listSeries(ctx: ServiceContext, accountId: string): Promise<SeriesView[]> {
  const docs = await ctx.db.series.find({ accountId }).sort({ createdAt: 1 }).limit(100).toArray();
  return Promise.all(docs.map((d) => describeSeries(ctx, d)));
}

/** The account's series by name, for choosing one while typing (no Temporal round trip per series). */
export async function seriesNames(ctx: ServiceContext, accountId: string): Promise<{ id: string; name: string; recurrence: SeriesDoc['recurrence'] }[]> {
  const docs = await ctx.db.series.find({ accountId }).sort({ createdAt: 1 }).limit(100).toArray();
  return docs.map((d) => ({ id: d._id, name: d.name, recurrence: d.recurrence }));
}

export async function getSeries(ctx: ServiceContext, accountId: string, seriesId: string): Promise<SeriesView> {
  return describeSeries(ctx, await getSeriesDoc(ctx, accountId, seriesId));
}

export async function pauseSeries(ctx: ServiceContext, actor: Actor, seriesId: string): Promise<SeriesView> {
  const doc = await seriesToChange(ctx, actor, seriesId);
  await handleOf(ctx, seriesId).pause(`paused by ${actor.memberId}`);
  return describeSeries(ctx, doc);
}

export async function resumeSeries(ctx: ServiceContext, actor: Actor, seriesId: string): Promise<SeriesView> {
  const doc = await seriesToChange(ctx, actor, seriesId);
  // Resuming starts from the next due time: occurrences missed while paused are not caught up.
  await handleOf(ctx, seriesId).unpause(`resumed by ${actor.memberId}`);
  await ctx.db.series.updateOne({ _id: seriesId }, { $unset: { pausedReason: '' }, $set: { updatedAt: new Date() } });
  const { pausedReason: _gone, ...rest } = doc;
  return describeSeries(ctx, rest);
}

export async function runSeriesNow(ctx: ServiceContext, actor: Actor, seriesId: string): Promise<SeriesView> {
  const doc = await seriesToChange(ctx, actor, seriesId);
  await handleOf(ctx, seriesId).trigger(ScheduleOverlapPolicy.SKIP);
  return describeSeries(ctx, doc);
}

export async function updateSeries(
  ctx: ServiceContext,
  actor: Actor,
  seriesId: string,
  body: Partial<PatchSeriesBody>,
  opts: { notify?: SeriesDoc['notify']; draftExpiryMs?: number } = {},
): Promise<SeriesView> {
  const doc = await seriesToChange(ctx, actor, seriesId);
  if (body.targets) {
    checkCustomerUrls(ctx.config, { targets: body.targets });
    await assertTargetsBelongTo(ctx, actor.accountId, body.targets);
  }
  const next: SeriesDoc = {
    ...doc,
    ...body,
    ...(opts.notify ? { notify: opts.notify } : {}),
    ...(opts.draftExpiryMs !== undefined ? { draftExpiryMs: opts.draftExpiryMs } : {}),
    updatedAt: new Date(),
  } as SeriesDoc;
  await ctx.db.series.replaceOne({ _id: seriesId }, next);
  if (body.recurrence || body.timeZone) {
    const opts = scheduleOptions(ctx, next);
    try {
      await handleOf(ctx, seriesId).update((prev) => ({ ...prev, spec: opts.spec }));
    } catch (err) {
      // The Schedule kept its old spec: so does the series.
      await ctx.db.series.replaceOne({ _id: seriesId }, doc);
      throw specRefusal(err, next.recurrence);
    }
  }
  return describeSeries(ctx, next);
}

export async function deleteSeries(ctx: ServiceContext, actor: Actor, seriesId: string): Promise<void> {
  await seriesToChange(ctx, actor, seriesId);
  try {
    await handleOf(ctx, seriesId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  // Posts already started stay (they are ordinary posts now); the series and its Schedule go.
  await ctx.db.series.deleteOne({ _id: seriesId });
}
