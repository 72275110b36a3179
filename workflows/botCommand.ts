// A bot command carried out after its ack: the edge started this workflow as its one durable
// hand-off, and the work (Slack/Discord lookups, the preview, the post's start) runs here in an
// activity, so an API that dies right after the ack loses nothing.
import { proxyActivities } from '@temporalio/workflow';
import type { BotCommandInput } from '../core/botCommands';
import type { Activities } from '../worker/activities';

const { carryOutBotCommand } = proxyActivities<Activities>({
  // The runner answers its author itself (errors included); a retry is only for a worker that died
  // or a runner missing on this worker. Slack's response_url lives 30 min, a Discord token 15.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 10 },
});

export async function botCommand(input: BotCommandInput): Promise<void> {
  await carryOutBotCommand(input);
}
