// A Database whose collections record every query they are asked, to prove a code path reads only
// by `_id`: the one filter FerretDB v1 answers from an index (test/integration/ferretdbIndexes.test.ts
// shows that lookup is an index search); any other filter scans the whole collection.
import { Collection } from 'mongodb';
import type { Database } from '../../core/db';

export interface RecordedQuery {
  collection: string;
  op: string;
  filter: unknown;
}

const QUERIES = new Set([
  'find',
  'findOne',
  'countDocuments',
  'distinct',
  'aggregate',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
]);

export function recordingDb(db: Database): { db: Database; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  const wrap = (name: string, c: Collection<never>) =>
    new Proxy(c, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (!QUERIES.has(String(prop))) return value.bind(target);
        return (...args: unknown[]) => {
          queries.push({ collection: name, op: String(prop), filter: prop === 'distinct' ? args[1] : args[0] });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const proxied = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      return value instanceof Collection ? wrap(String(prop), value as unknown as Collection<never>) : value;
    },
  });
  return { db: proxied, queries };
}

/** The queries whose filter is anything but exactly `{ _id: <string> }`: each a scan on FerretDB. */
export function scans(queries: RecordedQuery[]): RecordedQuery[] {
  return queries.filter((q) => {
    const f = q.filter as Record<string, unknown> | undefined;
    return !f || Object.keys(f).length !== 1 || typeof f._id !== 'string';
  });
}
