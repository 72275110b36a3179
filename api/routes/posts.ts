// /v1/posts: create, list, read, change, approve and cancel posts.
import { Router } from 'express';
import { z } from 'zod';
import { POST_STATUSES } from '../../core/domain';
import type { PostDoc } from '../../core/records';
import type { ServiceContext } from '../../services/context';
import { CreatePostSchema, PatchPostSchema } from '../../services/postSchemas';
import { approvePost, cancelPost, createPost, getPost, listPosts, patchPost } from '../../services/posts';
import { caller } from '../auth';
import { parseOr400 } from '../problem';

export const ListPostsQuerySchema = z
  .object({
    status: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(z.enum(POST_STATUSES, { error: `status is one or more of ${POST_STATUSES.join(', ')}` })).optional()),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

export const IdempotencyKeySchema = z.string().min(1).max(255, 'an Idempotency-Key is at most 255 characters').optional();

export const PostIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'a post id is 24 hex characters');

/** What clients see of a post. */
export function presentPost(p: PostDoc, withHistory = false) {
  return {
    id: p._id,
    status: p.status,
    source: p.source,
    topic: p.topic,
    content: p.content,
    hashtags: p.hashtags,
    bestTime: p.bestTime,
    generator: p.generator,
    targets: p.targets,
    scheduledAt: p.scheduledAt.toISOString(),
    timeZone: p.timeZone,
    reason: p.reason,
    results: p.results,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    ...(withHistory ? { history: p.history.map((h) => ({ ...h, at: h.at.toISOString() })) } : {}),
  };
}

export function postsRouter(ctx: ServiceContext): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const body = parseOr400(CreatePostSchema, req.body, res);
    if (!body) return;
    const who = caller(res);
    const idempotencyKey = parseOr400(IdempotencyKeySchema, req.get('idempotency-key'), res, 'Idempotency-Key header');
    if (res.headersSent) return;
    const out = await createPost(ctx, { accountId: who.accountId, memberId: who.memberId, source: 'api' }, body, {
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    res
      .status(out.created ? 202 : 200)
      .location(`/v1/posts/${out.postId}`)
      .json({
        id: out.postId,
        scheduledAt: out.scheduledAt.toISOString(),
        status: out.created ? 'accepted' : 'exists',
        links: { self: `/v1/posts/${out.postId}` },
      });
  });

  r.get('/', async (req, res) => {
    const q = parseOr400(ListPostsQuerySchema, req.query, res, 'query');
    if (!q) return;
    const { posts, total } = await listPosts(ctx, caller(res).accountId, {
      ...(q.status ? { status: q.status } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ posts: posts.map((p) => presentPost(p)), total, limit: q.limit, offset: q.offset });
  });

  r.get('/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    res.json(presentPost(await getPost(ctx, caller(res).accountId, id), true));
  });

  r.patch('/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    const body = parseOr400(PatchPostSchema, req.body, res);
    if (!body) return;
    res.json(await patchPost(ctx, caller(res), id, body));
  });

  r.post('/:id/approve', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    res.json(await approvePost(ctx, caller(res), id));
  });

  r.delete('/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    res.json(await cancelPost(ctx, caller(res), id));
  });

  return r;
}
