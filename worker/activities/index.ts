// Every activity the worker registers, built from one set of dependencies.
import { commandActivities } from './commands';
import { creditActivities } from './credits';
import type { ActivityDeps } from './deps';
import { generateActivities } from './generate';
import { notifyActivities } from './notify';
import { postActivities } from './posts';
import { publishActivities } from './publish';
import { purchaseActivities } from './purchases';
import { seriesActivities } from './series';

export function createActivities(deps: ActivityDeps) {
  return {
    ...postActivities(deps),
    ...creditActivities(deps),
    ...generateActivities(deps),
    ...publishActivities(deps),
    ...notifyActivities(deps),
    ...purchaseActivities(deps),
    ...seriesActivities(deps),
    ...commandActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps, FrontEndCommands } from './deps';
