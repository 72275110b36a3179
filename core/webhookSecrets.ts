// Each account's webhook signing secrets, so one tenant can never sign a delivery another tenant's
// endpoint would accept. Secret n of an account is the document `<account>#<n>`, sealed at rest; a
// rotation inserts n+1 under that unique `_id` (the race-safe primitive on FerretDB: of two
// concurrent rotations exactly one wins). Deliveries are signed with the newest secret and, for a
// grace period after each rotation, with the ones before it too (several `v1=` values, as Stripe
// does), so receivers can switch secrets without dropping a delivery.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from './config';
import { encryptionKey, seal, unseal, type Sealed } from './crypto';
import { isDuplicateKey, type Database } from './db';

export const WEBHOOK_SECRETS = 'webhook_secrets';

export interface WebhookSecretDoc {
  /** `<accountId>#<seq>` */
  _id: string;
  accountId: string;
  seq: number;
  secret: Sealed;
  createdAt: Date;
}

export interface WebhookSecretInfo {
  /** The first 12 hex characters of sha256(secret): names a secret without showing it. */
  fingerprint: string;
  createdAt: Date;
  /** Until when deliveries are still signed with it as well (older secrets only). */
  validUntil?: Date;
}

const collection = (db: Database) => db.db.collection<WebhookSecretDoc>(WEBHOOK_SECRETS);
const idOf = (accountId: string, seq: number) => `${accountId}#${seq}`;
export const fingerprintOf = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12);

/**
 * The newest few secrets read per account (and database), oldest first. A secret's document never
 * changes once inserted and is never deleted, so what was read stays true; a rotation is a new
 * number, and the number after the newest known is always read. A delivery then costs one read by
 * `_id` (the miss that says nothing was rotated) instead of one per secret kept plus that miss.
 */
const known = new Map<string, WebhookSecretDoc[]>();
/** Accounts remembered at most; past it the oldest is forgotten (and read again when next needed). */
const KNOWN_ACCOUNTS = 10_000;

/** The account's secrets, oldest first; each is found by `_id` (FerretDB reads only those by index). */
async function history(db: Database, accountId: string): Promise<WebhookSecretDoc[]> {
  const cacheKey = `${db.db.databaseName}\u0000${accountId}`;
  const docs = [...(known.get(cacheKey) ?? [])];
  for (let seq = (docs.at(-1)?.seq ?? 0) + 1; ; seq++) {
    const doc = await collection(db).findOne({ _id: idOf(accountId, seq) });
    if (!doc) break;
    docs.push(doc);
  }
  // The newest few are all a delivery needs: grace periods overlap only the latest rotations.
  const kept = docs.slice(-5);
  known.delete(cacheKey);
  if (kept.length > 0) known.set(cacheKey, kept);
  if (known.size > KNOWN_ACCOUNTS) known.delete(known.keys().next().value as string);
  return kept;
}

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** Inserts secret number `seq`; false when another writer took that number first. */
async function insertSecret(db: Database, config: Config, accountId: string, seq: number, secret: string): Promise<WebhookSecretDoc | undefined> {
  const doc: WebhookSecretDoc = {
    _id: idOf(accountId, seq),
    accountId,
    seq,
    secret: seal(secret, encryptionKey(config.ENCRYPTION_KEY)),
    createdAt: new Date(),
  };
  try {
    await collection(db).insertOne(doc);
    return doc;
  } catch (err) {
    if (isDuplicateKey(err)) return undefined;
    throw err;
  }
}

export type CreateOutcome = { created: true; secret: string; info: WebhookSecretInfo } | { created: false };

/** The account's first secret, made now and shown only in this answer; `created: false` if it already has one. */
export async function createWebhookSecret(db: Database, config: Config, accountId: string): Promise<CreateOutcome> {
  const secret = newSecret();
  const doc = await insertSecret(db, config, accountId, 1, secret);
  return doc ? { created: true, secret, info: { fingerprint: fingerprintOf(secret), createdAt: doc.createdAt } } : { created: false };
}

export type RotateOutcome = { ok: true; secret: string; info: WebhookSecretInfo; previous?: WebhookSecretInfo } | { ok: false };

/** A new secret (shown only in this answer); the previous one still signs for `WEBHOOK_SECRET_GRACE`. */
export async function rotateWebhookSecret(db: Database, config: Config, accountId: string): Promise<RotateOutcome> {
  const docs = await history(db, accountId);
  const current = docs.at(-1);
  const secret = newSecret();
  const doc = await insertSecret(db, config, accountId, (current?.seq ?? 0) + 1, secret);
  if (!doc) return { ok: false };
  const key = encryptionKey(config.ENCRYPTION_KEY);
  return {
    ok: true,
    secret,
    info: { fingerprint: fingerprintOf(secret), createdAt: doc.createdAt },
    ...(current
      ? {
          previous: {
            fingerprint: fingerprintOf(unseal(current.secret, key)),
            createdAt: current.createdAt,
            validUntil: new Date(doc.createdAt.getTime() + config.WEBHOOK_SECRET_GRACE),
          },
        }
      : {}),
  };
}

/** The secrets that sign a delivery now, newest first: the current one, then those still in their grace period. */
function live(docs: WebhookSecretDoc[], config: Config, now: number): Array<{ doc: WebhookSecretDoc; validUntil?: Date }> {
  const out: Array<{ doc: WebhookSecretDoc; validUntil?: Date }> = [];
  for (let i = docs.length - 1; i >= 0; i--) {
    const doc = docs[i] as WebhookSecretDoc;
    const successor = docs[i + 1];
    if (!successor) {
      out.push({ doc });
      continue;
    }
    const validUntil = new Date(successor.createdAt.getTime() + config.WEBHOOK_SECRET_GRACE);
    if (validUntil.getTime() <= now) break;
    out.push({ doc, validUntil });
  }
  return out;
}

/** What the account's secrets are, without showing any of them. */
export async function webhookSecretStatus(
  db: Database,
  config: Config,
  accountId: string,
  now = Date.now(),
): Promise<{ current?: WebhookSecretInfo; previous: WebhookSecretInfo[] }> {
  const key = encryptionKey(config.ENCRYPTION_KEY);
  const [current, ...previous] = live(await history(db, accountId), config, now).map(({ doc, validUntil }) => ({
    fingerprint: fingerprintOf(unseal(doc.secret, key)),
    createdAt: doc.createdAt,
    ...(validUntil ? { validUntil } : {}),
  }));
  return { ...(current ? { current } : {}), previous };
}

/**
 * The secrets to sign one of the account's deliveries with, newest first. An account that never made
 * one gets its first now (a receiver learns it by rotating, which keeps this one valid for the grace period).
 */
export async function signingSecretsFor(db: Database, config: Config, accountId: string, now = Date.now()): Promise<string[]> {
  let docs = await history(db, accountId);
  if (docs.length === 0) {
    await insertSecret(db, config, accountId, 1, newSecret());
    docs = await history(db, accountId);
  }
  const key = encryptionKey(config.ENCRYPTION_KEY);
  return live(docs, config, now).map(({ doc }) => unseal(doc.secret, key));
}
