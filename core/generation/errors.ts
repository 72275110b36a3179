// Why a draft could not be written, in words for the author, and whether trying again may help.
// The Temporal activity turns `retryable` into a retryable or non-retryable ApplicationFailure, so
// only failures that can pass by themselves (rate limits, overload, a dropped connection) set it.
export type GenerationErrorKind =
  /** Claude declined, or answered without writing a draft. */
  | 'refused'
  /** The draft came back in a shape PostForge cannot use. */
  | 'malformed'
  /** The post did not fit the character limit, or the answer was cut off. */
  | 'too_long'
  /** Rate limited, overloaded, timed out or unreachable, after the SDK's own retries. */
  | 'unavailable'
  /** The API key was rejected. */
  | 'auth'
  /** The API turned the request down for good: unknown model, spend limit, a bad request. */
  | 'rejected';

export class GenerationError extends Error {
  override readonly name = 'GenerationError';
  readonly retryable: boolean;

  constructor(
    readonly kind: GenerationErrorKind,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable ?? kind === 'unavailable';
  }
}
