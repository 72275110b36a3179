// The API process: waits for Temporal and MongoDB, then serves HTTP.
import type { Server } from 'node:http';
import { config } from '../core/config';
import { createLogger, lifecycleLog } from '../core/log';
import { connectServices, runMain, stopOnSignals } from '../services/process';
import { createApp } from './app';

runMain('api', async () => {
  const logger = createLogger(config(), 'api');
  const log = lifecycleLog(logger);
  const { ctx, close } = await connectServices(log);
  const c = ctx.config;
  const server: Server = createApp({ ...ctx, log: logger }).listen(c.API_PORT, c.API_HOST, () => log(`ready: listening on http://${c.API_HOST}:${c.API_PORT}`));
  stopOnSignals(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  });
});
