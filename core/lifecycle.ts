// What crosses the boundary between the edges (API, bots), the workflows and the activities: the
// post workflow's input and its answer. Here in core/ so every layer below the workflows can name them.
// Pure types so the workflow bundle stays deterministic.
import type { Draft, PostStatus, Target, TargetResult, Tone } from './domain';
import type { PostDoc } from './records';

export interface PostLifecycleInput {
  postId: string;
  accountId: string;
  authorId: string;
  source: PostDoc['source'];
  /** Either the author's own text, or a topic for the generator. */
  text?: string;
  topic?: string;
  tone: Tone;
  language: string;
  instructions?: string;
  hashtags?: string[];
  targets: Target[];
  /** ISO instant. */
  scheduledAt: string;
  timeZone: string;
  requireApproval: boolean;
  /** Set when an interactive draft already paid for this post (`charge:draft:<id>`). */
  chargeKey?: string;
  /** Set when the API took the post's credit at create (`charge:<postId>`); the charge step finds it. */
  creditReserved?: boolean;
  /** Set when the starter inserted the post's document before starting the workflow (services/posts.ts). */
  recordCreated?: boolean;
}

export interface PostState {
  postId: string;
  status: PostStatus;
  content?: string;
  hashtags: string[];
  scheduledAt: string;
  bestTime?: string;
  generator?: Draft['generator'];
  reason?: string;
  refunded?: boolean;
  results: TargetResult[];
}
