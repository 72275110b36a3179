// Group commit for inbox inserts: concurrent inserts that arrive within a few milliseconds are
// written with one insertMany (ordered: false), so a burst of webhook acks queues behind the
// database's single writer once per batch instead of once per event. Each caller still learns
// its own outcome: inserted, or a duplicate `_id` (already recorded).
import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';

const DUPLICATE_KEY = 11000;

interface Waiting<T> {
  doc: T;
  resolve: (inserted: boolean) => void;
  reject: (err: unknown) => void;
}

export interface GroupInserter<T> {
  /** Resolves true once inserted, false if a document with that `_id` was already there. */
  insert(doc: T): Promise<boolean>;
}

export function groupInserter<T extends Document & { _id: string }>(
  collection: Collection<T>,
  opts: {
    windowMs: number;
    maxBatch?: number;
    /**
     * At most one insertMany in flight: what arrives meanwhile is written as the next batch the
     * moment it ends. On FerretDB (SQLite, one writer per database file) two batches at once only
     * make the second wait in SQLite's busy handler, which sleeps in steps of up to 100 ms.
     */
    oneWriteAtATime?: boolean;
  },
): GroupInserter<T> {
  const batch: Waiting<T>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing = false;
  const flush = () => {
    timer = undefined;
    if (writing || batch.length === 0) return;
    const these = batch.splice(0, opts.maxBatch ?? 100);
    const done = write(collection, these);
    if (!opts.oneWriteAtATime) return;
    writing = true;
    void done.finally(() => {
      writing = false;
      flush();
    });
  };
  return {
    insert(doc) {
      return new Promise<boolean>((resolve, reject) => {
        batch.push({ doc, resolve, reject });
        if (writing) return; // written as the next batch
        if (batch.length >= (opts.maxBatch ?? 100)) {
          if (timer) clearTimeout(timer);
          flush();
        } else if (!timer) timer = setTimeout(flush, opts.windowMs);
      });
    },
  };
}

async function write<T extends Document & { _id: string }>(collection: Collection<T>, batch: Waiting<T>[]): Promise<void> {
  try {
    await collection.insertMany(
      batch.map((w) => w.doc as OptionalUnlessRequiredId<T>),
      { ordered: false },
    );
    for (const w of batch) w.resolve(true);
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) {
      for (const w of batch) w.reject(err);
      return;
    }
    const failed = new Map<number, { code?: number }>();
    for (const e of Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]) failed.set(e.index, { code: e.code });
    batch.forEach((w, i) => {
      const e = failed.get(i);
      if (!e) w.resolve(true);
      else if (e.code === DUPLICATE_KEY) w.resolve(false);
      else w.reject(err);
    });
  }
}

/** Milliseconds an inbox insert waits for company before its batch is written. */
export const INBOX_GROUP_WINDOW_MS = 2;

const inserters = new WeakMap<object, Map<string, GroupInserter<never>>>();

/** The process's one group inserter for a database's collection (batches only form within one process). */
export function inboxInserter<T extends Document & { _id: string }>(
  db: { collection<C extends Document>(name: string): Collection<C> },
  name: string,
): GroupInserter<T> {
  let byName = inserters.get(db);
  if (!byName) inserters.set(db, (byName = new Map()));
  let inserter = byName.get(name) as GroupInserter<T> | undefined;
  if (!inserter) {
    inserter = groupInserter(db.collection<T>(name), { windowMs: INBOX_GROUP_WINDOW_MS, oneWriteAtATime: true });
    byName.set(name, inserter as unknown as GroupInserter<never>);
  }
  return inserter;
}
