// The post service: what every front end does with posts. Input is validated and turned into a
// clear UserError before any workflow starts, so rejected input is never charged.
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Filter } from 'mongodb';
import { findOwned } from '../core/db';
import { charLimitFor, composeText } from '../core/domain';
import type { PostDoc } from '../core/records';
import { postWorkflowId } from '../core/temporal';
import { isValidTimeZone, parseWhen } from '../core/time';
import type { NotifyChannel } from '../worker/activities/notify';
import { insertPostRecord, type PostLinks } from '../core/postRecords';
import { approveUpdate, cancelUpdate, discardUpdate, editUpdate, regenerateUpdate, rescheduleUpdate, statusQuery } from '../workflows/messages';
import type { PostLifecycleInput, PostState } from '../workflows/types';
import type { ServiceContext } from './context';
import { NotFound, UserError } from './errors';
import { checkCustomerUrls } from './outboundUrls';
import { claimQueueSlot, isQueueWhen, releaseQueueSlot } from './queueSlots';
import { assertTargetsBelongTo } from './targets';
import type { CreatePostBody, PatchPostBody } from './postSchemas';

export interface Author {
  accountId: string;
  memberId: string;
  source: PostDoc['source'];
}

/** Turns `scheduledAt` or `when` into a UTC instant, or explains why it cannot. */
export function resolveSchedule(
  ctx: ServiceContext,
  body: { scheduledAt?: string | undefined; when?: string | undefined; timeZone: string },
): Date {
  if (!isValidTimeZone(body.timeZone)) {
    throw new UserError(`Unknown time zone "${body.timeZone}". Use an IANA name like "Europe/Berlin".`, 400, [
      { path: 'timeZone', message: 'unknown IANA time zone' },
    ]);
  }
  const now = ctx.now?.() ?? new Date();
  if (body.scheduledAt) {
    const at = new Date(body.scheduledAt);
    if (at.getTime() <= now.getTime()) {
      throw new UserError(`scheduledAt ${body.scheduledAt} is in the past. Pick a time in the future.`, 400, [
        { path: 'scheduledAt', message: 'in the past' },
      ]);
    }
    return at;
  }
  if (body.when) {
    const parsed = parseWhen(body.when, { timeZone: body.timeZone, now });
    if (!parsed.ok) throw new UserError(parsed.error, 400, [{ path: 'when', message: parsed.error }]);
    return parsed.at;
  }
  return now;
}

export async function createPost(
  ctx: ServiceContext,
  author: Author,
  body: CreatePostBody,
  opts: { idempotencyKey?: string; notify?: NotifyChannel; links?: PostLinks } = {},
): Promise<{ postId: string; scheduledAt: Date; created: boolean }> {
  // `when: "queue"` takes the account's next free slot, claimed once the post id is known.
  const queued = isQueueWhen(body.when);
  let scheduledAt = queued ? new Date(0) : resolveSchedule(ctx, body);
  checkCustomerUrls(ctx.config, body);
  const limit = charLimitFor(body.targets);
  if (body.text !== undefined && composeText(body.text, body.hashtags ?? []).length > limit) {
    throw new UserError(`The text is too long for these targets: at most ${limit} characters including hashtags.`, 400, [
      { path: 'text', message: `longer than ${limit} characters` },
    ]);
  }
  await assertTargetsBelongTo(ctx, author.accountId, body.targets);
  const chargeKey = body.draftId ? await claimableDraftCharge(ctx, author.accountId, body.draftId) : undefined;
  // With an Idempotency-Key (or a paid draft) the post id is derived from it, so a retried
  // request finds its post, and one draft can pay for one post only.
  const derivedFrom = opts.idempotencyKey ?? (body.draftId ? `draft:${body.draftId}` : undefined);
  const postId = derivedFrom
    ? createHash('sha256').update(`${author.accountId}\0${derivedFrom}`).digest('hex').slice(0, 24)
    : randomUUID().replace(/-/g, '').slice(0, 24);
  const slot = queued ? await claimQueueSlot(ctx, author.accountId, postId, body.targets) : undefined;
  if (slot) scheduledAt = slot.at;
  const input: PostLifecycleInput = {
    postId,
    accountId: author.accountId,
    authorId: author.memberId,
    source: author.source,
    ...(body.text !== undefined ? { text: body.text } : {}),
    ...(body.topic !== undefined ? { topic: body.topic } : {}),
    tone: body.tone,
    language: body.language,
    ...(body.instructions !== undefined ? { instructions: body.instructions } : {}),
    ...(body.hashtags ? { hashtags: body.hashtags } : {}),
    targets: body.targets,
    scheduledAt: scheduledAt.toISOString(),
    timeZone: body.timeZone,
    requireApproval: body.requireApproval,
    ...(chargeKey ? { chargeKey } : {}),
  };
  const notify: NotifyChannel = opts.notify ?? (body.notifyUrl ? { kind: 'webhook', url: body.notifyUrl } : { kind: 'none' });
  // The document exists before the workflow does, so the post can be read the moment we answer.
  await insertPostRecord(ctx.db, input, opts.links);
  try {
    await ctx.temporal.workflow.start('postLifecycle', {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: postWorkflowId(postId),
      args: [{ ...input, draftExpiryMs: ctx.config.DRAFT_EXPIRY, pauseLimitMs: 7 * 86_400_000, notify }],
    });
    return { postId, scheduledAt, created: true };
  } catch (err) {
    // A slot this call took for a post that did not start (or already existed) goes back.
    if (slot?.fresh) await releaseQueueSlot(ctx, slot.id, postId);
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { postId, scheduledAt, created: false };
    throw err;
  }
}

/** The ledger key of a streamed draft's charge, if it is this account's and was not refunded. */
async function claimableDraftCharge(ctx: ServiceContext, accountId: string, draftId: string): Promise<string> {
  const key = `charge:draft:${draftId}`;
  const [charge, refund] = await Promise.all([
    findOwned(ctx.db.ledger, key, accountId),
    ctx.db.ledger.findOne({ _id: `refund:draft:${draftId}` }),
  ]);
  if (!charge || refund) {
    throw new UserError('That draft is unknown or was refunded, so it cannot pay for a post. Leave out draftId to pay with a new credit.', 400, [
      { path: 'draftId', message: 'no paid draft with this id' },
    ]);
  }
  return key;
}

export async function getPost(ctx: ServiceContext, accountId: string, postId: string): Promise<PostDoc> {
  // Scoped to the account: another account's post is simply not found.
  const doc = await findOwned(ctx.db.posts, postId, accountId);
  if (!doc) throw new NotFound(`Post ${postId}`);
  return doc;
}

export interface ListPostsQuery {
  status?: PostDoc['status'][];
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export async function listPosts(ctx: ServiceContext, accountId: string, q: ListPostsQuery): Promise<{ posts: PostDoc[]; total: number }> {
  const filter: Filter<PostDoc> = { accountId };
  if (q.status?.length) filter.status = { $in: q.status };
  if (q.from || q.to) filter.scheduledAt = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  const [posts, total] = await Promise.all([
    ctx.db.posts.find(filter).sort({ scheduledAt: -1 }).skip(q.offset).limit(q.limit).toArray(),
    ctx.db.posts.countDocuments(filter),
  ]);
  return { posts, total };
}

/**
 * Who is changing a post: a member of its account, and whether they are an admin of it (a Slack
 * workspace admin, owner or installer, a Discord member with the manager permission, or an admin
 * API key). A post goes out under its author's name, so only they or an admin may change it.
 */
export interface Actor {
  accountId: string;
  memberId: string;
  isAdmin: boolean;
}

/** The post, if `actor` may change it: its author, or an admin of its account. */
export async function getPostToChange(ctx: ServiceContext, actor: Actor, postId: string): Promise<PostDoc> {
  const post = await getPost(ctx, actor.accountId, postId);
  if (post.authorId !== actor.memberId && !actor.isAdmin) {
    throw new UserError(
      `Only the author of post ${postId} or an admin of this workspace can change it: it is published under the author's name. Ask them, or an admin.`,
      403,
    );
  }
  return post;
}

async function update(
  ctx: ServiceContext,
  actor: Actor,
  postId: string,
  run: (handle: ReturnType<ServiceContext['temporal']['workflow']['getHandle']>) => Promise<PostState>,
): Promise<PostState> {
  await getPostToChange(ctx, actor, postId);
  try {
    return await run(ctx.temporal.workflow.getHandle(postWorkflowId(postId)));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      // The workflow's validator said no, with a reason meant for the author.
      throw new UserError(err.cause?.message ?? err.message, 409);
    }
    if ((err as Error).name === 'WorkflowNotFoundError') throw new UserError(`Post ${postId} has already finished; it can no longer change.`, 409);
    throw err;
  }
}

export async function patchPost(ctx: ServiceContext, actor: Actor, postId: string, body: PatchPostBody): Promise<PostState> {
  const post = await getPostToChange(ctx, actor, postId);
  let state: PostState | undefined;
  if (body.content !== undefined || body.hashtags !== undefined) {
    state = await update(ctx, actor, postId, (h) =>
      h.executeUpdate(editUpdate, {
        args: [{ ...(body.content !== undefined ? { content: body.content } : {}), ...(body.hashtags !== undefined ? { hashtags: body.hashtags } : {}) }],
      }),
    );
  }
  if (body.scheduledAt !== undefined || body.when !== undefined) {
    const at = resolveSchedule(ctx, { scheduledAt: body.scheduledAt, when: body.when, timeZone: body.timeZone ?? post.timeZone });
    state = await update(ctx, actor, postId, (h) => h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: at.toISOString() }] }));
  }
  if (!state) throw new UserError('Nothing to change.');
  return state;
}

export const approvePost = (ctx: ServiceContext, actor: Actor, postId: string): Promise<PostState> =>
  update(ctx, actor, postId, (h) => h.executeUpdate(approveUpdate));

export const cancelPost = (ctx: ServiceContext, actor: Actor, postId: string): Promise<PostState> =>
  update(ctx, actor, postId, (h) => h.executeUpdate(cancelUpdate));

export const discardPost = (ctx: ServiceContext, actor: Actor, postId: string): Promise<PostState> =>
  update(ctx, actor, postId, (h) => h.executeUpdate(discardUpdate));

export const regeneratePost = (ctx: ServiceContext, actor: Actor, postId: string, instructions?: string): Promise<PostState> =>
  update(ctx, actor, postId, (h) => h.executeUpdate(regenerateUpdate, { args: [instructions ? { instructions } : {}] }));

/** The workflow's live state (the document may lag it by one activity). Reading needs no authorship. */
export async function postState(ctx: ServiceContext, accountId: string, postId: string): Promise<PostState> {
  await getPost(ctx, accountId, postId);
  return ctx.temporal.workflow.getHandle(postWorkflowId(postId)).query(statusQuery);
}
