// Per-member API keys: shown once, stored hashed, scoped to one account, revocable.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './db';
import type { ApiKeyDoc } from './records';

const PREFIX = 'pf_';

const hash = (key: string): string => createHash('sha256').update(key).digest('hex');

export async function issueApiKey(
  db: Database,
  owner: { accountId: string; memberId: string; label: string; role?: 'admin' | 'member'; session?: 'extension' },
): Promise<{ key: string; id: string; prefix: string }> {
  const key = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const doc: ApiKeyDoc = { _id: hash(key), prefix: key.slice(0, 10), ...owner, role: owner.role ?? 'member', createdAt: new Date() };
  await db.apiKeys.insertOne(doc);
  return { key, id: doc._id.slice(0, 16), prefix: doc.prefix };
}

/** The key's owner, or undefined for an unknown or revoked key. */
export async function verifyApiKey(db: Database, key: string): Promise<ApiKeyDoc | undefined> {
  if (!key.startsWith(PREFIX) || key.length > 200) return undefined;
  const doc = await db.apiKeys.findOne({ _id: hash(key) });
  if (!doc || doc.revokedAt) return undefined;
  return doc;
}

export async function revokeApiKey(db: Database, accountId: string, idOrPrefix: string): Promise<number> {
  const keys = await db.apiKeys.find({ accountId, revokedAt: { $exists: false } }).toArray();
  const hits = keys.filter((k) => k._id.startsWith(idOrPrefix) || k.prefix === idOrPrefix);
  for (const k of hits) await db.apiKeys.updateOne({ _id: k._id }, { $set: { revokedAt: new Date() } });
  return hits.length;
}
