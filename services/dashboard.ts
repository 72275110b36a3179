// What the web dashboard reads besides single posts: a filtered, searchable list, the overview's
// numbers, and the cheap "what changed since" feed the page polls to stay live.
import type { Filter } from 'mongodb';
import { balanceOf } from '../core/ledger';
import { postsChangedAt } from '../core/postChanges';
import type { PostStatus, TargetKind } from '../core/domain';
import type { PostDoc } from '../core/records';
import type { ServiceContext } from './context';

/**
 * How many of an account's posts one dashboard read looks at. Target and text filters run here,
 * not in the database: FerretDB v1 would scan for them anyway (only `{_id}` is an index lookup).
 */
export const SCAN_LIMIT = 1000;

export interface DashboardPostsQuery {
  status?: PostStatus[];
  target?: TargetKind;
  search?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export async function searchPosts(ctx: ServiceContext, accountId: string, q: DashboardPostsQuery): Promise<PostDoc[]> {
  const filter: Filter<PostDoc> = { accountId };
  if (q.status?.length) filter.status = { $in: q.status };
  if (q.from || q.to) filter.scheduledAt = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  const posts = await ctx.db.posts.find(filter).sort({ scheduledAt: -1 }).limit(SCAN_LIMIT).toArray();
  const needle = q.search?.trim().toLowerCase();
  return posts
    .filter((p) => !q.target || p.targets.some((t) => t.kind === q.target))
    .filter((p) => !needle || [p.topic, p.content, ...p.hashtags].some((s) => s?.toLowerCase().includes(needle)))
    .slice(0, q.limit);
}

export interface Overview {
  counts: Record<PostStatus, number>;
  next: PostDoc[];
  credits: number;
  /** Published ÷ (published + failed), or null before anything finished. */
  successRate: number | null;
}

export async function overview(ctx: ServiceContext, accountId: string): Promise<Overview> {
  const now = ctx.now?.() ?? new Date();
  const [posts, credits] = await Promise.all([
    ctx.db.posts
      .find({ accountId }, { projection: { _id: 1, status: 1, scheduledAt: 1 } })
      .limit(SCAN_LIMIT * 10)
      .toArray(),
    balanceOf(ctx.db, accountId),
  ]);
  const counts: Record<PostStatus, number> = { generating: 0, draft: 0, scheduled: 0, publishing: 0, published: 0, failed: 0, canceled: 0 };
  for (const p of posts) counts[p.status] += 1;
  const nextIds = posts
    .filter((p) => (p.status === 'scheduled' || p.status === 'draft') && p.scheduledAt.getTime() >= now.getTime() - 60_000)
    .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime())
    .slice(0, 5)
    .map((p) => p._id);
  const next = nextIds.length ? await ctx.db.posts.find({ _id: { $in: nextIds } }).toArray() : [];
  next.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
  const finished = counts.published + counts.failed;
  return { counts, next, credits, successRate: finished ? counts.published / finished : null };
}

/**
 * Posts of the account whose document changed after `since`: what the page must refresh. Asks the
 * account's change marker first (a lookup by `_id`) and scans the posts only when it moved, or when
 * the caller asks for a `rescan` (the marker is a hint; see core/postChanges.ts).
 */
export async function changedSince(
  ctx: ServiceContext,
  accountId: string,
  since: Date,
  opts: { rescan?: boolean } = {},
): Promise<Pick<PostDoc, '_id' | 'status' | 'scheduledAt' | 'updatedAt'>[]> {
  if (!opts.rescan) {
    const at = await postsChangedAt(ctx.db, accountId);
    if (!at || at.getTime() <= since.getTime()) return [];
  }
  return ctx.db.posts
    .find({ accountId, updatedAt: { $gt: since } }, { projection: { _id: 1, status: 1, scheduledAt: 1, updatedAt: 1 } })
    .sort({ updatedAt: 1 })
    .limit(200)
    .toArray();
}
