// The Discord process of its own (docker-compose's `discord` service, or `npm run discord`).
// DISCORD_TRANSPORT=gateway (default) connects out to Discord's gateway, so nothing needs a public
// URL. DISCORD_TRANSPORT=http serves /discord/interactions on API_HOST:API_PORT; the API serves the
// same route itself whenever DISCORD_PUBLIC_KEY is set, so this is only needed to run it apart.
import express from 'express';
import { config } from '../../core/config';
import { createLogger, lifecycleLog } from '../../core/log';
import { connectServices, runMain, stopOnSignals } from '../../services/process';
import { startBotCommandRelay } from '../../services/botCommands';
import { createDiscordApi } from './api';
import { startDiscordGateway } from './gateway';
import { discordInteractionsRouter, INTERACTIONS_PATH } from './http';

async function main(): Promise<void> {
  const c = config();
  const logger = createLogger(c, 'discord');
  const log = lifecycleLog(logger);
  const missing = !c.DISCORD_APP_ID
    ? 'DISCORD_APP_ID'
    : c.DISCORD_TRANSPORT === 'gateway' && !c.DISCORD_BOT_TOKEN
      ? 'DISCORD_BOT_TOKEN'
      : c.DISCORD_TRANSPORT === 'http' && !c.DISCORD_PUBLIC_KEY
        ? 'DISCORD_PUBLIC_KEY'
        : undefined;
  if (missing) {
    console.error(`[discord] set ${missing} to run the Discord bot (DISCORD_TRANSPORT=${c.DISCORD_TRANSPORT}). See README "Discord bot".`);
    process.exit(2);
  }
  const { ctx, close } = await connectServices(log);
  const deps = { ctx, api: createDiscordApi(c), log };
  // /post commands acknowledged by a process that died before starting their workflow.
  const stopCommandRelay = startBotCommandRelay(ctx, c.BOT_COMMAND_RELAY_INTERVAL);

  let stop: () => Promise<void>;
  if (c.DISCORD_TRANSPORT === 'gateway') {
    const gateway = await startDiscordGateway(deps, c);
    log(`ready: connected to the gateway as ${gateway.client.user?.tag ?? 'the bot'}`);
    stop = () => gateway.stop();
  } else {
    const web = express();
    web.disable('x-powered-by');
    web.get('/healthz', (_req, res) => void res.json({ ok: true }));
    web.use(discordInteractionsRouter(deps, c.DISCORD_PUBLIC_KEY!));
    const server = web.listen(c.API_PORT, c.API_HOST, () => log(`ready: http://${c.API_HOST}:${c.API_PORT}${INTERACTIONS_PATH}`));
    stop = () => new Promise((resolve) => server.close(() => resolve()));
  }
  stopOnSignals(async () => {
    await stop();
    // What the relay still holds is started now rather than by the next sweeper.
    await stopCommandRelay();
    await close();
  });
}

runMain('discord', main);
