// GET /openapi.json, generated from the same zod schemas the routes validate with.
import { z } from 'zod';
import { CreatePostSchema, PatchPostSchema } from '../services/postSchemas';
import { CreateSeriesSchema, PatchSeriesSchema } from '../services/series';
import { CancelQueuedQuerySchema, NextSlotsQuerySchema, PostingScheduleSchema } from '../services/queueSlots';
import { SignInStartQuerySchema } from './routes/auth';
import { CheckoutBodySchema } from './routes/checkout';
import { DashboardLinkBodySchema } from './routes/dashboardLink';
import { GenerateStreamSchema } from './routes/generate';
import { TransactionsQuerySchema } from './routes/me';
import { ListPostsQuerySchema } from './routes/posts';
import {
  ConnectionsSchema,
  ExtensionSelectorsSchema,
  HealthSchema,
  NewWebhookSecretSchema,
  OpenApiDocumentSchema,
  RotatedWebhookSecretSchema,
  SignatureRefusedSchema,
  StripeAckSchema,
  UrlToOpenSchema,
  WebhookSecretStatusSchema,
} from './responses/account';
import { CheckoutSchema, MeSchema, PackListSchema, PurchaseSchema, TransactionPageSchema } from './responses/credits';
import {
  DashboardCreditsSchema,
  DashboardLinkSchema,
  DashboardPostCreatedSchema,
  DashboardPostListSchema,
  DashboardPostSchema,
  DashboardSessionSchema,
  OverviewSchema,
  PostChangesSchema,
} from './responses/dashboard';
import { DRAFT_STREAM_EVENTS } from './responses/generate';
import { PostCreatedSchema, PostPageSchema, PostSchema, PostStateSchema } from './responses/posts';
import { ProblemSchema } from './responses/problem';
import { NextSlotsSchema, PostingScheduleResponseSchema, QueuedPostCanceledSchema } from './responses/queue';
import { componentName, componentRef, componentSchemas } from './responses/registry';
import { SeriesListSchema, SeriesSchema } from './responses/series';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  auth?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Status → what it means; with a schema (a named one from api/responses), the JSON body it carries. */
  responses: Record<string, string | Answer>;
  produces?: string;
  /** A page whose own errors are problem+json all the same (the dashboard's shell, when it is not built). */
  errorsAsProblems?: boolean;
  /** Errors answered with no body at all (a third party's library answers them, not our problem handler). */
  bareErrors?: boolean;
  /** For text/event-stream: each `event:` name and the schema of its JSON `data:`. */
  events?: Record<string, z.ZodType>;
  /** The dashboard's own API: the session cookie, and X-CSRF-Token on every change (api/session.ts). */
  session?: boolean;
  /** Mounted only when this front end is configured (see api/app.ts). */
  mountedWhen?: 'slack' | 'slackOAuth' | 'discordHttp';
  headers?: { name: string; description: string }[];
}

interface Answer {
  description: string;
  schema: z.ZodType;
}
const answer = (description: string, schema: z.ZodType): Answer => ({ description, schema });

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

export const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Reachability of Temporal and MongoDB',
    responses: { 200: answer('Both reachable', HealthSchema), 503: answer('Something is down', HealthSchema) },
  },
  { method: 'get', path: '/openapi.json', summary: 'This document', responses: { 200: answer('OpenAPI 3.1', OpenApiDocumentSchema) } },
  {
    method: 'post',
    path: '/webhooks/stripe',
    summary: 'Stripe webhook (signed with Stripe-Signature)',
    responses: {
      200: answer(
        'Recorded (delivered to the purchase workflow right after the answer; also events that can never belong to a purchase: recorded as unroutable)',
        StripeAckSchema,
      ),
      400: 'Bad or stale signature',
      409: 'A refund or dispute of our charge whose session event has not arrived yet; Stripe retries',
    },
  },
  {
    method: 'post',
    path: '/slack/events',
    summary: "Slack's Events API, interactivity and slash commands (Bolt; signed with X-Slack-Signature)",
    responses: { 200: 'Acknowledged', 401: 'Bad or stale signature (Bolt answers it with no body)' },
    bareErrors: true,
    mountedWhen: 'slack',
  },
  {
    method: 'get',
    path: '/slack/install',
    summary: 'Install PostForge into a Slack workspace (redirects to Slack)',
    responses: { 302: "To Slack's consent page" },
    produces: 'text/html',
    mountedWhen: 'slackOAuth',
  },
  {
    method: 'get',
    path: '/slack/oauth_redirect',
    summary: 'Where Slack sends the installer back',
    responses: { 200: 'HTML page', 400: 'Installation failed (HTML page)' },
    produces: 'text/html',
    mountedWhen: 'slackOAuth',
  },
  {
    method: 'post',
    path: '/discord/interactions',
    summary: "Discord's HTTP interactions (Ed25519 over timestamp + body; older than 5 minutes refused)",
    responses: { 200: 'Interaction response', 401: answer('Bad, stale or missing signature', SignatureRefusedSchema) },
    mountedWhen: 'discordHttp',
  },
  {
    method: 'get',
    path: '/checkout/success',
    summary: 'Page shown after Checkout (reads the purchase state)',
    responses: { 200: 'HTML page', 404: 'Unknown session' },
    produces: 'text/html',
  },
  { method: 'get', path: '/checkout/cancel', summary: 'Page shown when Checkout is canceled', responses: { 200: 'HTML page' }, produces: 'text/html' },
  {
    method: 'get',
    path: '/v1/me',
    summary: 'The account of this API key and its credits',
    auth: true,
    responses: { 200: answer('Account and balance', MeSchema) },
  },
  {
    method: 'get',
    path: '/v1/credits/transactions',
    summary: 'Credit movements, newest first',
    auth: true,
    query: TransactionsQuerySchema,
    responses: { 200: answer('A page of transactions', TransactionPageSchema) },
  },
  { method: 'get', path: '/v1/packs', summary: 'Credit packs for sale', auth: true, responses: { 200: answer('Packs', PackListSchema) } },
  {
    method: 'post',
    path: '/v1/checkout',
    summary: 'Start a Stripe Checkout for a pack',
    auth: true,
    body: CheckoutBodySchema,
    responses: { 201: answer('Checkout URL', CheckoutSchema), 400: 'Unknown pack' },
  },
  {
    method: 'get',
    path: '/v1/purchases/{sessionId}',
    summary: 'One purchase and its state',
    auth: true,
    responses: { 200: answer('Purchase', PurchaseSchema), 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/v1/posts',
    summary: 'Create a post (generated from a topic, or your own text)',
    auth: true,
    body: CreatePostSchema,
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'Names this request for good: the same key with the same body answers the same post (200), with another body 422. Scoped to the account.',
      },
    ],
    responses: {
      202: answer('Accepted; its credit is taken now and the workflow runs', PostCreatedSchema),
      402: 'No credits left: nothing was created or charged (buy a pack with POST /v1/checkout)',
      200: answer('Same Idempotency-Key (or draftId) and body: the existing post, never run or charged again', PostCreatedSchema),
      400: 'Invalid body, or a draftId with no paid draft',
      409: 'The draft already paid for another post (leave out draftId to pay with a new credit)',
      422: 'This Idempotency-Key (or draftId) was used before with a different body',
    },
  },
  {
    method: 'get',
    path: '/v1/posts',
    summary: 'List posts',
    auth: true,
    query: ListPostsQuerySchema,
    responses: { 200: answer('A page of posts', PostPageSchema) },
  },
  { method: 'get', path: '/v1/posts/{id}', summary: 'One post with its history', auth: true, responses: { 200: answer('Post', PostSchema), 404: 'Not found' } },
  {
    method: 'patch',
    path: '/v1/posts/{id}',
    summary: 'Edit or reschedule a post (workflow Updates)',
    auth: true,
    body: PatchPostSchema,
    responses: { 200: answer('The new state', PostStateSchema), 409: 'Not allowed in this state' },
  },
  {
    method: 'post',
    path: '/v1/posts/{id}/approve',
    summary: 'Approve a draft',
    auth: true,
    responses: { 200: answer('The new state', PostStateSchema), 409: 'Not a draft' },
  },
  {
    method: 'delete',
    path: '/v1/posts/{id}',
    summary: 'Cancel a post (its credit is refunded)',
    auth: true,
    responses: { 200: answer('The new state', PostStateSchema), 409: 'Already finished' },
  },
  {
    method: 'get',
    path: '/v1/queue/schedule',
    summary: "The account's posting schedule: weekly slots in its time zone",
    auth: true,
    responses: { 200: answer('Schedule', PostingScheduleResponseSchema), 404: 'No schedule set yet' },
  },
  {
    method: 'put',
    path: '/v1/queue/schedule',
    summary: 'Set the posting schedule (replaces it whole); workspaces and servers need an admin key',
    auth: true,
    body: PostingScheduleSchema,
    responses: { 200: answer('The new schedule', PostingScheduleResponseSchema), 400: 'Invalid schedule', 403: 'Needs an admin key (workspaces and servers)' },
  },
  {
    method: 'get',
    path: '/v1/queue/next',
    summary: 'The next free slots, as "add to queue" (`when: "queue"` in POST /v1/posts) would hand them out',
    auth: true,
    query: NextSlotsQuerySchema,
    responses: { 200: answer('Free slots (ISO instants) and the zone', NextSlotsSchema), 409: 'No schedule set yet' },
  },
  {
    method: 'delete',
    path: '/v1/queue/posts/{id}',
    summary: 'Cancel a queued post and free its slot; with shiftUp=true the later queued posts each move one slot up',
    auth: true,
    query: CancelQueuedQuerySchema,
    responses: { 200: answer('The canceled post and the posts that moved', QueuedPostCanceledSchema), 409: 'Already finished' },
  },
  {
    method: 'post',
    path: '/v1/series',
    summary:
      'Create a series: a post on a theme written afresh at every occurrence of a weekly or cron recurrence, in a time zone (a Temporal Schedule; each occurrence is charged like any post)',
    auth: true,
    body: CreateSeriesSchema,
    responses: { 201: answer('The series with its next runs', SeriesSchema), 400: 'Invalid body' },
  },
  {
    method: 'get',
    path: '/v1/series',
    summary: "The account's series with their next runs",
    auth: true,
    responses: { 200: answer('Series', SeriesListSchema) },
  },
  {
    method: 'get',
    path: '/v1/series/{id}',
    summary: 'One series: its next runs, whether it is paused (and why) and its recent posts',
    auth: true,
    responses: { 200: answer('Series', SeriesSchema), 404: 'Not found' },
  },
  {
    method: 'patch',
    path: '/v1/series/{id}',
    summary: 'Edit a series (theme, tone, targets, recurrence, zone, approval)',
    auth: true,
    body: PatchSeriesSchema,
    responses: { 200: answer('The series', SeriesSchema), 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'delete',
    path: '/v1/series/{id}',
    summary: 'Delete a series and its Schedule (posts already started stay)',
    auth: true,
    responses: { 204: 'Deleted', 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/v1/series/{id}/pause',
    summary: 'Pause a series: no occurrences until resumed',
    auth: true,
    responses: { 200: answer('The series', SeriesSchema), 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/v1/series/{id}/resume',
    summary: 'Resume a series from its next due time (missed occurrences are not caught up)',
    auth: true,
    responses: { 200: answer('The series', SeriesSchema), 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/v1/series/{id}/run',
    summary: 'Run an occurrence now (charged like any post)',
    auth: true,
    responses: { 200: answer('The series', SeriesSchema), 404: 'Not found' },
  },
  {
    method: 'get',
    path: '/v1/auth/linkedin/start',
    summary: 'Sign in with LinkedIn (browser extension): redirects to LinkedIn; `redirect` must be a page of a trusted extension (its origin in CORS_ORIGINS)',
    query: SignInStartQuerySchema,
    responses: { 302: 'To LinkedIn', 400: 'Untrusted or missing redirect (HTML page)', 409: 'LinkedIn not configured (HTML page)' },
    produces: 'text/html',
  },
  {
    method: 'get',
    path: '/v1/auth/linkedin/callback',
    summary:
      'Where LinkedIn sends the browser back: creates or finds the person:<sub> account and redirects to the extension page with a session token in the fragment',
    responses: { 302: 'To the extension page', 400: 'Bad, used or foreign state (HTML page)' },
    produces: 'text/html',
  },
  {
    method: 'delete',
    path: '/v1/auth/session',
    summary: 'Sign out: revoke the API key or extension session this request is made with',
    auth: true,
    responses: { 204: 'Revoked' },
  },
  {
    method: 'get',
    path: '/v1/extension/selectors',
    summary: 'LinkedIn composer selectors the browser extension merges with its built-in ones (public, cacheable)',
    responses: { 200: answer('Selector table', ExtensionSelectorsSchema) },
  },
  {
    method: 'post',
    path: '/v1/generate/stream',
    summary: 'Stream a draft, or a rewrite / shortening / new hook of `text`, as server-sent events (charges one credit; refunded if it does not finish)',
    auth: true,
    body: GenerateStreamSchema,
    responses: { 200: 'Server-sent events: charged, delta…, then done or error (each data schema under x-sse-events)', 402: 'No credits' },
    produces: 'text/event-stream',
    events: DRAFT_STREAM_EVENTS,
  },
  {
    method: 'get',
    path: '/v1/webhook-secret',
    summary: "This account's webhook signing secrets in use (fingerprints, never the secrets)",
    auth: true,
    responses: { 200: answer('Current and still-valid previous secrets', WebhookSecretStatusSchema) },
  },
  {
    method: 'post',
    path: '/v1/webhook-secret',
    summary: "Create the account's webhook signing secret (shown only in this answer)",
    auth: true,
    responses: {
      201: answer('The secret', NewWebhookSecretSchema),
      403: 'Needs an admin key (workspaces and servers)',
      409: 'Already created: rotate instead',
    },
  },
  {
    method: 'post',
    path: '/v1/webhook-secret/rotate',
    summary: 'A new webhook signing secret (shown once); the old one still signs deliveries for WEBHOOK_SECRET_GRACE',
    auth: true,
    responses: {
      200: answer('The new secret and until when the old one signs', RotatedWebhookSecretSchema),
      403: 'Needs an admin key (workspaces and servers)',
      409: 'A concurrent rotation won; try again',
    },
  },
  {
    method: 'post',
    path: '/v1/dashboard-link',
    summary: "A one-time sign-in link to the web dashboard (/app) for this key's member; works once, for 5 minutes",
    auth: true,
    body: DashboardLinkBodySchema,
    responses: { 201: answer('The link and when it expires', DashboardLinkSchema) },
  },
  {
    method: 'get',
    path: '/app/login',
    summary:
      'Opens a one-time dashboard link: sets the session cookie (httpOnly) and the CSRF cookie, then redirects to /app/ (or to /app/<next> when ?next= names a page, e.g. schedule)',
    responses: { 303: 'To /app/, signed in', 400: 'Not a link issued here', 410: 'Expired or already used' },
    produces: 'text/html',
  },
  {
    method: 'get',
    path: '/app',
    summary: 'The web dashboard (a single page; its client routes live under /app/)',
    responses: { 200: 'HTML page', 503: 'The dashboard was not built on this server' },
    produces: 'text/html',
    errorsAsProblems: true,
  },
  {
    method: 'get',
    path: '/app/{path}',
    summary: "The dashboard's static files (content-hashed, cached for good) and, for any other path, its page",
    responses: { 200: 'A file, or the HTML page', 503: 'The dashboard was not built on this server' },
    produces: '*/*',
  },
  {
    method: 'get',
    path: '/app/api/me',
    summary: 'Dashboard: who is signed in (member, account, role, time zone)',
    session: true,
    responses: { 200: answer('The session', DashboardSessionSchema) },
  },
  { method: 'post', path: '/app/api/logout', summary: 'Dashboard: end the session', session: true, responses: { 204: 'Signed out' } },
  {
    method: 'get',
    path: '/app/api/overview',
    summary: 'Dashboard: counts by status, next posts, credits, publish success rate',
    session: true,
    responses: { 200: answer('Overview', OverviewSchema) },
  },
  {
    method: 'get',
    path: '/app/api/posts',
    summary: "Dashboard: the account's posts (status and target filters, search, a time range for the calendar)",
    session: true,
    responses: { 200: answer('A page of posts', DashboardPostListSchema) },
  },
  {
    method: 'post',
    path: '/app/api/posts',
    summary: 'Dashboard: create a post (the same rules and credit as POST /v1/posts)',
    session: true,
    responses: {
      202: answer('Accepted', DashboardPostCreatedSchema),
      200: answer('Same Idempotency-Key and body: the existing post', DashboardPostCreatedSchema),
      400: 'Invalid body',
      402: 'No credits left',
    },
  },
  {
    method: 'get',
    path: '/app/api/posts/{id}',
    summary: 'Dashboard: one post with its history',
    session: true,
    responses: { 200: answer('Post', DashboardPostSchema), 404: 'Not found' },
  },
  {
    method: 'patch',
    path: '/app/api/posts/{id}',
    summary: "Dashboard: edit or reschedule (the calendar's drag); the workflow answers",
    session: true,
    responses: { 200: answer('The new state', PostStateSchema), 403: "Another member's post", 409: 'Refused by the workflow (e.g. a time in the past)' },
  },
  {
    method: 'post',
    path: '/app/api/posts/{id}/approve',
    summary: 'Dashboard: approve a draft',
    session: true,
    responses: { 200: answer('The new state', PostStateSchema), 403: "Another member's post", 409: 'Not a draft' },
  },
  {
    method: 'post',
    path: '/app/api/posts/{id}/regenerate',
    summary: 'Dashboard: a new draft (a few free per post)',
    session: true,
    responses: { 200: answer('The new state', PostStateSchema), 403: "Another member's post", 409: 'Not allowed now' },
  },
  {
    method: 'post',
    path: '/app/api/posts/{id}/cancel',
    summary: 'Dashboard: cancel a post (its credit is refunded)',
    session: true,
    responses: { 200: answer('The new state', PostStateSchema), 403: "Another member's post", 409: 'Already finished' },
  },
  {
    method: 'get',
    path: '/app/api/changes',
    summary: "Dashboard: posts changed since a time (the page's live poll; cheap when nothing changed)",
    session: true,
    responses: { 200: answer('Changed posts', PostChangesSchema) },
  },
  {
    method: 'get',
    path: '/app/api/credits',
    summary: 'Dashboard: balance, ledger history with reasons, packs',
    session: true,
    responses: { 200: answer('Credits', DashboardCreditsSchema) },
  },
  {
    method: 'post',
    path: '/app/api/checkout',
    summary: 'Dashboard: buy a pack (a Stripe Checkout URL)',
    session: true,
    responses: { 201: answer('Checkout URL', CheckoutSchema), 400: 'Unknown pack' },
  },
  {
    method: 'post',
    path: '/app/api/generate/stream',
    summary: 'Dashboard: stream a draft as server-sent events (one credit)',
    session: true,
    responses: { 200: 'Server-sent events: charged, delta…, then done or error (each data schema under x-sse-events)', 402: 'No credits' },
    produces: 'text/event-stream',
    events: DRAFT_STREAM_EVENTS,
  },
  {
    method: 'get',
    path: '/v1/connections',
    summary: 'Connection status (LinkedIn), with expiry warnings',
    auth: true,
    responses: { 200: answer('Connections', ConnectionsSchema) },
  },
  // The dashboard's Schedule and Series pages: the /v1/queue and /v1/series routers mounted with the session's member as the actor.
  {
    method: 'get',
    path: '/app/api/queue/schedule',
    summary: "Dashboard: the account's posting schedule (as GET /v1/queue/schedule)",
    session: true,
    responses: { 200: answer('Schedule', PostingScheduleResponseSchema), 404: 'No schedule set yet' },
  },
  {
    method: 'put',
    path: '/app/api/queue/schedule',
    summary: 'Dashboard: set the posting schedule (replaces it whole; workspaces and servers: admins only)',
    session: true,
    body: PostingScheduleSchema,
    responses: { 200: answer('The new schedule', PostingScheduleResponseSchema), 400: 'Invalid schedule', 403: 'Not an admin of this workspace or server' },
  },
  {
    method: 'get',
    path: '/app/api/queue/next',
    summary: 'Dashboard: the next free slots of the queue',
    session: true,
    query: NextSlotsQuerySchema,
    responses: { 200: answer('Free slots (ISO instants) and the zone', NextSlotsSchema), 409: 'No schedule set yet' },
  },
  {
    method: 'get',
    path: '/app/api/series',
    summary: "Dashboard: the account's series with their next runs",
    session: true,
    responses: { 200: answer('Series', SeriesListSchema) },
  },
  {
    method: 'post',
    path: '/app/api/series',
    summary: 'Dashboard: create a series (as POST /v1/series)',
    session: true,
    body: CreateSeriesSchema,
    responses: { 201: answer('The series with its next runs', SeriesSchema), 400: 'Invalid body' },
  },
  {
    method: 'get',
    path: '/app/api/series/{id}',
    summary: 'Dashboard: one series',
    session: true,
    responses: { 200: answer('Series', SeriesSchema), 404: 'Not found' },
  },
  {
    method: 'patch',
    path: '/app/api/series/{id}',
    summary: 'Dashboard: edit a series',
    session: true,
    body: PatchSeriesSchema,
    responses: { 200: answer('The series', SeriesSchema), 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'delete',
    path: '/app/api/series/{id}',
    summary: 'Dashboard: delete a series and its Schedule (posts already started stay)',
    session: true,
    responses: { 204: 'Deleted', 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/app/api/series/{id}/pause',
    summary: 'Dashboard: pause a series',
    session: true,
    responses: { 200: answer('The series', SeriesSchema), 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/app/api/series/{id}/resume',
    summary: 'Dashboard: resume a series from its next due time',
    session: true,
    responses: { 200: answer('The series', SeriesSchema), 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/app/api/series/{id}/run',
    summary: 'Dashboard: run an occurrence now (charged like any post)',
    session: true,
    responses: { 200: answer('The series', SeriesSchema), 403: 'Not its creator or an admin', 404: 'Not found' },
  },
  {
    method: 'get',
    path: '/v1/connections/linkedin/start',
    summary: 'Start connecting LinkedIn: a one-time link to open in the browser that will finish it (or a redirect to it with ?redirect=1)',
    auth: true,
    responses: { 200: answer('URL to open', UrlToOpenSchema), 409: 'LinkedIn not configured' },
  },
  {
    method: 'get',
    path: '/v1/connections/linkedin/open/{state}',
    summary: 'The one-time connect link: sets the browser-binding nonce cookie and redirects to LinkedIn',
    responses: { 302: 'To LinkedIn, with the pf_linkedin_nonce cookie set', 400: 'Expired or already opened' },
    produces: 'text/html',
  },
  {
    method: 'get',
    path: '/v1/connections/linkedin/callback',
    summary: 'Where LinkedIn sends the member back (state and the nonce cookie of the browser that opened the link checked)',
    responses: { 200: 'HTML page', 400: 'Bad or used state, or another browser' },
    produces: 'text/html',
  },
];

const PROBLEM = { $ref: componentRef(componentName(ProblemSchema, 'errors')) };

function responseDoc(r: RouteDoc, code: string, doc: string | Answer, errorContent: Record<string, unknown> | undefined): Record<string, unknown> {
  if (typeof doc !== 'string')
    return {
      description: doc.description,
      content: { 'application/json': { schema: { $ref: componentRef(componentName(doc.schema, `${r.method} ${r.path} ${code}`)) } } },
    };
  if (code === '204') return { description: doc };
  // A redirect's body is Express's courtesy text; what matters is where it goes.
  if (code.startsWith('3')) return { description: doc, headers: { Location: { description: 'Where to', schema: { type: 'string' } } } };
  if (Number(code) >= 400) return { description: doc, ...(errorContent ? { content: errorContent } : {}) };
  if (r.events) {
    const events = Object.fromEntries(
      Object.entries(r.events).map(([name, schema]) => [name, { $ref: componentRef(componentName(schema, `${r.path} event ${name}`)) }]),
    );
    return { description: doc, content: { 'text/event-stream': { schema: { type: 'string' }, 'x-sse-events': events } } };
  }
  // A page, a redirect, or a third party's own protocol (Slack, Discord): no schema of ours.
  return { description: doc, content: { [r.produces ?? 'application/json']: { schema: {} } } };
}

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params: Record<string, unknown>[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const h of r.headers ?? [])
      params.push({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string', maxLength: 255 } });
    if (r.query) {
      const shape = json(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(shape.properties ?? {})) {
        params.push({ name, in: 'query', required: shape.required?.includes(name) ?? false, schema: schema as { type: string } });
      }
    }
    const responses: Record<string, unknown> = {};
    // A page a browser lands on answers its errors as a page too; everything else as problem+json.
    const errorContent = r.bareErrors
      ? undefined
      : r.produces === 'text/html' && !r.errorsAsProblems
        ? { 'text/html': { schema: { type: 'string' } } }
        : { 'application/problem+json': { schema: PROBLEM } };
    for (const [code, doc] of Object.entries(r.responses)) responses[code] = responseDoc(r, code, doc, errorContent);
    // Whatever else goes wrong (a bad query, a rate limit, our own fault) is answered as a problem too.
    if (r.produces !== 'text/html' && !r.mountedWhen)
      responses['default'] = { description: 'Any other error (e.g. 400 for a bad query, 429 when rate limited)', content: errorContent };
    if (r.body) responses['413'] = { description: 'Body over the size limit (64 KB for JSON)', content: errorContent };
    // Node's HTTP server answers this itself, before any of our code runs: no body at all.
    responses['431'] = { description: 'Request headers too large (answered by Node before PostForge sees the request; no body)' };
    if (r.auth)
      responses['401'] = {
        description: 'Missing, unknown or revoked API key',
        content: { 'application/problem+json': { schema: PROBLEM } },
      };
    if (r.session)
      responses['401'] = {
        description: 'No dashboard session, or it expired: open a new link',
        content: { 'application/problem+json': { schema: PROBLEM } },
      };
    if (r.session && r.method !== 'get')
      responses['403'] ??= {
        description: 'Missing or wrong X-CSRF-Token, or not allowed for this member',
        content: { 'application/problem+json': { schema: PROBLEM } },
      };
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(r.auth ? { security: [{ apiKey: [] }] } : r.session ? { security: [{ session: [] }] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'PostForge API', version: '1.0.0', description: 'Compose, schedule and publish posts; buy credits.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: pf_…' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pf_session',
          description: 'The dashboard session (from a one-time link); every change also needs the X-CSRF-Token header matching the pf_csrf cookie',
        },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}
