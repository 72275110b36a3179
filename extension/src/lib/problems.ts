// Turns HTTP answers and network failures into sentences a person can act on. The panel, popup
// and options page only ever show these messages, never status codes.
import type { Problem } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly retryAfter?: number,
  ) {
    super(detail ?? title);
  }
}

export class NotConfigured extends Error {}

export function toProblem(err: unknown, apiUrl?: string): Problem {
  if (err instanceof NotConfigured) {
    return { kind: 'not_configured', message: 'You are not signed in to PostForge yet. Sign in with LinkedIn from the extension.' };
  }
  if (err instanceof ApiError) return fromStatus(err);
  if (err instanceof DOMException && err.name === 'AbortError') {
    return { kind: 'unreachable', message: 'PostForge took too long to answer. Try again in a moment.' };
  }
  // fetch rejects with a TypeError for DNS, refused connections and offline alike.
  if ((globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false) {
    return { kind: 'offline', message: 'You are offline. Check your internet connection and try again.' };
  }
  if (err instanceof TypeError) {
    return { kind: 'unreachable', message: `Can't reach PostForge${apiUrl ? ` at ${apiUrl}` : ''}. Check the API URL in the options, or try again later.` };
  }
  return { kind: 'server', message: 'Something unexpected went wrong. Try again in a moment.' };
}

function fromStatus(e: ApiError): Problem {
  switch (e.status) {
    case 401:
    case 403:
      return { kind: 'unauthorized', message: 'Your sign-in or API key was not accepted: it is wrong, expired or was revoked. Sign in again.' };
    case 402:
      return { kind: 'no_credits', message: 'You are out of credits. Buy a pack to keep writing.' };
    case 429: {
      const wait = e.retryAfter ? `${e.retryAfter} second${e.retryAfter === 1 ? '' : 's'}` : 'a minute';
      return { kind: 'rate_limited', message: `Too many requests right now. Wait ${wait} and try again.` };
    }
    case 404:
      return { kind: 'not_found', message: e.detail ?? 'That item no longer exists.' };
    case 409:
      return { kind: 'conflict', message: e.detail ?? 'That is not possible in the post’s current state.' };
    case 400:
    case 422:
      return { kind: 'invalid', message: e.detail ?? 'PostForge did not accept that. Check the fields and try again.' };
    default:
      return e.status >= 500
        ? { kind: 'server', message: 'PostForge had a problem on its side. Nothing was charged; try again in a moment.' }
        : { kind: 'server', message: e.detail ?? e.title };
  }
}
