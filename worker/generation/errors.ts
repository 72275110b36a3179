// Why a draft could not be written, in words for the author, and whether trying again may help.
export type GenerationErrorKind = 'refused' | 'malformed' | 'too_long' | 'unavailable' | 'auth';

export class GenerationError extends Error {
  override readonly name = 'GenerationError';
  constructor(
    readonly kind: GenerationErrorKind,
    message: string,
    readonly retryable = kind === 'unavailable',
  ) {
    super(message);
  }
}
