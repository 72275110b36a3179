// Post documents: the record the API lists from, written at every state change.
import type { PostStatus, TargetResult } from '../../core/domain';
import type { PostDoc } from '../../core/records';
import type { PostLifecycleInput } from '../../core/lifecycle';
import { markPostsChanged } from '../../core/postChanges';
import { insertPostRecord } from '../../core/postRecords';
import type { ActivityDeps } from './deps';

export interface PostEvent {
  postId: string;
  /** The post's account (posts started before workflows passed it leave it out): the write need not read the document back for it. */
  accountId?: string;
  status: PostStatus;
  event: string;
  detail?: string;
  patch?: {
    content?: string;
    hashtags?: string[];
    bestTime?: string;
    generator?: PostDoc['generator'];
    scheduledAt?: string;
    reason?: string;
    results?: TargetResult[];
  };
}

export function postActivities({ db }: ActivityDeps) {
  return {
    /** Creates the post's document once; a retry (or the API, which wrote it first) leaves it alone. */
    async createPostRecord(input: PostLifecycleInput): Promise<void> {
      await insertPostRecord(db, input);
    },

    /** Writes a state change and appends it to the post's history. */
    async recordPostEvent(e: PostEvent): Promise<void> {
      const now = new Date();
      const set: Partial<PostDoc> = { status: e.status, updatedAt: now };
      const p = e.patch ?? {};
      if (p.content !== undefined) set.content = p.content;
      if (p.hashtags !== undefined) set.hashtags = p.hashtags;
      if (p.bestTime !== undefined) set.bestTime = p.bestTime;
      if (p.generator !== undefined) set.generator = p.generator;
      if (p.scheduledAt !== undefined) set.scheduledAt = new Date(p.scheduledAt);
      if (p.reason !== undefined) set.reason = p.reason;
      if (p.results !== undefined) set.results = p.results;
      const update = {
        $set: set,
        $push: { history: { at: now, status: e.status, event: e.event, ...(e.detail ? { detail: e.detail } : {}) } },
      };
      // Never throws: a retry of this activity would append the history entry twice.
      if (e.accountId) {
        // A plain update: findAndModify would send the whole document back (its history included) only for its account.
        const { matchedCount } = await db.posts.updateOne({ _id: e.postId }, update);
        if (matchedCount > 0) await markPostsChanged(db, e.accountId, now);
        return;
      }
      // No projection: FerretDB v1's findAndModify does not implement one.
      const before = await db.posts.findOneAndUpdate({ _id: e.postId }, update);
      if (before) await markPostsChanged(db, before.accountId, now);
    },
  };
}
