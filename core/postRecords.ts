// A post's document as it is first written, by the API (so it can be read at once) or by the
// workflow's first activity (if the API crashed in between): the same document either way.
//
// After this insert the workflow is the document's only writer. FerretDB v1 updates a document by
// reading it, changing it in Go and writing all of it back, so two writers updating one post at
// once can lose one's change (the bench caught a Slack post whose draft status was overwritten
// by the bot's own "remember the preview message" write). What a front end knows at creation —
// where its status message lives — therefore goes into this insert, not into a later update.
import { isDuplicateKey, type Database } from './db';
import type { PostDoc } from './records';
import { markPostsChanged } from './postChanges';
import type { PostLifecycleInput } from './lifecycle';

/** Where a front end shows the post's status: known before the post exists, written with it. */
export type PostLinks = Pick<PostDoc, 'slack' | 'discord'>;

export function newPostDoc(input: PostLifecycleInput, now = new Date(), links: PostLinks = {}): PostDoc {
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
    ...(links.slack ? { slack: links.slack } : {}),
    ...(links.discord ? { discord: links.discord } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

export async function insertPostRecord(db: Database, input: PostLifecycleInput, links: PostLinks = {}): Promise<void> {
  // A plain insert, not an upsert with $setOnInsert: FerretDB v1 drops empty arrays on that path.
  const doc = newPostDoc(input, new Date(), links);
  try {
    await db.posts.insertOne(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return;
  }
  await markPostsChanged(db, doc.accountId, doc.updatedAt);
}
