// Errors the edges turn into answers: each says what was wrong and how to fix it.
export class UserError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 402 | 403 | 404 | 409 | 422 = 400,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class NotFound extends UserError {
  constructor(what: string) {
    super(`${what} was not found.`, 404);
  }
}
