// A post's document as it is first written, by the API (so it can be read at once) or by the
// workflow's first activity (if the API crashed in between): the same document either way.
import { isDuplicateKey, type Database } from './db';
import type { PostDoc } from './records';
import type { PostLifecycleInput } from '../workflows/types';

export function newPostDoc(input: PostLifecycleInput, now = new Date()): PostDoc {
  const status = input.text === undefined ? 'generating' : 'scheduled';
  return {
    _id: input.postId,
    accountId: input.accountId,
    authorId: input.authorId,
    source: input.source,
    ...(input.topic !== undefined ? { topic: input.topic } : {}),
    tone: input.tone,
    language: input.language,
    ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
    ...(input.text !== undefined ? { content: input.text } : {}),
    hashtags: input.hashtags ?? [],
    targets: input.targets,
    scheduledAt: new Date(input.scheduledAt),
    timeZone: input.timeZone,
    status,
    results: [],
    history: [{ at: now, status, event: 'created' }],
    createdAt: now,
    updatedAt: now,
  };
}

export async function insertPostRecord(db: Database, input: PostLifecycleInput): Promise<void> {
  // A plain insert, not an upsert with $setOnInsert: FerretDB v1 drops empty arrays on that path.
  try {
    await db.posts.insertOne(newPostDoc(input));
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
