// Idempotency-Key for creates (IETF draft "The Idempotency-Key HTTP Header Field"): a key names one
// request for good. The first use binds the key to a fingerprint of the request body; the same key
// with the same body answers the same post however late it comes, and with a different body it is
// refused (422), never silently turned into a second post or into new text for the first one.
import { createHash } from 'node:crypto';
import { isDuplicateKey, type IdempotencyKeyDoc } from '../core/db';
import type { ServiceContext } from './context';
import { UserError } from './errors';

/** sha256 of the request as JSON with sorted keys, so key order and whitespace do not matter. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A stable id for (account, name), e.g. the post id a key creates. */
export const scopedId = (accountId: string, name: string, length = 24): string =>
  createHash('sha256').update(`${accountId}\0${name}`).digest('hex').slice(0, length);

export interface IdempotencyKeyName {
  name: string;
  /** No Idempotency-Key was sent: a paid draft's id stands in for it. */
  implicitFromDraft?: boolean;
}

/** The binding made earlier for `key`, if any; throws 422 when it was made for a different body. */
export async function keyBinding(ctx: ServiceContext, accountId: string, key: IdempotencyKeyName, fingerprint: string): Promise<IdempotencyKeyDoc | null> {
  const bound = await ctx.db.idempotencyKeys.findOne({ _id: scopedId(accountId, key.name, 64) });
  if (bound && bound.fingerprint !== fingerprint) throw mismatch(key, bound.postId);
  return bound;
}

/**
 * Binds `key` to this request and the post it creates, or checks a binding made before. Throws
 * 422 when the key was used with a different body.
 */
export async function bindIdempotencyKey(ctx: ServiceContext, accountId: string, key: IdempotencyKeyName, fingerprint: string, postId: string): Promise<void> {
  const _id = scopedId(accountId, key.name, 64);
  try {
    await ctx.db.idempotencyKeys.insertOne({ _id, accountId, fingerprint, postId, createdAt: new Date() });
    return;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await keyBinding(ctx, accountId, key, fingerprint);
}

function mismatch(key: IdempotencyKeyName, postId: string): UserError {
  if (key.implicitFromDraft) {
    return new UserError(
      `This draft already made post ${postId} from a different request. Change that post (PATCH /v1/posts/${postId}), or leave out draftId to pay for a new post.`,
      422,
      [{ path: 'draftId', message: 'already used with a different body' }],
    );
  }
  return new UserError(
    `This Idempotency-Key was already used for a different request (post ${postId}). Send the same body to get that post again, or use a new key for a new post.`,
    422,
    [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
  );
}
