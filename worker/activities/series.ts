// One occurrence of a series: the post it starts, written down before the post's workflow runs.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { balanceOf } from '../../core/ledger';
import { insertPostRecord } from '../../core/postRecords';
import { seriesScheduleId } from '../../core/temporal';
import type { PostLifecycleInput } from '../../core/lifecycle';
import type { ActivityDeps } from './deps';
import type { NotifyChannel } from './notify';

export type SeriesOccurrencePlan =
  | { kind: 'gone' }
  | { kind: 'done'; postId: string }
  | { kind: 'post'; input: PostLifecycleInput; notify: NotifyChannel; draftExpiryMs: number; pausedForCredits: boolean };

/** How many earlier posts an occurrence's prompt sees, and how much of each. */
const EARLIER_POSTS = 3;
const EARLIER_CHARS = 280;

/** The post of one occurrence: the same occurrence id always gives the same post. */
export const seriesOccurrencePostId = (seriesId: string, occurrenceId: string): string =>
  createHash('sha256').update(`series\0${seriesId}\0${occurrenceId}`).digest('hex').slice(0, 24);

export function seriesActivities({ db, config }: ActivityDeps) {
  return {
    /**
     * The post of this occurrence (its id derived from the occurrence, so a retry finds the same
     * post). With no credits left the Schedule pauses itself; the post is still started, so its
     * ordinary "no credits" failure (nothing charged) tells the owner where they look.
     */
    async prepareSeriesOccurrence(req: { seriesId: string; occurrenceId: string }): Promise<SeriesOccurrencePlan> {
      const series = await db.series.findOne({ _id: req.seriesId });
      if (!series) return { kind: 'gone' };
      const postId = seriesOccurrencePostId(req.seriesId, req.occurrenceId);
      // The occurrence id carries its nominal time, and Temporal starts that id again when the same
      // period is backfilled twice. A post already past 'generating' had its workflow: starting
      // another on it would draft a published post again and refund its charge on expiry.
      const existing = await db.posts.findOne({ _id: postId }, { projection: { status: 1 } });
      if (existing && existing.status !== 'generating') return { kind: 'done', postId };

      // Drafts vary: the prompt sees the last few posts of the series, to say something new.
      const recent = await db.seriesPosts
        .find({ seriesId: series._id })
        .sort({ at: -1 })
        .limit(EARLIER_POSTS + 1)
        .toArray();
      const earlierIds = recent
        .filter((r) => r._id !== postId)
        .slice(0, EARLIER_POSTS)
        .map((r) => r._id);
      const earlier = earlierIds.length ? await db.posts.find({ _id: { $in: earlierIds } }).toArray() : [];
      const texts = earlierIds.map((id) => earlier.find((p) => p._id === id)?.content).filter((t): t is string => Boolean(t));
      const context = texts.length
        ? `This is one post of a recurring series. Earlier posts of the series, newest first; write something new and do not repeat their points or openings: ${texts.map((t, i) => `(${i + 1}) "${t.slice(0, EARLIER_CHARS)}"`).join(' ')}`
        : '';
      const instructions = [series.instructions, context].filter(Boolean).join('\n');

      const now = new Date();
      const input: PostLifecycleInput = {
        postId,
        accountId: series.accountId,
        authorId: series.authorId,
        source: series.source,
        topic: series.theme,
        tone: series.tone,
        language: series.language,
        ...(instructions ? { instructions } : {}),
        targets: series.targets,
        // Due now: published as soon as it is drafted, or approved.
        scheduledAt: now.toISOString(),
        timeZone: series.timeZone,
        requireApproval: series.requireApproval,
      };
      await insertPostRecord(db, input);
      await db.seriesPosts.insertOne({ _id: postId, seriesId: series._id, accountId: series.accountId, at: now }).catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err;
      });

      let pausedForCredits = false;
      if ((await balanceOf(db, series.accountId)) < 1) {
        const reason = 'no credits: the series paused itself. Buy a pack (/postforge credits, /credits or POST /v1/checkout), then resume it.';
        await Context.current().client.schedule.getHandle(seriesScheduleId(series._id)).pause(reason);
        await db.series.updateOne({ _id: series._id }, { $set: { pausedReason: reason, updatedAt: now } });
        pausedForCredits = true;
      }
      return { kind: 'post', input, notify: series.notify, draftExpiryMs: series.draftExpiryMs ?? config.DRAFT_EXPIRY, pausedForCredits };
    },
  };
}
