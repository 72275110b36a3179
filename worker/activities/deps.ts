// What activities need from the outside world, handed in once when the worker starts, so tests
// can build the same activities against their own servers.
import type Stripe from 'stripe';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db';
import type { GenerateRequest, Draft } from '../../core/domain';
import type { FrontEndNotifiers } from './notify';

export interface DraftGenerator {
  generate(req: GenerateRequest, signal?: AbortSignal): Promise<Draft>;
}

export interface ActivityDeps {
  db: Database;
  config: Config;
  generator: DraftGenerator;
  /** Needed by the purchase saga's compensation (refunds). */
  stripe?: Stripe;
  /** Outgoing HTTP calls to author-facing channels (notify) go through this, for tests to observe. */
  fetch?: typeof fetch;
  /** How Slack and Discord show a post's milestones: the front ends' code, handed in by the process. */
  notifiers?: FrontEndNotifiers;
}
