// The API process: waits for Temporal and MongoDB, then serves HTTP.
import type { Server } from 'node:http';
import { connectServices, runMain, stopOnSignals } from '../services/process';
import { startStripeRelay } from '../services/stripeRelay';
import { createApp } from './app';

runMain('api', async () => {
  const log = (msg: string) => console.log(`[api] ${msg}`);
  const { ctx, close } = await connectServices(log);
  const c = ctx.config;
  // Stripe events recorded but not yet signalled (an API that stopped between the two) go out now.
  const stopRelay = startStripeRelay(ctx, c.STRIPE_RELAY_INTERVAL);
  const server: Server = createApp(ctx).listen(c.API_PORT, c.API_HOST, () => log(`ready: listening on http://${c.API_HOST}:${c.API_PORT}`));
  stopOnSignals(async () => {
    stopRelay();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  });
});
