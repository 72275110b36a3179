// The Slack process of its own (docker-compose's `slack` service, or `tsx bots/slack/main.ts`).
// SLACK_SOCKET_MODE=true connects out over Socket Mode, for a laptop or a server without a public
// URL. Otherwise it serves the HTTP endpoints (/slack/events, /slack/install) on API_HOST:API_PORT;
// the API serves the same routes itself whenever SLACK_SIGNING_SECRET is set, so this is only
// needed to run Slack apart from the API.
import express from 'express';
import { config } from '../../core/config';
import { createLogger, lifecycleLog } from '../../core/log';
import { connectServices, runMain, stopOnSignals } from '../../services/process';
import { createSlackApp } from './app';
import { startBotCommandRelay } from '../../services/botCommands';
import { handOffLegacySlackCommands } from './commandRunner';

async function main(): Promise<void> {
  const c = config();
  const logger = createLogger(c, 'slack');
  const log = lifecycleLog(logger);
  if (c.SLACK_SOCKET_MODE ? !c.SLACK_APP_TOKEN : !c.SLACK_SIGNING_SECRET) {
    console.error(
      c.SLACK_SOCKET_MODE
        ? '[slack] SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (an xapp- token with connections:write) and SLACK_BOT_TOKEN or an install.'
        : '[slack] set SLACK_SIGNING_SECRET (HTTP) or SLACK_SOCKET_MODE=true with SLACK_APP_TOKEN (Socket Mode). See README "Slack app".',
    );
    process.exit(2);
  }
  const { ctx, close } = await connectServices(log);
  // Commands an older version recorded and never carried out go to the worker like new ones.
  const stopCommandRelay = startBotCommandRelay(ctx, c.BOT_COMMAND_RELAY_INTERVAL);
  void handOffLegacySlackCommands({ ctx, log }).catch((err: unknown) => log(`legacy Slack commands not handed off: ${(err as Error).message}`));

  let stopServer: () => Promise<void>;
  if (c.SLACK_SOCKET_MODE) {
    const { app } = createSlackApp({ ...ctx, log: logger }, { mode: 'socket' });
    await app.start();
    log('ready: connected over Socket Mode');
    stopServer = () => app.stop().then(() => undefined);
  } else {
    const { router, oauth } = createSlackApp({ ...ctx, log: logger });
    const web = express();
    web.disable('x-powered-by');
    web.get('/healthz', (_req, res) => void res.json({ ok: true }));
    if (router) web.use(router);
    const server = web.listen(c.API_PORT, c.API_HOST, () => log(`ready: http://${c.API_HOST}:${c.API_PORT}/slack/events${oauth ? ' and /slack/install' : ''}`));
    stopServer = () => new Promise((resolve) => server.close(() => resolve()));
  }
  stopOnSignals(async () => {
    await stopServer();
    // What the relay still holds is started now rather than by the next sweeper.
    await stopCommandRelay();
    await close();
  });
}

runMain('slack', main);
