// Shapes shared by the UI and the service worker. The UI never sees the API key, only these.

export type ProblemKind =
  'not_configured' | 'offline' | 'unreachable' | 'unauthorized' | 'no_credits' | 'rate_limited' | 'invalid' | 'conflict' | 'not_found' | 'server';

export interface Problem {
  kind: ProblemKind;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: Problem };

export const TONES = ['professional', 'friendly', 'bold', 'witty', 'informative', 'inspiring'] as const;
export type Tone = (typeof TONES)[number];

export interface Me {
  account: { id: string; kind: string; name?: string };
  member: { id: string };
  credits: number;
}

export interface Draft {
  content: string;
  hashtags: string[];
  bestTime?: string;
  generator?: { kind: string; model?: string };
  /** The paid draft's id: a post created from this draft is paid by it, not by a new credit. */
  draftId?: string;
}

export interface Post {
  id: string;
  status: 'generating' | 'draft' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'canceled';
  topic?: string;
  content?: string;
  hashtags?: string[];
  targets: { kind: string }[];
  scheduledAt: string;
  timeZone: string;
  reason?: string;
  createdAt: string;
}

/** What PATCH and DELETE answer: the post's state as its workflow sees it, ahead of the list. */
export interface PostChange {
  status: Post['status'];
  scheduledAt: string;
  reason?: string;
}

export interface Pack {
  id: string;
  name: string;
  credits: number;
  price: string;
}

export interface LinkedInStatus {
  connected: boolean;
  name?: string;
  expiresAt?: string;
  expired?: boolean;
  expiresSoon?: boolean;
}

/** draft: a new post from a topic; the others work on `text` (the post in LinkedIn's editor). */
export const GENERATE_MODES = ['draft', 'rewrite', 'shorten', 'hook'] as const;
export type GenerateMode = (typeof GENERATE_MODES)[number];

export interface GenerateRequest {
  topic?: string;
  tone: Tone;
  language: string;
  instructions?: string;
  mode?: GenerateMode;
  text?: string;
}

/** What the generate port sends back to the panel, in order: charged, delta…, done | error. */
export type GenerateEvent =
  { type: 'charged'; credits: number } | { type: 'delta'; text: string } | { type: 'done'; draft: Draft } | { type: 'error'; error: Problem };

export const GENERATE_PORT = 'postforge-generate';
