// What every edge process (API, Slack, Discord) does first and last: wait for Temporal and
// MongoDB, build the service context, and close everything on SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { config } from '../core/config';
import { connectDatabase } from '../core/db';
import { waitFor } from '../core/retry';
import { createStripe } from '../core/stripe';
import { temporalConnectionOptions } from '../core/temporal';
import { generatorFor } from '../core/generation';
import type { ServiceContext } from './context';

export async function connectServices(log: (msg: string) => void): Promise<{ ctx: ServiceContext; close(): Promise<void> }> {
  const c = config();
  const connection = await waitFor(`Temporal at ${c.TEMPORAL_ADDRESS}`, () => Connection.connect(temporalConnectionOptions(c)), { timeoutMs: 120_000, log });
  const db = await waitFor('MongoDB', () => connectDatabase(c.MONGODB_URI, { inboxDbName: c.MONGODB_INBOX_DB }), { timeoutMs: 120_000, log });
  const temporal = new Client({ connection, namespace: c.TEMPORAL_NAMESPACE });
  const ctx: ServiceContext = { db, temporal, config: c, stripe: createStripe(c), generator: generatorFor(c) };
  return { ctx, close: async () => void (await Promise.all([db.close(), connection.close()])) };
}

/** Stops the process cleanly on Ctrl-C or SIGTERM: the server first, then the connections. */
export function stopOnSignals(stop: () => Promise<void>): void {
  const handler = () => {
    setTimeout(() => process.exit(0), 5000).unref();
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

export { runMain } from '../core/process';
