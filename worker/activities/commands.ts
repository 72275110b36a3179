// Bot commands carried out in the worker: the front end's own runner (handed in by the process,
// apps/worker.ts), so the worker never imports the front ends.
import type { BotCommandInput } from '../../core/botCommands';
import type { ActivityDeps } from './deps';

export function commandActivities(deps: ActivityDeps) {
  return {
    async carryOutBotCommand(input: BotCommandInput): Promise<void> {
      const run = deps.commands?.[input.edge];
      // Retried: another worker (or this one, restarted with its front ends) can run it.
      if (!run) throw new Error(`this worker has no ${input.edge} command runner`);
      await run(input, deps);
    },
  };
}
