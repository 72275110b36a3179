// The posting queue's slots (services/queue.ts has the rest): an account's weekly slots, and
// "add to queue", which gives a post the next free slot. A slot is taken by inserting a queue_slots document under the unique `_id`
// `<accountId>:<slot instant>`; on FerretDB v1 that insert is the only race-safe primitive, so two
// posts never take one slot however many arrive at once (a loser tries the next slot).
import { z } from 'zod';
import { isDuplicateKey, type PostingScheduleDoc, type QueueSlotDoc, type WeeklySlotRule } from '../core/db';
import { TargetSchema, targetKey, type Target } from '../core/domain';
import { isValidTimeZone } from '../core/time';
import { WEEKDAYS, slotInstants } from '../core/time/slots';
import type { ServiceContext } from './context';
import { NotFound, UserError } from './errors';
import type { Actor } from './actor';

/** What `when` says to mean "the next free slot of my queue". */
export function isQueueWhen(when: string | undefined): boolean {
  return when !== undefined && /^(queue|next free slot.*)$/i.test(when.trim());
}

const TimeOfDay = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM on a 24-hour clock, like "08:30"');

const SlotRulesSchema = z
  .array(
    z
      .object({
        days: z
          .array(z.enum(WEEKDAYS, { error: `days are ${WEEKDAYS.join(', ')}` }))
          .min(1, 'give at least one day, e.g. ["mon","tue"]')
          .max(7),
        times: z.array(TimeOfDay).min(1, 'give at least one time, e.g. ["08:30"]').max(24, 'at most 24 times a day'),
      })
      .strict(),
  )
  .min(1, 'give at least one slot, e.g. {"days":["mon","wed","fri"],"times":["08:30","12:00"]}')
  .max(20, 'at most 20 slot rules');

export const PostingScheduleSchema = z
  .object({
    timeZone: z.string().trim().refine(isValidTimeZone, 'timeZone must be an IANA time zone like "Europe/Berlin"'),
    slots: SlotRulesSchema,
    /** Targets with slots of their own: a post to exactly one of them is queued in its own lane. */
    targets: z
      .array(z.object({ target: TargetSchema, slots: SlotRulesSchema }).strict())
      .max(10, 'at most 10 targets with their own slots')
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const keys = (v.targets ?? []).map((t) => targetKey(t.target));
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['targets', i, 'target'], message: `${k} has slots already; give each target once` });
    });
  });
export type PostingScheduleBody = z.infer<typeof PostingScheduleSchema>;

export const NextSlotsQuerySchema = z
  .object({
    count: z.coerce.number().int().min(1).max(50).default(5),
    target: z.string().max(300).optional().describe('a target with its own slots, as its key: "linkedin", "slack:C0123…", "webhook:https://…"'),
  })
  .strict();
export const CancelQueuedQuerySchema = z
  .object({
    shiftUp: z
      .enum(['true', 'false'], { error: 'shiftUp is true or false' })
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();

// Slots must leave the workflow a moment to start before they come.
export const MIN_LEAD_MS = 60_000;
// A claim's post is written right after the claim; one still missing after this never will be.
const ORPHAN_AFTER_MS = 5 * 60_000;
export const slotId = (lane: string, at: Date) => `${lane}:${at.toISOString()}`;
export const nowOf = (ctx: ServiceContext) => ctx.now?.() ?? new Date();

function assertMayManage(actor: Actor): void {
  if (!actor.isAdmin && !actor.accountId.startsWith('person:')) {
    throw new UserError("Only an admin of this workspace can change its posting schedule (every member's queue uses it). Ask an admin.", 403);
  }
}

export async function getSchedule(ctx: ServiceContext, accountId: string): Promise<PostingScheduleDoc | null> {
  return ctx.db.postingSchedules.findOne({ _id: accountId });
}

export async function putSchedule(ctx: ServiceContext, actor: Actor, body: PostingScheduleBody): Promise<PostingScheduleDoc> {
  assertMayManage(actor);
  const doc: PostingScheduleDoc = {
    _id: actor.accountId,
    timeZone: body.timeZone,
    slots: body.slots,
    ...(body.targets?.length ? { targets: body.targets.map((t) => ({ key: targetKey(t.target), target: t.target, slots: t.slots })) } : {}),
    updatedAt: nowOf(ctx),
    updatedBy: actor.memberId,
  };
  // Last writer wins: a schedule is replaced whole, so there is nothing to merge.
  await ctx.db.postingSchedules.replaceOne({ _id: actor.accountId }, doc, { upsert: true });
  return doc;
}

async function requireSchedule(ctx: ServiceContext, accountId: string): Promise<PostingScheduleDoc> {
  const schedule = await getSchedule(ctx, accountId);
  if (!schedule) {
    throw new UserError(
      'This account has no posting schedule yet, so there is no queue to add to. Set one with PUT /v1/queue/schedule (e.g. {"timeZone":"Europe/Berlin","slots":[{"days":["mon","tue","wed","thu","fri"],"times":["08:30","12:00"]}]}) or `/postforge queue settings`.',
      409,
    );
  }
  return schedule;
}

/**
 * The account's future claims that still hold their slot. A claim whose post ended canceled or
 * failed (canceled, discarded, expired, no credits) is deleted here, so every way a post can end
 * frees its slot without the workflow knowing about queues; so is a claim whose post was never
 * written (its request died between claiming and creating), once that is surely over.
 */
async function liveClaims(ctx: ServiceContext, accountId: string, lane: string, after: Date): Promise<QueueSlotDoc[]> {
  const claims = (
    await ctx.db.queueSlots
      .find({ accountId, at: { $gt: after } })
      .sort({ at: 1 })
      .toArray()
  ).filter((c) => laneOf(c) === lane);
  if (!claims.length) return claims;
  const posts = await ctx.db.posts.find({ _id: { $in: claims.map((c) => c.postId) } }, { projection: { _id: 1, status: 1 } }).toArray();
  const status = new Map(posts.map((p) => [p._id, p.status]));
  const orphanedBefore = nowOf(ctx).getTime() - ORPHAN_AFTER_MS;
  const dead = (c: QueueSlotDoc) => {
    const s = status.get(c.postId);
    return s === 'canceled' || s === 'failed' || (s === undefined && c.claimedAt.getTime() < orphanedBefore);
  };
  const live: QueueSlotDoc[] = [];
  for (const c of claims) {
    if (dead(c)) await ctx.db.queueSlots.deleteOne({ _id: c._id, postId: c.postId });
    else live.push(c);
  }
  return live;
}

export const laneOf = (c: Pick<QueueSlotDoc, 'accountId' | 'lane'>) => c.lane ?? c.accountId;

/**
 * The lane a post queues in, and its slots: a post to exactly one target that has slots of its own
 * uses those, in a lane of its own (`<account>#<targetKey>`); every other post the account's slots.
 */
function laneFor(schedule: PostingScheduleDoc, targetKeys: readonly string[]): { lane: string; rules: WeeklySlotRule[] } {
  const own = targetKeys.length === 1 ? schedule.targets?.find((t) => t.key === targetKeys[0]) : undefined;
  return own ? { lane: `${schedule._id}#${own.key}`, rules: own.slots } : { lane: schedule._id, rules: schedule.slots };
}

/** The next `count` free slots, as they would be handed out to a post to `targetKeys`. */
export async function nextFreeSlots(
  ctx: ServiceContext,
  accountId: string,
  count: number,
  targetKeys: readonly string[] = [],
): Promise<{ timeZone: string; slots: Date[] }> {
  const schedule = await requireSchedule(ctx, accountId);
  const { lane, rules } = laneFor(schedule, targetKeys);
  const after = new Date(nowOf(ctx).getTime() + MIN_LEAD_MS);
  const taken = new Set((await liveClaims(ctx, accountId, lane, after)).map((c) => c.at.getTime()));
  const slots: Date[] = [];
  for (const at of slotInstants(rules, schedule.timeZone, after)) {
    if (slots.length >= count) break;
    if (!taken.has(at.getTime())) slots.push(at);
  }
  return { timeZone: schedule.timeZone, slots };
}

/**
 * Takes the next free slot for `postId`. Idempotent: a post that already holds a slot gets it back
 * (`fresh: false`), so a retried request does not take a second one.
 */
export async function claimQueueSlot(
  ctx: ServiceContext,
  accountId: string,
  postId: string,
  targets: readonly Target[] = [],
): Promise<{ id: string; at: Date; fresh: boolean; timeZone: string }> {
  const schedule = await requireSchedule(ctx, accountId);
  const { lane, rules } = laneFor(schedule, targets.map(targetKey));
  const after = new Date(nowOf(ctx).getTime() + MIN_LEAD_MS);
  const claims = await liveClaims(ctx, accountId, lane, after);
  const mine = claims.find((c) => c.postId === postId);
  if (mine) return { id: mine._id, at: mine.at, fresh: false, timeZone: schedule.timeZone };
  const taken = new Set(claims.map((c) => c.at.getTime()));
  for (const at of slotInstants(rules, schedule.timeZone, after)) {
    if (taken.has(at.getTime())) continue;
    const id = slotId(lane, at);
    try {
      await ctx.db.queueSlots.insertOne({ _id: id, accountId, ...(lane !== accountId ? { lane } : {}), postId, at, claimedAt: nowOf(ctx) });
      return { id, at, fresh: true, timeZone: schedule.timeZone };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Someone took it since we read the claims: try the next one.
    }
  }
  throw queueFull();
}

const queueFull = () => new UserError('The queue is full for the next 12 months. Add slots with PUT /v1/queue/schedule, or give the post a time.', 409);

/**
 * Refuses "add to queue" up front when it cannot succeed (no schedule, or no free slot), before a
 * post binds its draft or idempotency key or pays: a refused request must leave the same draft free
 * to be scheduled at a time instead. (claimQueueSlot still decides; this only answers early.)
 */
export async function assertQueueHasRoom(ctx: ServiceContext, accountId: string, targets: readonly Target[] = []): Promise<void> {
  const { slots } = await nextFreeSlots(ctx, accountId, 1, targets.map(targetKey));
  if (!slots.length) throw queueFull();
}

/** Gives a slot back (by its claim's `_id`), if `postId` still holds it. */
export async function releaseQueueSlot(ctx: ServiceContext, claimId: string, postId: string): Promise<void> {
  await ctx.db.queueSlots.deleteOne({ _id: claimId, postId });
}

export function presentSchedule(doc: PostingScheduleDoc | null, accountId: string) {
  if (!doc) throw new NotFound(`The posting schedule of ${accountId}`);
  return {
    timeZone: doc.timeZone,
    slots: doc.slots,
    ...(doc.targets ? { targets: doc.targets.map((t) => ({ target: t.target, key: t.key, slots: t.slots })) } : {}),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
