// Secrets at rest (OAuth tokens) are sealed with AES-256-GCM; the key comes from the environment.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

/** Accepts a base64 32-byte key, or any passphrase (hashed to 32 bytes) for local development. */
export function encryptionKey(secret: string): Buffer {
  const raw = Buffer.from(secret, 'base64');
  return raw.length === 32 ? raw : createHash('sha256').update(secret).digest();
}

export function seal(plain: string, key: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function unseal(sealed: Sealed, key: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
