// The services' context as a front end's command runner sees it inside a worker activity: the
// worker's database and config, and the activity's own Temporal client (a command starts a post).
import { Context } from '@temporalio/activity';
import { generatorFor } from '../core/generation';
import { createStripe } from '../core/stripe';
import type { ServiceContext } from '../services/context';
import type { ActivityDeps } from '../worker/activities/deps';

export function serviceContextIn(deps: ActivityDeps, now?: Date): ServiceContext {
  return {
    db: deps.db,
    config: deps.config,
    temporal: Context.current().client,
    stripe: deps.stripe ?? createStripe(deps.config),
    generator: generatorFor(deps.config),
    ...(now ? { now: () => now } : {}),
  };
}

/** The activity's logger, for the runners' `log(msg)`. */
export function activityLog(prefix: string): (msg: string) => void {
  return (msg) => Context.current().log.warn(`[${prefix}] ${msg}`);
}
