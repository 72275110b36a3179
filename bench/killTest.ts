// What each system loses when its worker is killed: the same posts, due over the same window, on
// PostForge and on BullMQ at once; halfway through, both workers get kill -9 and are started
// again. The sink answers slowly (like a real endpoint), so some sends are in flight at the kill.
// Counted at the destination: never arrived (lost), sent more than once (duplicates, which the
// sink's Idempotency-Key dedupe absorbs but LinkedIn or Slack would show twice).
// The same kill also lands inside the arming lead of a second group of PostForge posts, all due a
// while after it: armed (their sends waiting in the worker's memory), not yet due. Those must come
// back through the activity's retry on the restarted worker, neither lost nor sent twice.
import { arrivals, postKey } from './arrivals';
import type { Bull } from './baseline/bullmq';
import { accountsFor, createPosts, phaseAccounts, pool, waitForEach } from './drive';
import { log, progress } from './progress';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

export interface KillSide {
  system: 'PostForge (Temporal)' | 'BullMQ (Redis)';
  posts: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** How long the worker took from start to ready after the kill. */
  restartMs: number;
  lateness: Summary;
  /** What the system itself says about the posts that did not go out cleanly. */
  notes: string[];
}

export interface LeadKillSide extends KillSide {
  /** Of the group's posts, how many were armed (attempt recorded `armed`) when the kill came. */
  armedAtKill: number;
  /** The group's common due time, this long after the kill. */
  dueAfterKillMs: number;
}

export interface KillResult {
  windowSeconds: number;
  sinkDelayMs: number;
  sides: KillSide[];
  /** The posts killed during their arming lead (absent when that group had no posts). */
  duringLead?: LeadKillSide;
}

export async function measureKill(
  stack: BenchStack,
  bull: Bull | undefined,
  opts: {
    posts: number;
    windowMs: number;
    sinkDelayMs: number;
    concurrency: number;
    leadMs: number;
    /** Posts in the "killed during the arming lead" group (0: none). */
    leadPosts: number;
    /** How long after the kill that group is due; shorter than the arming lead (PUBLISH_ARM_LEAD) so it is armed at the kill. */
    leadDueAfterKillMs: number;
  },
): Promise<KillResult> {
  const n = opts.posts;
  const accounts = await phaseAccounts(stack, 'kill', accountsFor(n + opts.leadPosts), 20);
  const start = Math.ceil((Date.now() + opts.leadMs) / 1000) * 1000;
  const dueOf = (i: number) => start + Math.floor((i * opts.windowMs) / n);
  const killAt = start + opts.windowMs / 2;
  const leadDue = Math.ceil((killAt + opts.leadDueAfterKillMs) / 1000) * 1000;
  const webhook = (accountId: string) => [{ kind: 'webhook' as const, url: stack.sink.hookUrlFor(accountId) }];
  const items = Array.from({ length: n }, (_, i) => ({
    account: accounts[i % accounts.length]!,
    body: { text: `Kill test post ${i}`, scheduledAt: new Date(dueOf(i)).toISOString(), targets: webhook(accounts[i % accounts.length]!.accountId) },
  }));
  const leadItems = Array.from({ length: opts.leadPosts }, (_, i) => ({
    account: accounts[(n + i) % accounts.length]!,
    body: {
      text: `Killed during the lead, post ${i}`,
      scheduledAt: new Date(leadDue).toISOString(),
      targets: webhook(accounts[(n + i) % accounts.length]!.accountId),
    },
  }));
  // The posts due after the kill are created first, so they have the whole setup to be armed by the
  // kill (created last, in one full run none of 200 was armed yet when the kill came).
  const leadCreated = leadItems.length
    ? await createPosts(stack, leadItems, { concurrency: opts.concurrency, label: 'kill test: PostForge posts due after the kill' })
    : [];
  const created = await createPosts(stack, items, { concurrency: opts.concurrency, label: 'kill test: PostForge posts' });
  const tKeys = created.map((c) => postKey(c.postId, stack.sink.hookUrlFor(c.accountId)));
  const leadKeys = leadCreated.map((c) => postKey(c.postId, stack.sink.hookUrlFor(c.accountId)));
  const bKeys: string[] = [];
  if (bull) {
    const bar = progress('kill test: BullMQ jobs', n);
    for (let i = 0; i < n; i++) {
      bKeys.push(await bull.schedule(`kill-${start}-${i}`, `Kill test post ${i}`, dueOf(i)));
      bar.update(i + 1);
    }
    bar.end(`${n} scheduled`);
  }
  if (Date.now() > start) log(`kill test: setup ran ${((Date.now() - start) / 1000).toFixed(1)}s past the first due time`);
  stack.sink.setDelay(opts.sinkDelayMs);
  try {
    // Read just before the kill (by _id: the attempt's key is the sink's idempotency key).
    const armedCheckAt = killAt - Math.min(3_000, 2 * leadKeys.length);
    await new Promise((r) => setTimeout(r, Math.max(0, armedCheckAt - Date.now())));
    const armedAtKill = (
      await pool(leadKeys, 10, async (k) => (await stack.db.publishAttempts.findOne({ _id: k }, { projection: { state: 1 } }))?.state === 'armed')
    ).filter(Boolean).length;
    await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
    const inFlight = { t: stack.sink.requests.length };
    await Promise.all([stack.killWorker(), bull?.worker().kill9()]);
    log(
      `kill test: kill -9 both workers at +${((Date.now() - start) / 1000).toFixed(1)}s (sink had ${inFlight.t} requests; ${armedAtKill} of ${leadKeys.length} posts due in ${((leadDue - Date.now()) / 1000).toFixed(0)}s were armed)`,
    );
    const restart = async (startFn: () => Promise<unknown>) => {
      const t0 = Date.now();
      await startFn();
      return Date.now() - t0;
    };
    const [tRestart, bRestart] = await Promise.all([restart(() => stack.startWorker()), bull ? restart(() => bull.startWorker()) : Promise.resolve(0)]);

    // Done when every PostForge post is terminal and BullMQ has nothing left to run (or 4 minutes).
    const ids = [...created, ...leadCreated].map((c) => c.postId);
    const settle = await waitForEach(
      [...ids, ...(bull ? ['bullmq'] : [])],
      async (id) => {
        if (id !== 'bullmq') {
          const doc = await stack.db.posts.findOne({ _id: id }, { projection: { status: 1 } });
          return doc?.status === 'published' || doc?.status === 'failed';
        }
        const counts = await bull!.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
        return Object.values(counts).reduce((a, b) => a + b, 0) === 0;
      },
      { label: 'kill test: settle', timeoutMs: 240_000, pollMs: 500, missesPerRound: Number.MAX_SAFE_INTEGER },
    );
    if (!settle.reached) log('kill test: not everything settled within 4 minutes; the unsettled count as lost');

    const side = (system: KillSide['system'], keys: string[], prefix: string, restartMs: number, notes: string[], due = dueOf): KillSide => {
      const a = arrivals(stack.sink, prefix);
      const late = keys.flatMap((k, i) => (a.first.has(k) ? [(a.first.get(k) as number) - due(i)] : []));
      return {
        system,
        posts: keys.length,
        delivered: keys.filter((k) => a.first.has(k)).length,
        lost: keys.filter((k) => !a.first.has(k)).length,
        duplicates: keys.filter((k) => (a.count.get(k) ?? 0) > 1).length,
        restartMs,
        lateness: summarize(late),
        notes,
      };
    };
    const outcomes = async (postIds: string[]) => {
      const docs = await pool(postIds, 10, (id) => stack.db.posts.findOne({ _id: id }, { projection: { status: 1, results: 1 } }));
      const failed = docs.filter((d) => d?.status === 'failed').length;
      const unconfirmed = docs.filter((d) => d?.results.some((r) => r.outcome === 'unconfirmed')).length;
      const refunds = (await pool(postIds, 10, (id) => stack.db.ledger.findOne({ _id: `refund:${id}` }, { projection: { _id: 1 } }))).filter(Boolean).length;
      return `${failed} ended failed (${refunds} refunded), ${unconfirmed} unconfirmed`;
    };
    const tNotes = [await outcomes(created.map((c) => c.postId))];
    const sides = [side('PostForge (Temporal)', tKeys, 'publish:', tRestart, tNotes)];
    const duringLead: LeadKillSide | undefined = leadKeys.length
      ? {
          ...side('PostForge (Temporal)', leadKeys, 'publish:', tRestart, [await outcomes(leadCreated.map((c) => c.postId))], () => leadDue),
          armedAtKill,
          dueAfterKillMs: leadDue - killAt,
        }
      : undefined;
    if (bull) {
      const c = await bull.queue.getJobCounts('failed', 'completed', 'waiting', 'delayed', 'active');
      const queued = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0);
      const reasons = new Set((await bull.queue.getFailed()).map((j) => j.failedReason));
      sides.push(
        side('BullMQ (Redis)', bKeys, 'bull:', bRestart, [
          `jobs: ${c.completed ?? 0} completed, ${c.failed ?? 0} failed${reasons.size ? ` (${[...reasons].join(' / ')})` : ''}, ${queued} still queued`,
        ]),
      );
    }
    return { windowSeconds: opts.windowMs / 1000, sinkDelayMs: opts.sinkDelayMs, sides, ...(duringLead ? { duringLead } : {}) };
  } finally {
    stack.sink.setDelay(0);
  }
}
