// Claude when a key is configured, the offline generator otherwise.
import { createClaudeGenerator, type ClaudeOptions } from './claude';
import { createOfflineGenerator } from './offline';
import type { Generator } from './types';

import type { Config } from '../config';

export type GeneratorOptions = Omit<ClaudeOptions, 'apiKey'> & { apiKey?: string | undefined };

export function createGenerator(opts: GeneratorOptions): Generator {
  // A blank key (an empty line in .env) means "no key", not "a key Claude will reject".
  const apiKey = opts.apiKey?.trim();
  if (!apiKey) return createOfflineGenerator();
  return createClaudeGenerator({ ...opts, apiKey });
}

/** The generator a process runs with, from its configuration. */
export function generatorFor(c: Config): Generator {
  return createGenerator({
    ...(c.ANTHROPIC_API_KEY ? { apiKey: c.ANTHROPIC_API_KEY } : {}),
    ...(c.ANTHROPIC_BASE_URL ? { baseURL: c.ANTHROPIC_BASE_URL } : {}),
    model: c.ANTHROPIC_MODEL,
  });
}

export { createClaudeGenerator, DEFAULT_MODEL, type ClaudeOptions } from './claude';
export { GenerationError, type GenerationErrorKind } from './errors';
export { createOfflineGenerator, OFFLINE_MARK } from './offline';
export type { DraftEvent, Generator } from './types';
