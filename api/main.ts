// The API process: waits for Temporal and MongoDB, then serves HTTP.
import { Client, Connection } from '@temporalio/client';
import { config } from '../core/config';
import { connectDatabase } from '../core/db';
import { waitFor } from '../core/retry';
import { createStripe } from '../core/stripe';
import { temporalConnectionOptions } from '../core/temporal';
import { createGenerator } from '../worker/generation';
import { createApp } from './app';

async function main(): Promise<void> {
  const c = config();
  const log = (msg: string) => console.log(`[api] ${msg}`);
  const connection = await waitFor(`Temporal at ${c.TEMPORAL_ADDRESS}`, () => Connection.connect(temporalConnectionOptions(c)), { timeoutMs: 120_000, log });
  const db = await waitFor('MongoDB', () => connectDatabase(c.MONGODB_URI), { timeoutMs: 120_000, log });
  const temporal = new Client({ connection, namespace: c.TEMPORAL_NAMESPACE });
  const generator = createGenerator({
    ...(c.ANTHROPIC_API_KEY ? { apiKey: c.ANTHROPIC_API_KEY } : {}),
    ...(c.ANTHROPIC_BASE_URL ? { baseURL: c.ANTHROPIC_BASE_URL } : {}),
    model: c.ANTHROPIC_MODEL,
  });
  const app = createApp({ db, temporal, config: c, stripe: createStripe(c), generator });
  const server = app.listen(c.API_PORT, c.API_HOST, () => log(`ready: listening on http://${c.API_HOST}:${c.API_PORT}`));
  const stop = () => {
    server.close(() => {
      void Promise.all([db.close(), connection.close()]).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[api] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
