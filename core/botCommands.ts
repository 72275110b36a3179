// A Slack or Discord command acknowledged by its edge and carried out by the worker (the
// `botCommand` workflow's one activity). The edge's only durable step before its ack is starting
// that workflow, so an edge that dies right after the ack loses nothing.
export type BotEdge = 'slack' | 'discord';

export interface BotCommandInput {
  edge: BotEdge;
  /** The command as the edge received it (a Slack slash command, a Discord interaction), plus what the edge decided. */
  payload: unknown;
  /** When the edge acknowledged it (ISO): answers that depend on "now" use this, not the activity's clock. */
  receivedAt: string;
}

/** One entry of the `bot_commands` inbox (core/db.ts): a command acknowledged, its workflow not started yet. */
export interface BotCommandDoc {
  /** The workflow id it gets: `command-<edge>-<invocation>`, so a repeat of one invocation is one entry. */
  _id: string;
  input: BotCommandInput;
  at: Date;
}

/** One workflow per invocation: a repeated delivery of the same command finds it started. */
export const botCommandWorkflowId = (edge: BotEdge, invocationId: string): string => `command-${edge}-${invocationId}`;
