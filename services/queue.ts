// The posting queue as the front ends use it: schedule, next free slots, add to queue (the slot
// claiming lives in services/queueSlots.ts, which services/posts.ts uses), and cancel that frees a
// slot and optionally moves the later posts up.
import { isDuplicateKey } from '../core/db';
import type { PostState } from '../core/lifecycle';
import { UserError } from './errors';
import type { ServiceContext } from './context';
import { cancelPost, patchPost, type Actor } from './posts';
import { MIN_LEAD_MS, laneOf, nowOf, releaseQueueSlot, slotId } from './queueSlots';

export {
  CancelQueuedQuerySchema,
  NextSlotsQuerySchema,
  PostingScheduleSchema,
  claimQueueSlot,
  getSchedule,
  isQueueWhen,
  nextFreeSlots,
  presentSchedule,
  putSchedule,
  releaseQueueSlot,
  type PostingScheduleBody,
} from './queueSlots';

export interface CancelQueuedResult {
  state: PostState;
  /** Later posts moved up into the freed slots, in order. */
  moved: { postId: string; from: string; to: string }[];
}

/**
 * Cancels a queued post and frees its slot. With `shiftUp`, each later queued post of the account
 * moves one slot up, one reschedule Update at a time, so the queue keeps no hole. A post the actor
 * may not change (someone else's, without admin) or that can no longer move stays where it is.
 */
export async function cancelQueuedPost(ctx: ServiceContext, actor: Actor, postId: string, opts: { shiftUp: boolean }): Promise<CancelQueuedResult> {
  const claim = (await ctx.db.queueSlots.find({ accountId: actor.accountId, postId }).toArray())[0];
  const state = await cancelPost(ctx, actor, postId);
  const moved: CancelQueuedResult['moved'] = [];
  if (!claim) return { state, moved };
  await releaseQueueSlot(ctx, claim._id, postId);
  if (!opts.shiftUp) return { state, moved };

  // Later posts of the same lane (the account's, or the target's own) move up.
  const lane = laneOf(claim);
  let free = claim.at;
  const later = (
    await ctx.db.queueSlots
      .find({ accountId: actor.accountId, at: { $gt: claim.at } })
      .sort({ at: 1 })
      .toArray()
  ).filter((c) => laneOf(c) === lane);
  for (const next of later) {
    if (free.getTime() <= nowOf(ctx).getTime() + MIN_LEAD_MS) break;
    try {
      await ctx.db.queueSlots.insertOne({
        _id: slotId(lane, free),
        accountId: actor.accountId,
        ...(next.lane ? { lane: next.lane } : {}),
        postId: next.postId,
        at: free,
        claimedAt: nowOf(ctx),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      break; // a new post took the freed slot first: nothing left to shift into
    }
    try {
      await patchPost(ctx, actor, next.postId, { scheduledAt: free.toISOString() });
    } catch (err) {
      await releaseQueueSlot(ctx, slotId(lane, free), next.postId);
      if (err instanceof UserError) continue;
      throw err;
    }
    await releaseQueueSlot(ctx, next._id, next.postId);
    moved.push({ postId: next.postId, from: next.at.toISOString(), to: free.toISOString() });
    free = next.at;
  }
  return { state, moved };
}
