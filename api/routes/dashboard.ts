// /app/login and /app/api/*: the web dashboard's sign-in and its session-authenticated JSON. Thin:
// every change goes through services/posts.ts with the session's Actor, so the same rules hold as
// in Slack, Discord and the API (a member changes their own posts, an admin any of the account's).
import { Router, json, type Request } from 'express';
import { z } from 'zod';
import { POST_STATUSES, type TargetKind } from '../../core/domain';
import { CHAR_LIMITS } from '../../core/postRules';
import { balanceOf, listTransactions } from '../../services/credits';
import { formatPrice } from '../../core/packs';
import type { PostDoc } from '../../core/records';
import type { ServiceContext } from '../../services/context';
import { changedSince, overview, searchPosts } from '../../services/dashboard';
import { consumeDashboardLink, endDashboardSession, type DashboardSession, type LinkRefusal } from '../../services/dashboardSessions';
import { NotFound } from '../../services/errors';
import { CreatePostSchema, PatchPostSchema } from '../../services/postSchemas';
import { approvePost, cancelPost, createPost, getPost, patchPost, regeneratePost } from '../../services/posts';
import { createCheckout } from '../../services/purchases';
import { htmlPage } from '../html';
import { parseOr400 } from '../problem';
import { clearSessionCookies, requireCsrf, requireSession, session, setSessionCookies } from '../session';
import { CheckoutBodySchema } from './checkout';
import { queueRouter } from './queue';
import { seriesRouter } from './series';
import { GenerateStreamSchema, sendDraftStream } from './generate';
import { PostIdSchema, presentPost } from './posts';

const TARGET_KINDS = Object.keys(CHAR_LIMITS) as [TargetKind, ...TargetKind[]];

export const DashboardPostsQuerySchema = z
  .object({
    status: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(z.enum(POST_STATUSES, { error: `status is one or more of ${POST_STATUSES.join(', ')}` })).optional()),
    target: z.enum(TARGET_KINDS, { error: `target is one of ${TARGET_KINDS.join(', ')}` }).optional(),
    q: z.string().trim().max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const ChangesQuerySchema = z
  .object({
    /** The cursor from the previous answer; leave it out to get a cursor for "now" (the server's clock, not the browser's). */
    since: z.iso.datetime({ offset: true }).optional(),
    rescan: z.enum(['0', '1']).optional(),
  })
  .strict();
const RegenerateBodySchema = z.object({ instructions: z.string().trim().max(1000).optional() }).strict();

const REFUSALS: Record<LinkRefusal, { status: number; title: string; body: string }> = {
  unknown: { status: 400, title: 'This sign-in link is not valid', body: 'The link is incomplete or was never issued here.' },
  expired: { status: 410, title: 'This sign-in link has expired', body: 'Sign-in links work for 5 minutes.' },
  used: { status: 410, title: 'This sign-in link was already used', body: 'Each sign-in link opens one session, once.' },
};
const HOW_TO_GET_A_LINK =
  '<p>Get a new one with <code>/postforge dashboard</code> in Slack, <code>/dashboard</code> in Discord, or <em>Open dashboard</em> in the browser extension.</p>';

/** What the dashboard shows of a post: the API's view, plus who wrote it and whether this member may change it. */
function presentFor(s: DashboardSession, p: PostDoc, withHistory = false) {
  return { ...presentPost(p, withHistory), authorId: p.authorId, mine: p.authorId === s.memberId, canChange: s.isAdmin || p.authorId === s.memberId };
}

export function dashboardRouter(ctx: ServiceContext): Router {
  const app = Router();

  app.get('/app/login', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const out = await consumeDashboardLink(ctx, token);
    // The token is in the URL: never cache this answer, never leak it onward.
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    if (!out.ok) {
      const r = REFUSALS[out.reason];
      return void res
        .status(r.status)
        .type('html')
        .send(htmlPage(r.title, `<p>${r.body}</p>${HOW_TO_GET_A_LINK}`));
    }
    setSessionCookies(req, res, out);
    // `next` names a page of the dashboard (the extension links to /app/schedule); never a URL.
    const next = typeof req.query.next === 'string' && /^[a-z]{1,20}$/.test(req.query.next) ? req.query.next : '';
    res.redirect(303, `/app/${next}`);
  });

  const api = Router();
  api.use(json({ limit: '64kb' }));
  api.use(requireSession(ctx));
  api.use(requireCsrf);

  api.get('/me', async (_req, res) => {
    const s = session(res);
    const account = await ctx.db.accounts.findOne({ _id: s.accountId });
    if (!account) throw new NotFound(`Account ${s.accountId}`);
    res.json({
      account: { id: account._id, kind: account.kind, name: account.name },
      member: { id: s.memberId, role: s.isAdmin ? 'admin' : 'member' },
      timeZone: s.timeZone,
      credits: await balanceOf(ctx.db, s.accountId),
      sessionExpiresAt: s.expiresAt.toISOString(),
    });
  });

  api.post('/logout', async (req, res) => {
    await endDashboardSession(ctx, session(res));
    clearSessionCookies(req, res);
    res.status(204).end();
  });

  api.get('/overview', async (_req, res) => {
    const s = session(res);
    const o = await overview(ctx, s.accountId);
    res.json({ counts: o.counts, next: o.next.map((p) => presentFor(s, p)), credits: o.credits, successRate: o.successRate });
  });

  api.get('/posts', async (req, res) => {
    const q = parseOr400(DashboardPostsQuerySchema, req.query, res, 'query');
    if (!q) return;
    const s = session(res);
    const posts = await searchPosts(ctx, s.accountId, {
      ...(q.status ? { status: q.status } : {}),
      ...(q.target ? { target: q.target } : {}),
      ...(q.q ? { search: q.q } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      limit: q.limit,
    });
    res.json({ posts: posts.map((p) => presentFor(s, p)) });
  });

  api.post('/posts', async (req, res) => {
    const body = parseOr400(CreatePostSchema, req.body, res);
    if (!body) return;
    const s = session(res);
    const out = await createPost(ctx, { accountId: s.accountId, memberId: s.memberId, source: 'web' }, body, idempotency(req));
    res.status(out.created ? 202 : 200).json({ id: out.postId, scheduledAt: out.scheduledAt.toISOString() });
  });

  api.get('/posts/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    const s = session(res);
    res.json(presentFor(s, await getPost(ctx, s.accountId, id), true));
  });

  api.patch('/posts/:id', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    const body = parseOr400(PatchPostSchema, req.body, res);
    if (!body) return;
    res.json(await patchPost(ctx, session(res), id, body));
  });

  api.post('/posts/:id/approve', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    res.json(await approvePost(ctx, session(res), id));
  });

  api.post('/posts/:id/regenerate', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    const body = parseOr400(RegenerateBodySchema, req.body ?? {}, res);
    if (!body) return;
    res.json(await regeneratePost(ctx, session(res), id, body.instructions));
  });

  api.post('/posts/:id/cancel', async (req, res) => {
    const id = parseOr400(PostIdSchema, req.params.id, res, 'post id');
    if (!id) return;
    res.json(await cancelPost(ctx, session(res), id));
  });

  api.get('/changes', async (req, res) => {
    const q = parseOr400(ChangesQuerySchema, req.query, res, 'query');
    if (!q) return;
    if (!q.since) return void res.json({ changes: [], cursor: (ctx.now?.() ?? new Date()).toISOString() });
    const since = new Date(q.since);
    const changed = await changedSince(ctx, session(res).accountId, since, { rescan: q.rescan === '1' });
    res.json({
      changes: changed.map((p) => ({ id: p._id, status: p.status, scheduledAt: p.scheduledAt.toISOString(), updatedAt: p.updatedAt.toISOString() })),
      // The next ?since=: the newest change seen, or the same instant when nothing changed.
      cursor: (changed.at(-1)?.updatedAt ?? since).toISOString(),
    });
  });

  api.get('/credits', async (_req, res) => {
    const s = session(res);
    const [balance, entries] = await Promise.all([balanceOf(ctx.db, s.accountId), listTransactions(ctx.db, s.accountId, { limit: 100 })]);
    res.json({
      balance,
      transactions: entries.map((e) => ({
        id: e._id,
        seq: e.seq,
        amount: e.amount,
        balanceAfter: e.balanceAfter,
        kind: e.kind,
        reason: e.reason,
        postId: e.postId,
        at: e.at.toISOString(),
      })),
      packs: ctx.config.CREDIT_PACKS.map((p) => ({ id: p.id, name: p.name, credits: p.credits, price: formatPrice(p) })),
    });
  });

  api.post('/checkout', async (req, res) => {
    const body = parseOr400(CheckoutBodySchema, req.body, res);
    if (!body) return;
    const s = session(res);
    const out = await createCheckout(ctx, { accountId: s.accountId, memberId: s.memberId }, body.pack);
    res.status(201).json({ sessionId: out.sessionId, url: out.url, pack: out.pack.id, credits: out.pack.credits });
  });

  api.post('/generate/stream', async (req, res) => {
    const body = parseOr400(GenerateStreamSchema, req.body, res);
    if (!body) return;
    await sendDraftStream(ctx, session(res), body, res);
  });

  // The Schedule and Series pages: the /v1 routers with the session's member as the actor, so the
  // same rules hold (only an admin sets a workspace's schedule; a series is changed by its creator or an admin).
  api.use('/queue', queueRouter(ctx, { actor: session, cancelQueued: false }));
  api.use('/series', seriesRouter(ctx, { actor: session, source: 'web' }));

  app.use('/app/api', api);
  return app;
}

function idempotency(req: Request): { idempotencyKey?: string } {
  const key = req.get('idempotency-key');
  return key ? { idempotencyKey: key } : {};
}
