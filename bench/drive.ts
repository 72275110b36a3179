// Driving PostForge the way its users do: posts created through the REST API with API keys, and
// watched through the documents the workflows keep. Each phase uses its own accounts so it can
// count its posts by account, which an index answers, instead of by long id lists.
import type { PostDoc } from '../core/records';
import type { CreatePostBody } from '../services/postSchemas';
import type { Target } from '../core/domain';
import { progress } from './progress';
import type { BenchAccount, BenchStack } from './stack';

export type PostBody = Partial<CreatePostBody> & { targets: Target[] };

export interface Created {
  postId: string;
  accountId: string;
  body: PostBody;
  /** When the request went out and when its answer came, ms since epoch. */
  sentAt: number;
  answeredAt: number;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results keep the items' order. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export async function createPosts(
  stack: BenchStack,
  items: Array<{ account: BenchAccount; body: PostBody }>,
  opts: { concurrency: number; label: string },
): Promise<Created[]> {
  const bar = progress(opts.label, items.length);
  let done = 0;
  const created = await pool(items, opts.concurrency, async ({ account, body }) => {
    const sentAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${stack.apiUrl}/v1/posts`, {
        method: 'POST',
        headers: { ...account.auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).catch((err: Error) => err);
      if (!(res instanceof Error) && res.status === 202) {
        const answer = (await res.json()) as { id: string };
        bar.update(++done);
        return { postId: answer.id, accountId: account.accountId, body, sentAt, answeredAt: Date.now() };
      }
      const why = res instanceof Error ? res.message : `${res.status} ${await res.text()}`;
      // A create the API could not finish (Temporal busy) is the caller's to retry; a bench that
      // gave up here would report a throughput nobody got.
      if (attempt >= 5) throw new Error(`POST /v1/posts failed: ${why}`);
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  });
  bar.end(`${created.length} created`);
  return created;
}

/**
 * Waits until `check(id)` holds for every id. Only lookups by `_id` are used: FerretDB answers
 * those from its primary key, while any other filter scans the whole collection, and a bench that
 * scanned 10,000 posts four times a second would be measuring itself. Ids are checked in order and a
 * round stops after a run of misses, since posts finish roughly in the order they were created.
 */
export async function waitForEach(
  ids: string[],
  check: (id: string) => Promise<boolean>,
  opts: { label: string; timeoutMs: number; pollMs?: number; missesPerRound?: number },
): Promise<{ reached: boolean; done: number; at: number }> {
  const bar = progress(opts.label, ids.length);
  const deadline = Date.now() + opts.timeoutMs;
  let pending = [...ids];
  for (;;) {
    const still: string[] = [];
    let misses = 0;
    for (let i = 0; i < pending.length; i++) {
      const id = pending[i] as string;
      if (misses >= (opts.missesPerRound ?? 25)) {
        still.push(...pending.slice(i));
        break;
      }
      if (await check(id)) misses = 0;
      else {
        misses++;
        still.push(id);
      }
    }
    pending = still;
    const done = ids.length - pending.length;
    bar.update(done);
    if (pending.length === 0) {
      bar.end(`${done} done`);
      return { reached: true, done, at: Date.now() };
    }
    if (Date.now() > deadline) {
      bar.end(`gave up: ${done}/${ids.length}`);
      return { reached: false, done, at: Date.now() };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

/**
 * Waits until each post's workflow has recorded it scheduled, i.e. it is past setup and asleep or
 * beyond. (Not the charge: the API takes the credit at create, before the workflow has run at all.)
 */
export function waitUntilAsleep(stack: BenchStack, postIds: string[], opts: { label: string; timeoutMs: number }) {
  return waitForEach(
    postIds,
    async (id) => {
      const doc = await stack.db.posts.findOne({ _id: id }, { projection: { history: 1 } });
      return doc?.history.some((h) => h.event === 'scheduled') ?? false;
    },
    opts,
  );
}

/** Waits until each post is in one of `statuses`. */
export function waitForStatus(
  stack: BenchStack,
  postIds: string[],
  statuses: PostDoc['status'][],
  opts: { label: string; timeoutMs: number; pollMs?: number },
) {
  return waitForEach(
    postIds,
    async (id) => {
      const doc = await stack.db.posts.findOne({ _id: id }, { projection: { status: 1 } });
      return doc !== null && statuses.includes(doc.status);
    },
    { ...opts, missesPerRound: Number.MAX_SAFE_INTEGER },
  );
}

/** `n` accounts for a phase, each with enough credits for its share of the posts. */
export async function phaseAccounts(stack: BenchStack, phase: string, n: number, credits: number, opts: { linkedin?: boolean } = {}): Promise<BenchAccount[]> {
  return pool(
    Array.from({ length: n }, (_, i) => i),
    10,
    (i) => stack.newAccount(`${phase}-${i}`, { credits, ...opts }),
  );
}

/**
 * Accounts for `posts` posts at about ten posts each: a burst of posts due at 9:00 comes from many
 * people, and a hundred posts charged at once on one account would measure that account's ledger
 * contention instead (each append races the others for the next seq).
 */
export const accountsFor = (posts: number): number => Math.max(10, Math.ceil(posts / 10));
