// Publishing one post to one target, at most once. The attempt is written before the request goes
// out; a later run that finds an attempt still "in flight" knows a worker died mid-request, and for
// destinations that cannot deduplicate (LinkedIn, Slack) it marks the target unconfirmed and tells
// the author instead of posting twice. Discord (nonce) and webhooks (Idempotency-Key) dedupe, so
// those are simply sent again with the same key.
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { isDuplicateKey } from '../../core/db';
import { groupInserter } from '../../core/groupCommit';
import { targetKey, type Target, type TargetResult } from '../../core/domain';
import { ARM_WITHDRAWN } from '../../core/postRules';
import type { PublishAttemptDoc } from '../../core/records';
import { PublishError } from '../publishers/errors';
import type { ActivityDeps } from './deps';
import { resolveCredentials, CredentialsMissing, CredentialsPaused } from './credentials';
import { createPublishers, type Publishers } from './publishers';
import { createCompletionPacer } from './completionPacer';
import { createArmBook, type CrowdReport } from './armBook';

export interface PublishInput {
  postId: string;
  accountId: string;
  authorId: string;
  target: Target;
  text: string;
  /**
   * Armed (docs/DESIGN.md, "Arm early, fire on time"): started a lead before `fireAt`, the activity
   * prepares, claims `arm:<postId>:<version>` a little before `fireAt` (worker/activities/armBook.ts),
   * waits in-process until `fireAt`, and sends only if its claim beat a withdrawal (a reschedule, edit
   * or cancel that came during the lead).
   */
  arm?: { version: number; fireAt: string };
}

export const armKey = (postId: string, version: number): string => `arm:${postId}:${version}`;

/** Destinations that drop a repeated request carrying the same key. */
function dedupesRetries(target: Target): boolean {
  return target.kind === 'webhook' || (target.kind === 'discord' && Boolean(target.channelId));
}

/**
 * How long after a send whose outcome is unknown the destination still drops a repeat of it. Discord
 * checks a message nonce (enforce_nonce) only "in the past few minutes": two minutes stays clear of
 * that edge. Webhook receivers keep Idempotency-Keys as long as they choose (README asks for a day).
 */
function dedupeWindowMs(target: Target): number {
  return target.kind === 'discord' ? DISCORD_NONCE_WINDOW_MS : Number.POSITIVE_INFINITY;
}
export const DISCORD_NONCE_WINDOW_MS = 2 * 60_000;

/** Well inside the workflow's 10 s heartbeat timeout for publishing. */
const HEARTBEAT_MS = 2_000;

/**
 * Heartbeats while armed: often enough for the server to hear one per heartbeat timeout (the SDK
 * sends at most one per 0.8 × timeout and drops the rest), no more, so thousands of armed posts cost
 * the server about N ÷ 48 s heartbeats a second with the workflow's 60 s timeout.
 */
function armedBeatMs(ctx: Context): number {
  const timeout = ctx.info.heartbeatTimeoutMs ?? 60_000;
  return Math.max(250, Math.min(10_000, Math.floor(timeout / 3)));
}

/**
 * Waits until `until()` (an epoch ms, asked again after every beat: a burst's claim time moves earlier
 * as more of it arms), heartbeating; a cancellation (or worker shutdown) ends the wait with CancelledFailure.
 */
async function waitHeartbeating(ctx: Context, until: () => number): Promise<void> {
  const every = armedBeatMs(ctx);
  for (;;) {
    ctx.heartbeat();
    const left = until() - Date.now();
    if (left <= 0) return;
    await ctx.sleep(Math.min(left, every));
  }
}

export const publishKey = (postId: string, target: Target): string => `publish:${postId}:${targetKey(target)}`;

export function publishActivities(deps: ActivityDeps, publishers: Publishers = createPublishers(deps.config)) {
  const { db } = deps;
  const pacer = createCompletionPacer(deps.config.PUBLISH_COMPLETION_RATE);
  const book = createArmBook({ claimsPerSecond: deps.config.PUBLISH_CLAIM_RATE, marginMs: deps.config.PUBLISH_CLAIM_MARGIN, onCrowdDone: tellCrowd });
  // A burst's claims come together: written a batch at a time, FerretDB's one writer commits them
  // once per batch instead of once per post (bench: lateness at 1,000 and 5,000).
  const claims = groupInserter(db.publishArms, { windowMs: 2, maxBatch: 500 });

  /**
   * Inserts the arm's outcome; whoever inserts first decides it. Returns the side that won: a claim
   * released by a worker that stopped before sending still stands against a withdrawal, and is taken
   * up again (marked fired, its send may now go out) by the next attempt of the same arm.
   */
  async function claimArm(postId: string, version: number, state: 'fired' | 'withdrawn', at: Date): Promise<'fired' | 'withdrawn'> {
    const _id = armKey(postId, version);
    if (await claims.insert({ _id, postId, state, at })) return state;
    const won = await db.publishArms.findOne({ _id });
    if (!won) throw new Error(`${_id} exists and cannot be read back`);
    if (won.state !== 'released') return won.state;
    // Only attempts of this arm write a claim after its insert, one at a time, so this cannot race.
    if (state === 'fired') await db.publishArms.updateOne({ _id, state: 'released' }, { $set: { state: 'fired', at } });
    return 'fired';
  }

  /**
   * The armed wait: the claim a little before the due instant (when the book says this worker's crowd
   * for that second must start writing), then the wait for the instant itself.
   */
  async function fireWhenDue(input: PublishInput & { arm: NonNullable<PublishInput['arm']> }): Promise<void> {
    const ctx = Context.current();
    const fireAt = Date.parse(input.arm.fireAt);
    // A retry after a worker stopped claims late by nature; only first attempts say the second was crowded.
    const entry = book.add(fireAt, { retry: ctx.info.attempt > 1 });
    let claimed = false;
    try {
      await waitHeartbeating(ctx, () => book.claimAt(fireAt));
      // The claim says when the send may go out, not when it was written (a retry's dedupe window starts then).
      // `fired` also when an earlier attempt of this very arm claimed it (a retry after a worker died).
      // Beating while a busy database takes the claim, or the server would count this worker dead.
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      const won = await claimArm(input.postId, input.arm.version, 'fired', new Date(Math.max(Date.now(), fireAt))).finally(() => clearInterval(beat));
      if (won === 'withdrawn') {
        throw ApplicationFailure.create({
          message: 'The armed send was withdrawn by a change to the post; nothing was sent.',
          type: ARM_WITHDRAWN,
          nonRetryable: true,
        });
      }
      claimed = true;
      entry.claimed(Date.now());
      await waitHeartbeating(ctx, () => fireAt);
      entry.woke(Date.now());
    } catch (err) {
      // Stopped (worker shutdown, a cancelled workflow) after claiming and before sending: say so, or
      // the next attempt would count the send as possibly made and a LinkedIn post as unconfirmed.
      // (If that write fails too, the claim stays fired: the cautious reading.)
      if (claimed) {
        await db.publishArms
          .updateOne({ _id: armKey(input.postId, input.arm.version), state: 'fired' }, { $set: { state: 'released' } })
          .catch(() => undefined);
      }
      throw err;
    } finally {
      entry.leave();
    }
  }

  /**
   * After an armed send, before its outcome is written: a burst's outcome writes and completions queue
   * at PUBLISH_COMPLETION_RATE, so its due second carries only the claims (written while every send
   * of the burst was waiting on FerretDB's one writer, they held the 5,000-post burst's p99 at 16 s).
   */
  async function paceAfterSend(): Promise<void> {
    // The send's own heartbeat keeps beating meanwhile; a cancellation (worker shutdown) ends the wait.
    await Promise.race([pacer.turn(), Context.current().cancelled]).catch(() => undefined);
  }

  const result = (target: Target, doc: Pick<PublishAttemptDoc, 'state' | 'externalId' | 'url' | 'error'>): TargetResult => ({
    key: targetKey(target),
    target,
    outcome: doc.state === 'armed' || doc.state === 'attempting' || doc.state === 'retry' ? 'pending' : doc.state,
    ...(doc.externalId ? { externalId: doc.externalId } : {}),
    ...(doc.url ? { url: doc.url } : {}),
    ...(doc.error ? { error: doc.error } : {}),
    at: new Date().toISOString(),
  });

  async function settle(key: string, set: Partial<PublishAttemptDoc>): Promise<void> {
    await db.publishAttempts.updateOne({ _id: key }, { $set: { ...set, updatedAt: new Date() } });
  }

  /** An `armed` attempt is what its arm's claim says: sent (maybe) since the claim's time if it fired, else (withdrawn, released, none) not sent. */
  async function readArmed(prior: PublishAttemptDoc): Promise<PublishAttemptDoc> {
    const claim = prior.armVersion === undefined ? null : await db.publishArms.findOne({ _id: armKey(prior.postId, prior.armVersion) });
    return claim?.state === 'fired' ? { ...prior, state: 'attempting', updatedAt: claim.at } : { ...prior, state: 'retry' };
  }

  /**
   * A plain send's first attempt: with its credentials at hand, the in-flight marker is inserted
   * under the attempt's unique `_id`, and the insert going through says that nothing was recorded
   * before. One operation where a read and an upsert were two (bench: lifecycle throughput).
   * Undefined when an attempt exists (or the credentials are not there): the caller then reads it.
   */
  async function firstAttempt(key: string, input: PublishInput): Promise<{ credentials: unknown } | undefined> {
    // Reads only: a failure here is met again, and answered, on the path that reads the attempt first.
    const credentials = await resolveCredentials(deps, input).then(
      (c) => ({ credentials: c }),
      () => undefined,
    );
    if (!credentials) return undefined;
    try {
      await db.publishAttempts.insertOne({
        _id: key,
        postId: input.postId,
        targetKey: targetKey(input.target),
        state: 'attempting',
        attempts: 1,
        updatedAt: new Date(),
      });
      return credentials;
    } catch (err) {
      if (isDuplicateKey(err)) return undefined;
      throw err;
    }
  }

  async function publishNow(input: PublishInput): Promise<TargetResult> {
    const key = publishKey(input.postId, input.target);
    const first = input.arm ? undefined : await firstAttempt(key, input);
    const stored = first ? null : await db.publishAttempts.findOne({ _id: key });
    const prior = stored?.state === 'armed' ? await readArmed(stored) : stored;
    if (prior && (prior.state === 'published' || prior.state === 'failed' || prior.state === 'unconfirmed')) {
      return result(input.target, prior);
    }
    if (prior?.state === 'attempting' && !dedupesRetries(input.target)) {
      const error = 'The worker stopped while this was being sent; it may or may not have been posted. Check before posting again.';
      await settle(key, { state: 'unconfirmed', error });
      return result(input.target, { state: 'unconfirmed', error });
    }
    // An attempt still "attempting" died mid-request at updatedAt; a "retry" may have lost its answer.
    const uncertainSince = prior?.state === 'attempting' ? (prior.uncertainSince ?? prior.updatedAt) : prior?.uncertainSince;
    if (prior && uncertainSince && Date.now() - uncertainSince.getTime() > dedupeWindowMs(input.target)) {
      const error = `An earlier send at ${uncertainSince.toISOString()} may have been posted, and ${targetKey(input.target)} no longer drops a repeat that old, so it was not sent again. Check the channel before posting again.`;
      await settle(key, { state: 'unconfirmed', error });
      return result(input.target, { state: 'unconfirmed', error });
    }

    let credentials: unknown = first?.credentials;
    let prepared = first !== undefined;
    if (input.arm) {
      // Preparation during the lead; a failure is met at the due time, as on the plain path.
      await resolveCredentials(deps, input).then(
        (c) => {
          credentials = c;
          prepared = true;
        },
        () => undefined,
      );
      // The in-flight marker is written now, in the lead: at the due time only the claim is written.
      await db.publishAttempts.updateOne(
        { _id: key },
        {
          $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'armed', armVersion: input.arm.version, updatedAt: new Date() },
          $inc: { attempts: 1 },
        },
        { upsert: true },
      );
      await fireWhenDue({ ...input, arm: input.arm });
    }
    if (!prepared) {
      try {
        credentials = await resolveCredentials(deps, input);
      } catch (err) {
        if (err instanceof CredentialsPaused) {
          // Armed, the claim fired: say plainly that nothing went out, or a later run would think it might have.
          if (input.arm) await settle(key, { state: 'retry' });
          return { key: targetKey(input.target), target: input.target, outcome: 'paused', error: err.message };
        }
        if (err instanceof CredentialsMissing) {
          await db.publishAttempts.updateOne(
            { _id: key },
            { $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'failed', attempts: 0, error: err.message, updatedAt: new Date() } },
            { upsert: true },
          );
          return result(input.target, { state: 'failed', error: err.message });
        }
        throw err;
      }
    }

    if (!input.arm && !first) {
      await db.publishAttempts.updateOne(
        { _id: key },
        {
          $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'attempting', updatedAt: new Date() },
          $inc: { attempts: 1 },
        },
        { upsert: true },
      );
    }

    // Heartbeats while the request is out: a worker that dies here is noticed by the server within
    // the heartbeat timeout instead of the minute-long start-to-close timeout.
    const ctx = Context.current();
    const sentAt = new Date();
    // Only the first unknown outcome starts the dedupe window; later ones are repeats of it.
    const uncertain = (): Partial<PublishAttemptDoc> => (uncertainSince ? {} : { uncertainSince: sentAt });
    const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
    const answered = input.arm ? pacer.sending() : undefined;
    try {
      const out = await publishers
        .publish(input.target, {
          postId: input.postId,
          text: input.text,
          idempotencyKey: key,
          credentials,
          signal: ctx.cancellationSignal,
        })
        .finally(() => {
          answered?.();
          return input.arm ? paceAfterSend() : undefined;
        });
      const done = { state: 'published' as const, externalId: out.externalId, ...(out.url ? { url: out.url } : {}) };
      await settle(key, done);
      return result(input.target, done);
    } catch (err) {
      if (!(err instanceof PublishError)) {
        // Unclassified: we cannot tell whether it landed, so only destinations that dedupe retry.
        if (dedupesRetries(input.target)) {
          await settle(key, { state: 'attempting', ...uncertain() });
          throw err;
        }
        const error = `Unexpected error while posting: ${(err as Error).message}`;
        await settle(key, { state: 'unconfirmed', error });
        return result(input.target, { state: 'unconfirmed', error });
      }
      if (err.kind === 'permanent') {
        await settle(key, { state: 'failed', error: err.message });
        return result(input.target, { state: 'failed', error: err.message });
      }
      if (err.kind === 'reconnect') {
        // Refused before anything was posted: after the reconnect the send is a fresh attempt.
        await settle(key, { state: 'retry', error: err.message, ...(err.mayHaveLanded ? uncertain() : {}) });
        return { key: targetKey(input.target), target: input.target, outcome: 'paused', error: err.message };
      }
      if (err.kind === 'unknown_outcome') {
        await settle(key, { state: 'unconfirmed', error: err.message });
        return result(input.target, { state: 'unconfirmed', error: err.message });
      }
      // Retryable: nothing landed, so the next attempt is a fresh one, not an unknown one.
      await settle(key, { state: 'retry', error: err.message, ...(err.mayHaveLanded ? uncertain() : {}) });
      throw ApplicationFailure.create({
        message: err.message,
        type: 'PublishRetryable',
        ...(err.retryAfterMs ? { nextRetryDelay: err.retryAfterMs } : {}),
      });
    } finally {
      clearInterval(beat);
    }
  }

  return {
    async publishToTarget(input: PublishInput): Promise<TargetResult> {
      return publishNow(input);
    },

    /**
     * Takes the armed send `version` back before it fires. `withdrawn: false` means it fired first:
     * the post is being sent and the change came too late.
     */
    async withdrawArm(input: { postId: string; version: number }): Promise<{ withdrawn: boolean }> {
      return { withdrawn: (await claimArm(input.postId, input.version, 'withdrawn', new Date())) === 'withdrawn' };
    },

    /** After the last retry: the target failed, recorded so a replay does not try again. */
    async markPublishFailed(input: PublishInput & { error: string }): Promise<TargetResult> {
      const key = publishKey(input.postId, input.target);
      await db.publishAttempts.updateOne(
        { _id: key },
        {
          $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'failed', error: input.error, updatedAt: new Date() },
          $setOnInsert: { attempts: 0 },
        },
        { upsert: true },
      );
      return result(input.target, { state: 'failed', error: input.error });
    },
  };
}

/**
 * A crowd of armed sends whose claims were still being written at its due time was late by that much:
 * said as a warning with what to change. A burst on time is an info line.
 */
function tellCrowd(r: CrowdReport): void {
  const due = new Date(r.dueSecond).toISOString();
  const line =
    r.lateClaims > 0
      ? `armed sends due ${due}: ${r.lateClaims} of ${r.claimed} claims were written after their due time (up to ${r.worstClaimLagMs} ms): lower PUBLISH_CLAIM_RATE to start a burst's claims earlier, or raise PUBLISH_ARM_LEAD if the burst was still arming`
      : `armed sends due ${due}: ${r.sends} armed (the last ${r.lastArmedMs} ms before), ${r.claimed} claimed from ${r.firstClaimMs} to ${r.lastClaimMs} ms before; sends started ${r.wakeLagMs.p50} / ${r.wakeLagMs.p99} / ${r.wakeLagMs.max} ms after (p50 / p99 / max)` +
        (r.retriedLate > 0 ? `; ${r.retriedLate} were retries of sends a stopped worker had armed, claimed after the due time` : '');
  try {
    if (r.lateClaims > 0) log.warn(line);
    else if (r.sends >= 100) log.info(line);
  } catch {
    // Outside an activity (a direct call in a script): nobody is listening for it.
  }
}
