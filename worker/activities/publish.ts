// Publishing one post to one target, at most once. The attempt is written before the request goes
// out; a later run that finds an attempt still "in flight" knows a worker died mid-request, and for
// destinations that cannot deduplicate (LinkedIn, Slack) it marks the target unconfirmed and tells
// the author instead of posting twice. Discord (nonce) and webhooks (Idempotency-Key) dedupe, so
// those are simply sent again with the same key.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { targetKey, type Target, type TargetResult } from '../../core/domain';
import type { PublishAttemptDoc } from '../../core/records';
import { PublishError } from '../publishers/errors';
import type { ActivityDeps } from './deps';
import { resolveCredentials, CredentialsMissing, CredentialsPaused } from './credentials';
import { createPublishers, type Publishers } from './publishers';

export interface PublishInput {
  postId: string;
  accountId: string;
  authorId: string;
  target: Target;
  text: string;
}

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

export const publishKey = (postId: string, target: Target): string => `publish:${postId}:${targetKey(target)}`;

export function publishActivities(deps: ActivityDeps, publishers: Publishers = createPublishers(deps.config)) {
  const { db } = deps;

  const result = (target: Target, doc: Pick<PublishAttemptDoc, 'state' | 'externalId' | 'url' | 'error'>): TargetResult => ({
    key: targetKey(target),
    target,
    outcome: doc.state === 'attempting' || doc.state === 'retry' ? 'pending' : doc.state,
    ...(doc.externalId ? { externalId: doc.externalId } : {}),
    ...(doc.url ? { url: doc.url } : {}),
    ...(doc.error ? { error: doc.error } : {}),
    at: new Date().toISOString(),
  });

  async function settle(key: string, set: Partial<PublishAttemptDoc>): Promise<void> {
    await db.publishAttempts.updateOne({ _id: key }, { $set: { ...set, updatedAt: new Date() } });
  }

  return {
    async publishToTarget(input: PublishInput): Promise<TargetResult> {
      const key = publishKey(input.postId, input.target);
      const prior = await db.publishAttempts.findOne({ _id: key });
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

      let credentials: unknown;
      try {
        credentials = await resolveCredentials(deps, input);
      } catch (err) {
        if (err instanceof CredentialsPaused) return { key: targetKey(input.target), target: input.target, outcome: 'paused', error: err.message };
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

      await db.publishAttempts.updateOne(
        { _id: key },
        {
          $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'attempting', updatedAt: new Date() },
          $inc: { attempts: 1 },
        },
        { upsert: true },
      );

      // Heartbeats while the request is out: a worker that dies here is noticed by the server within
      // the heartbeat timeout instead of the minute-long start-to-close timeout.
      const ctx = Context.current();
      const sentAt = new Date();
      // Only the first unknown outcome starts the dedupe window; later ones are repeats of it.
      const uncertain = (): Partial<PublishAttemptDoc> => (uncertainSince ? {} : { uncertainSince: sentAt });
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      try {
        const out = await publishers.publish(input.target, {
          postId: input.postId,
          text: input.text,
          idempotencyKey: key,
          credentials,
          signal: ctx.cancellationSignal,
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
    },

    /** After the last retry: the target failed, recorded so a replay does not try again. */
    async markPublishFailed(input: PublishInput & { error: string }): Promise<TargetResult> {
      const key = publishKey(input.postId, input.target);
      await db.publishAttempts.updateOne(
        { _id: key },
        { $set: { postId: input.postId, targetKey: targetKey(input.target), state: 'failed', error: input.error, updatedAt: new Date() }, $setOnInsert: { attempts: 0 } },
        { upsert: true },
      );
      return result(input.target, { state: 'failed', error: input.error });
    },
  };
}
