// Discord signs every HTTP interaction with the application's Ed25519 key, over timestamp + raw
// body, and sends forged ones on purpose to check that endpoints refuse them. The signature alone
// would let anyone who captured one request (a log, a proxy) replay it forever, so the signed
// timestamp must also be recent.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

// SubjectPublicKeyInfo header for a raw 32-byte Ed25519 key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 64 hex characters (General Information → Public Key)');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Discord sends an interaction at once and wants an answer within 3 s; minutes of clock skew is plenty. */
export const MAX_INTERACTION_AGE_SEC = 300;

export function verifyInteraction(
  key: KeyObject,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
  nowMs: number = Date.now(),
): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_INTERACTION_AGE_SEC) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signatureHex, 'hex'));
}
