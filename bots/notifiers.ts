// The front ends' side of the workflow's milestones, handed to the worker by its process
// (apps/worker.ts), so the worker never imports the front ends.
import type { FrontEndNotifiers } from '../worker/activities/notify';
import { notifyDiscord, notifyDiscordChannel } from './discord/notifier';
import { notifySlack } from './slack/notifier';

export const frontEndNotifiers: FrontEndNotifiers = { slack: notifySlack, discord: notifyDiscord, discordChannel: notifyDiscordChannel };
