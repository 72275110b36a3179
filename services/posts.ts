// The post service: what every front end does with posts. Input is validated and turned into a
// clear UserError before any workflow starts, so rejected input is never charged.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Filter } from 'mongodb';
import { findOwned } from '../core/db';
import { type NotifyChannel, type PostStatus } from '../core/domain';
import { charLimitFor, composeText } from '../core/postRules';
import { claimDraftCredit, claimIsFor, draftIsPaid } from '../core/draftCredits';
import { draftChargeKey } from '../core/ledgerKeys';
import type { PostDoc } from '../core/records';
import { postWorkflowId } from '../core/temporal';
import { isValidTimeZone, parseWhen } from '../core/time';

import { insertPostRecord, type PostLinks } from '../core/postRecords';
import { approveUpdate, cancelUpdate, discardUpdate, editUpdate, regenerateUpdate, rescheduleUpdate, statusQuery } from '../workflows/messages';
import type { PostLifecycleInput, PostState } from '../core/lifecycle';
import type { Actor } from './actor';
import type { ServiceContext } from './context';
import { releasePostCredit, reservePostCredit } from './credits';
import { NotFound, UserError } from './errors';
import { checkCustomerUrls } from './outboundUrls';
import { assertQueueHasRoom, claimQueueSlot, isQueueWhen, releaseQueueSlot } from './queueSlots';
import { assertTargetsBelongTo } from './targets';
import { bindIdempotencyKey, keyBinding, requestFingerprint, scopedId, type IdempotencyKeyName } from './idempotency';
import type { CreatePostBody, PatchPostBody } from './postSchemas';

export interface Author {
  accountId: string;
  memberId: string;
  source: PostDoc['source'];
}

/** Turns `scheduledAt` or `when` into a UTC instant, or explains why it cannot. */
export function resolveSchedule(ctx: ServiceContext, body: { scheduledAt?: string | undefined; when?: string | undefined; timeZone: string }): Date {
  if (!isValidTimeZone(body.timeZone)) {
    throw new UserError(`Unknown time zone "${body.timeZone}". Use an IANA name like "Europe/Berlin".`, 400, [
      { path: 'timeZone', message: 'unknown IANA time zone' },
    ]);
  }
  const now = ctx.now?.() ?? new Date();
  if (body.scheduledAt) {
    const at = new Date(body.scheduledAt);
    if (at.getTime() <= now.getTime()) {
      throw new UserError(`scheduledAt ${body.scheduledAt} is in the past. Pick a time in the future.`, 400, [{ path: 'scheduledAt', message: 'in the past' }]);
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
  // With an Idempotency-Key (or a paid draft) the post id is derived from it, so a retried
  // request finds its post. The key is bound to this body for good (a different body is a 422).
  const keyName = opts.idempotencyKey ?? (body.draftId ? `draft:${body.draftId}` : undefined);
  const key = keyName ? { name: keyName, implicitFromDraft: !opts.idempotencyKey } : undefined;
  const postId = keyName ? scopedId(author.accountId, keyName) : randomUUID().replace(/-/g, '').slice(0, 24);
  const fingerprint = requestFingerprint(body);
  if (key) {
    // Before validating: a retry of a post that exists is answered even once its time has passed.
    const earlier = await earlierPost(ctx, author.accountId, key, fingerprint, postId);
    if (earlier) return { postId, scheduledAt: earlier.scheduledAt, created: false };
  }
  // `when: "queue"` takes the account's next free slot, claimed once the post id is known and paid.
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
  if (body.draftId && !(await draftIsPaid(ctx.db, author.accountId, body.draftId))) throw unknownDraft();
  // Before the key is bound and the draft claimed: a refused "add to queue" leaves the draft usable.
  if (queued) await assertQueueHasRoom(ctx, author.accountId, body.targets);
  if (key) await bindIdempotencyKey(ctx, author.accountId, key, fingerprint, postId);
  const chargeKey = body.draftId ? await claimDraftFor(ctx, author.accountId, body.draftId, postId) : undefined;
  // A post its draft did not pay for pays now: no credits is a 402 before anything exists.
  if (!chargeKey) await reservePostCredit(ctx, author.accountId, postId);
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
    ...(chargeKey ? { chargeKey } : { creditReserved: true }),
    recordCreated: true,
  };
  const notify: NotifyChannel = opts.notify ?? (body.notifyUrl ? { kind: 'webhook', url: body.notifyUrl } : { kind: 'none' });
  // The document exists before the workflow does, so the post can be read the moment we answer.
  await insertPostRecord(ctx.db, input, opts.links);
  try {
    await ctx.temporal.workflow.start('postLifecycle', {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: postWorkflowId(postId),
      // One post id runs once: a closed run is never started again (the default would start a
      // second run, which finds the first one's charge and publishes for free).
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [
        {
          ...input,
          draftExpiryMs: ctx.config.DRAFT_EXPIRY,
          pauseLimitMs: 7 * 86_400_000,
          maxFreeRegenerations: ctx.config.MAX_FREE_REGENERATIONS,
          armLeadMs: ctx.config.PUBLISH_ARM_LEAD,
          notify,
        },
      ],
    });
    return { postId, scheduledAt, created: true };
  } catch (err) {
    // A slot this call took for a post that did not start (or already existed) goes back.
    if (slot?.fresh) await releaseQueueSlot(ctx, slot.id, postId);
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { postId, scheduledAt, created: false };
    // A keyed post is started by the retry of this request, which finds its reservation; a random id
    // never comes again, so its credit goes back now.
    if (!key && !chargeKey) await releasePostCredit(ctx, author.accountId, postId).catch(() => undefined);
    throw err;
  }
}

const FINISHED: PostStatus[] = ['published', 'failed', 'canceled'];

/**
 * The post an earlier request with this key created, if its binding matches this body (else 422)
 * and its workflow was started. A finished post is never run again: Temporal forgets closed
 * workflows after the namespace's retention, the post's document stays. A post whose workflow never
 * started (the API died in between) is not answered, so this request starts it.
 */
async function earlierPost(ctx: ServiceContext, accountId: string, key: IdempotencyKeyName, fingerprint: string, postId: string): Promise<PostDoc | undefined> {
  const binding = await keyBinding(ctx, accountId, key, fingerprint);
  const post = await findOwned(ctx.db.posts, postId, accountId);
  if (!post) return undefined;
  if (FINISHED.includes(post.status)) return post;
  // A post made before keys were bound: its start below is refused if its workflow exists.
  if (!binding) return undefined;
  try {
    await ctx.temporal.workflow.getHandle(postWorkflowId(postId)).describe();
    return post;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}

const unknownDraft = () =>
  new UserError('That draft is unknown or was refunded, so it cannot pay for a post. Leave out draftId to pay with a new credit.', 400, [
    { path: 'draftId', message: 'no paid draft with this id' },
  ]);

/**
 * Claims a streamed draft's credit for this post and answers its ledger key. A draft pays for one
 * post only: another post naming it is refused (409), so the client can leave out draftId and pay.
 */
async function claimDraftFor(ctx: ServiceContext, accountId: string, draftId: string, postId: string): Promise<string> {
  const claim = await claimDraftCredit(ctx.db, accountId, draftId, { postId });
  if (claimIsFor(claim, accountId, postId)) return draftChargeKey(draftId);
  if (claim.by === 'stream_refund' || claim.accountId !== accountId) throw unknownDraft();
  throw new UserError(
    `That draft already paid for post ${claim.postId}; a draft pays for one post. Leave out draftId to pay for this post with a new credit.`,
    409,
    [{ path: 'draftId', message: 'already paid for another post' }],
  );
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

export type { Actor } from './actor';

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
