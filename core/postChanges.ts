// When an account's posts last changed: one small document per account, read by `_id`, so the web
// dashboard's "anything new?" poll costs a primary-key lookup instead of a scan of the posts
// (FerretDB v1 scans for any filter but `{_id}`: about 0.5 s per poll at 5,000 posts, measured).
//
// A hint, not a record: a bump that fails is only logged, and two racing bumps may leave the older
// time (FerretDB's updates are read-modify-write), so readers still rescan now and then.
import type { Collection } from 'mongodb';
import type { Database } from './db';

export interface PostChangesDoc {
  /** The account id. */
  _id: string;
  at: Date;
}

const changes = (db: Database): Collection<PostChangesDoc> => db.db.collection<PostChangesDoc>('post_changes');

export async function markPostsChanged(db: Database, accountId: string, at: Date): Promise<void> {
  try {
    await changes(db).updateOne({ _id: accountId }, { $set: { at } }, { upsert: true });
  } catch (err) {
    console.error(`[posts] could not mark ${accountId}'s posts as changed (the dashboard sees it at its next rescan): ${String(err)}`);
  }
}

/** When the account's posts last changed, as far as the marker knows; undefined if never marked. */
export async function postsChangedAt(db: Database, accountId: string): Promise<Date | undefined> {
  return (await changes(db).findOne({ _id: accountId }))?.at;
}
