// The API process: waits for Temporal and MongoDB, then serves HTTP.
import type { Server } from 'node:http';
import { config } from '../core/config';
import { createLogger, lifecycleLog } from '../core/log';
import { connectServices, runMain, stopOnSignals } from '../services/process';
import { startBotCommandRelay } from '../services/botCommands';
import { startStripeRelay } from '../services/stripeRelay';
import { handOffLegacySlackCommands } from '../bots/slack/commandRunner';
import { createApp } from './app';

runMain('api', async () => {
  const logger = createLogger(config(), 'api');
  const log = lifecycleLog(logger);
  const { ctx, close } = await connectServices(log);
  const c = ctx.config;
  // Stripe events recorded but not yet signalled (an API that stopped between the two) go out now.
  const stopRelay = startStripeRelay(ctx, c.STRIPE_RELAY_INTERVAL);
  // Bot commands acknowledged by a process that died before starting their workflow.
  const stopCommandRelay = startBotCommandRelay(ctx, c.BOT_COMMAND_RELAY_INTERVAL);
  // Slack commands an older version recorded and never carried out go to the worker like new ones.
  if (c.SLACK_SIGNING_SECRET) {
    const slackLog = (m: string) => logger.child({ service: 'slack' }).warn(m);
    void handOffLegacySlackCommands({ ctx, log: slackLog }).catch((err: unknown) =>
      slackLog(`legacy Slack commands not handed off: ${(err as Error).message}`),
    );
  }
  const server: Server = createApp({ ...ctx, log: logger }).listen(c.API_PORT, c.API_HOST, () => log(`ready: listening on http://${c.API_HOST}:${c.API_PORT}`));
  stopOnSignals(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // What the relays still hold goes out now rather than with the next start's sweep.
    await Promise.all([stopRelay(), stopCommandRelay()]);
    await close();
  });
});
