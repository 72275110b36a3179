// Secrets at rest (OAuth tokens) are sealed with AES-256-GCM; the key comes from the environment.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

const TAG_BYTES = 16;
const IV_BYTES = 12;

/** Accepts a base64 32-byte key, or any passphrase (hashed to 32 bytes) for local development. */
export function encryptionKey(secret: string): Buffer {
  const raw = Buffer.from(secret, 'base64');
  return raw.length === 32 ? raw : createHash('sha256').update(secret).digest();
}

export function seal(plain: string, key: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function unseal(sealed: Sealed, key: Buffer): string {
  // GCM accepts tags as short as 4 bytes unless told the length; a truncated tag is far easier to
  // forge, so anything but the full 16 bytes we write is refused.
  const tag = Buffer.from(sealed.tag, 'base64');
  const iv = Buffer.from(sealed.iv, 'base64');
  if (tag.length !== TAG_BYTES) throw new Error(`sealed value has a ${tag.length}-byte authentication tag; expected ${TAG_BYTES}`);
  if (iv.length !== IV_BYTES) throw new Error(`sealed value has a ${iv.length}-byte IV; expected ${IV_BYTES}`);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
