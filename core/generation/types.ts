import type { Draft, GenerateRequest } from '../domain';

export type DraftEvent = { type: 'delta'; text: string } | { type: 'done'; draft: Draft };

/** Claude or the offline generator: a finished draft, or one that streams in. */
export interface Generator {
  generate(req: GenerateRequest, signal?: AbortSignal): Promise<Draft>;
  stream(req: GenerateRequest, signal?: AbortSignal): AsyncIterable<DraftEvent>;
}
