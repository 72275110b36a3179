// The HTTP edge: authenticate, validate, hand over to the services, answer.
import express, { type Express } from 'express';
import { createDiscordApi } from '../bots/discord/api';
import { discordInteractionsRouter } from '../bots/discord/http';
import { createSlackApp } from '../bots/slack/app';
import type { ServiceContext } from '../services/context';
import { caller, requireApiKey } from './auth';
import { problemHandler, sendProblem } from './problem';
import { requestLog } from './requestLog';
import { createLogger } from '../core/log';
import { corsForKnownOrigins, limitPerIp, limitPerKey, securityHeaders } from './protection';
import { healthRouter } from './routes/health';
import { meRouter } from './routes/me';
import { openApiDocument } from './openapi';
import { checkoutPagesRouter, packsRouter } from './routes/checkout';
import { connectionCallbackRouter, connectionsRouter } from './routes/connections';
import { extensionRouter } from './routes/extension';
import { authPagesRouter, authRouter } from './routes/auth';
import { generateRouter } from './routes/generate';
import { dashboardRouter } from './routes/dashboard';
import { dashboardLinkRouter } from './routes/dashboardLink';
import { postsRouter } from './routes/posts';
import { queueRouter } from './routes/queue';
import { seriesRouter } from './routes/series';
import { stripeWebhookRouter } from './routes/stripeWebhook';
import { webhookSecretRouter } from './routes/webhookSecret';
import { webAppRouter } from './webApp';

export function createApp(ctx: ServiceContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const logger = ctx.log ?? createLogger(ctx.config, 'api');
  app.use(requestLog(logger));
  app.use(securityHeaders());
  // Before any JSON parser (the signature is over the raw bytes) and before the per-IP limit
  // (Stripe sends bursts from few addresses; unacknowledged events would only come back).
  app.use(stripeWebhookRouter(ctx));
  // Slack too: Bolt checks the signature over the raw body, and Slack's bursts share few IPs.
  if (ctx.config.SLACK_SIGNING_SECRET) {
    const slack = createSlackApp({ ...ctx, log: logger }).router;
    if (slack) app.use(slack);
  }
  // Discord likewise signs the raw body (Ed25519), and expects an answer within 3 seconds.
  if (ctx.config.DISCORD_PUBLIC_KEY) {
    const discordLog = logger.child({ service: 'discord' });
    const log = (msg: string) => discordLog.warn(msg);
    app.use(discordInteractionsRouter({ ctx, api: createDiscordApi(ctx.config), log }, ctx.config.DISCORD_PUBLIC_KEY));
  }
  app.use(corsForKnownOrigins(ctx.config));
  app.use(limitPerIp(ctx.config));

  app.use(healthRouter(ctx));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(ctx.config.PUBLIC_URL));
  });
  app.use(checkoutPagesRouter(ctx));
  // The web dashboard: cookie sessions from one-time links, CSRF-checked changes (api/session.ts).
  app.use(dashboardRouter(ctx));
  app.use(webAppRouter());

  const v1 = express.Router();
  v1.use(express.json({ limit: '64kb' }));
  v1.use(connectionCallbackRouter(ctx));
  v1.use(extensionRouter());
  v1.use(authPagesRouter(ctx));
  v1.use(requireApiKey(ctx.db));
  v1.use(limitPerKey(ctx.config));
  v1.use(meRouter(ctx));
  v1.use(packsRouter(ctx));
  v1.use('/posts', postsRouter(ctx));
  v1.use('/queue', queueRouter(ctx, { actor: caller, cancelQueued: true }));
  v1.use('/series', seriesRouter(ctx, { actor: caller, source: 'api', locationOf: (id) => `/v1/series/${id}` }));
  v1.use(generateRouter(ctx));
  v1.use(connectionsRouter(ctx));
  v1.use(webhookSecretRouter(ctx));
  v1.use(authRouter(ctx));
  v1.use(dashboardLinkRouter(ctx));
  app.use('/v1', v1);

  app.use((req, res) => sendProblem(res, 404, 'Not found', `No route for ${req.method} ${req.path}. See /openapi.json.`));
  app.use(problemHandler);
  return app;
}
