// What activities need from the outside world, handed in once when the worker starts, so tests
// can build the same activities against their own servers.
import type Stripe from 'stripe';
import type { Config } from '../../core/config';
import type { Database } from '../../core/db';
import type { BotCommandInput, BotEdge } from '../../core/botCommands';
import type { GenerateRequest, Draft, Milestone, NotifyChannel } from '../../core/domain';

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
  /** How Slack and Discord carry out a command after its ack: the front ends' code, handed in by the process. */
  commands?: FrontEndCommands;
}

/** Carries out one acknowledged bot command (answering its author itself); given to the worker by its process. */
export type FrontEndCommands = Partial<Record<BotEdge, (input: BotCommandInput, deps: ActivityDeps) => Promise<void>>>;

/** One milestone of a post, told to its author through the channel the front end chose. */
export interface Notification {
  postId: string;
  channel: NotifyChannel;
  milestone: Milestone;
  /** One sentence for the author. */
  message: string;
}

export type Notifier = (n: Notification, deps: ActivityDeps) => Promise<void>;

/** How each front end shows milestones (Slack, Discord): given to the worker by its process (apps/worker.ts). */
export type FrontEndNotifiers = Partial<Record<Exclude<NotifyChannel['kind'], 'none' | 'webhook'>, Notifier>>;
