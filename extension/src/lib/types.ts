// Shapes shared by the UI and the service worker. The UI never sees the API key, only these.
import type { components } from './api.gen';

export type ProblemKind =
  'not_configured' | 'offline' | 'unreachable' | 'unauthorized' | 'no_credits' | 'rate_limited' | 'invalid' | 'conflict' | 'not_found' | 'server';

export interface Problem {
  kind: ProblemKind;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: Problem };

export const TONES = ['professional', 'friendly', 'bold', 'witty', 'informative', 'inspiring'] as const;
export type Tone = (typeof TONES)[number];

// What the API answers, generated from its OpenAPI document (npm run gen:api), never copied by hand.
type Schemas = components['schemas'];
export type Me = Schemas['Me'];
/** A streamed draft as the API finished it, with the paid draft's id: a post created from it is paid by it, not by a new credit. */
export type Draft = Schemas['DraftDoneEvent'] & { draftId?: string };
export type Post = Schemas['Post'];
/** What PATCH and DELETE answer: the post's state as its workflow sees it, ahead of the list. */
export type PostChange = Schemas['PostState'];
export type Pack = Schemas['Pack'];
export type LinkedInStatus = Schemas['LinkedInConnection'];

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
