// The Slack app: one Bolt App over the post service, reached over HTTP (ExpressReceiver, mounted
// in the API at /slack/events; Bolt checks the signature on the raw body) or over Socket Mode.
// With SLACK_CLIENT_ID/SECRET/STATE_SECRET it installs into any workspace (/slack/install);
// otherwise SLACK_BOT_TOKEN serves the one workspace of a self-hoster.
import { App, ExpressReceiver, LogLevel, type Authorize, type Installation, type Logger } from '@slack/bolt';
import type { IRouter, Request, Response } from 'express';
import { ensureAccount } from '../../services/accounts';
import type { Config } from '../../core/config';
import { createLogger, type Logger as PinoLogger } from '../../core/log';
import type { ServiceContext } from '../../services/context';
import { registerActions } from './actions';
import { registerHome } from './home';
import { createInstallationStore, slackAccountId } from './installationStore';
import { registerModals } from './modals';
import { registerQueueSettings } from './queueSettings';
import { BOT_SCOPES } from './scopes';
import { registerSlashCommand } from './slashCommand';
import type { SlackDeps } from './shared';

export interface SlackAppOptions {
  mode?: 'http' | 'socket';
}

export interface SlackApp {
  app: App;
  /** HTTP mode: /slack/events, and /slack/install + /slack/oauth_redirect with OAuth. Mount before any body parser. */
  router?: IRouter;
  oauth: boolean;
}

export const oauthConfigured = (c: Config): boolean => Boolean(c.SLACK_CLIENT_ID && c.SLACK_CLIENT_SECRET && c.SLACK_STATE_SECRET);

export function createSlackApp(ctx: ServiceContext, opts: SlackAppOptions = {}): SlackApp {
  const c = ctx.config;
  const logger = boltLogger(ctx.log ?? createLogger(c, 'slack'));
  const clientOptions = { slackApiUrl: c.SLACK_API_URL, retryConfig: { retries: 0 } };
  const installationStore = createInstallationStore(ctx.db, c);
  const oauth = oauthConfigured(c);

  // Token mode and Socket Mode resolve tokens through the same store (falling back to SLACK_BOT_TOKEN).
  const authorize: Authorize<boolean> = async (source) => {
    const inst = await installationStore.fetchInstallation({
      teamId: source.teamId,
      enterpriseId: source.enterpriseId,
      isEnterpriseInstall: source.isEnterpriseInstall,
    });
    return {
      botToken: inst.bot?.token,
      ...(inst.bot?.id ? { botId: inst.bot.id } : {}),
      ...(inst.bot?.userId ? { botUserId: inst.bot.userId } : {}),
      ...(source.teamId ? { teamId: source.teamId } : {}),
    };
  };

  let app: App;
  let router: IRouter | undefined;
  if (opts.mode === 'socket') {
    if (!c.SLACK_APP_TOKEN) throw new Error('Socket Mode needs SLACK_APP_TOKEN (an xapp- token with connections:write).');
    app = new App({ socketMode: true, appToken: c.SLACK_APP_TOKEN, authorize, clientOptions, logger });
  } else {
    if (!c.SLACK_SIGNING_SECRET) throw new Error('The Slack app over HTTP needs SLACK_SIGNING_SECRET.');
    const base = c.PUBLIC_URL.replace(/\/$/, '');
    const receiver = new ExpressReceiver({
      signingSecret: c.SLACK_SIGNING_SECRET,
      endpoints: '/slack/events',
      logger,
      ...(oauth
        ? {
            clientId: c.SLACK_CLIENT_ID,
            clientSecret: c.SLACK_CLIENT_SECRET,
            stateSecret: c.SLACK_STATE_SECRET,
            scopes: BOT_SCOPES,
            redirectUri: `${base}/slack/oauth_redirect`,
            installationStore,
            installerOptions: {
              installPath: '/slack/install',
              redirectUriPath: '/slack/oauth_redirect',
              // Straight to Slack's consent screen: there is nothing to read on our side first.
              directInstall: true,
              clientOptions,
              callbackOptions: {
                successAsync: async (installation: Installation, _opts: unknown, _req: Request, res: Response) => {
                  const teamId = installation.team?.id ?? installation.enterprise?.id ?? '';
                  await ensureAccount(ctx.db, { _id: slackAccountId(teamId), kind: 'slack', name: installation.team?.name ?? teamId }, c.FREE_CREDITS);
                  res
                    .status(200)
                    .type('html')
                    .send(
                      page(
                        'PostForge is installed',
                        `PostForge is now in <strong>${escapeHtml(installation.team?.name ?? teamId)}</strong>. In Slack, type <code>/postforge help</code>.`,
                      ),
                    );
                },
                failure: (error: Error, _opts: unknown, _req: Request, res: Response) => {
                  logger.warn(`install failed: ${error.message}`);
                  res
                    .status(400)
                    .type('html')
                    .send(
                      page(
                        'PostForge was not installed',
                        `Slack did not complete the installation (${escapeHtml(error.message)}). <a href="/slack/install">Try again</a>.`,
                      ),
                    );
                },
              },
            },
          }
        : {}),
    } as ConstructorParameters<typeof ExpressReceiver>[0]);
    app = new App({ receiver, ...(oauth ? {} : { authorize }), clientOptions, logger });
    router = receiver.router;
  }

  const deps: SlackDeps = { ctx, log: (msg: string) => logger.warn(msg) };
  registerSlashCommand(app, deps);
  registerActions(app, deps);
  registerModals(app, deps);
  registerQueueSettings(app, deps);
  registerHome(app, deps);
  app.error(async (err) => {
    logger.error(`unhandled: ${err.message}`, err);
  });
  return { app, ...(router ? { router } : {}), oauth };
}

/** Bolt's and the OAuth installer's logs as one line each (their stack traces say nothing to an operator). */
/** Bolt's logger on the process's pino logger: one level for all, and errors keep their stack. */
function boltLogger(base: PinoLogger): Logger {
  const log = base.child({ service: 'slack' });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const err = msg.find((m): m is Error => m instanceof Error);
      const text = msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
      if (err) log[level]({ err }, text);
      else log[level](text);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l: LogLevel) => void (log.level = l),
    getLevel: () => log.level as LogLevel,
    setName: () => undefined,
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui;max-width:36rem;margin:4rem auto"><h1>${escapeHtml(title)}</h1><p>${body}</p></body></html>`;
