// Claude when a key is configured, the offline generator otherwise.
import { createClaudeGenerator } from './claude';
import { createOfflineGenerator } from './offline';
import type { Generator } from './types';

export function createGenerator(opts: { apiKey?: string; baseURL?: string; model?: string; maxRetries?: number; timeoutMs?: number }): Generator {
  if (!opts.apiKey) return createOfflineGenerator();
  return createClaudeGenerator({ ...opts, apiKey: opts.apiKey });
}

export { createClaudeGenerator, DEFAULT_MODEL } from './claude';
export { GenerationError, type GenerationErrorKind } from './errors';
export { createOfflineGenerator, OFFLINE_MARK } from './offline';
export type { DraftEvent, Generator } from './types';
