// The front ends' side of carrying out an acknowledged command in the worker, handed to the
// worker by its process (apps/worker.ts), so the worker never imports the front ends.
import type { FrontEndCommands } from '../worker/activities/deps';
import { runDiscordCommand } from './discord/commandRunner';
import { runSlackCommand } from './slack/commandRunner';

export const frontEndCommands: FrontEndCommands = { slack: runSlackCommand, discord: runDiscordCommand };
