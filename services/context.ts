// What the edges (API, Slack, Discord) share: the database, a Temporal client, the configuration.
import type { Client } from '@temporalio/client';
import type Stripe from 'stripe';
import type { Config } from '../core/config';
import type { Database } from '../core/db';
import type { Logger } from '../core/log';
import type { StreamingGenerator } from './generation';

export interface ServiceContext {
  db: Database;
  temporal: Client;
  config: Config;
  stripe: Stripe;
  /** Streams drafts for interactive front ends (Claude, or the offline generator). */
  generator: StreamingGenerator;
  /** The process's logger; an edge made without one logs through a new one for its config. */
  log?: Logger;
  /** Injected clock for tests of time parsing; defaults to the real one. */
  now?: () => Date;
}
