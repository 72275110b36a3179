// Publish lateness: many posts due at the same instant (everyone picked "tomorrow 9am"), measured
// at the destination: first arrival − scheduledAt. The posts are created ahead of time and the run
// checks that every one of them was asleep before the instant, so setup never counts as lateness.
import { arrivals, postKey } from './arrivals';
import { accountsFor, createPosts, phaseAccounts, waitUntilAsleep } from './drive';
import { log, progress } from './progress';
import type { BenchStack } from './stack';
import { summarize, type Summary } from './stats';

export interface LatenessResult {
  system: 'PostForge (Temporal)' | 'BullMQ (Redis)';
  posts: number;
  lateness: Summary;
  /** Posts per second from the due instant to the last arrival. */
  drainPerSec: number;
  /** Posts that had not arrived when the run gave up. */
  missing: number;
  /** Set when setup ran past the due instant (the numbers then include setup). */
  note?: string;
  /** Posts per second from the first create to the last one asleep (sizes the next run's lead). */
  setupPerSec?: number;
}

export async function waitForArrivals(
  keys: string[],
  read: () => Map<string, number>,
  opts: { label: string; timeoutMs: number },
): Promise<Map<string, number>> {
  const bar = progress(opts.label, keys.length);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const first = read();
    const got = keys.filter((k) => first.has(k)).length;
    bar.update(got);
    if (got === keys.length || Date.now() > deadline) {
      bar.end(`${got}/${keys.length} arrived`);
      return first;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function latenessOf(keys: string[], first: Map<string, number>, dueAt: number, system: LatenessResult['system'], note?: string): LatenessResult {
  const late = keys.filter((k) => first.has(k)).map((k) => (first.get(k) as number) - dueAt);
  const last = late.length ? Math.max(...late) : Number.NaN;
  return {
    system,
    posts: keys.length,
    lateness: summarize(late),
    drainPerSec: late.length / Math.max(0.001, last / 1000),
    missing: keys.length - late.length,
    ...(note ? { note } : {}),
  };
}

export async function measureLateness(stack: BenchStack, n: number, opts: { leadMs: number; concurrency: number }): Promise<LatenessResult> {
  const accounts = await phaseAccounts(stack, `late${n}`, accountsFor(n), 20);
  // A whole second, like a time a person picks.
  const dueAt = Math.ceil((Date.now() + opts.leadMs) / 1000) * 1000;
  const scheduledAt = new Date(dueAt).toISOString();
  const items = Array.from({ length: n }, (_, i) => ({
    account: accounts[i % accounts.length]!,
    body: {
      text: `Lateness run ${n}, post ${i}`,
      scheduledAt,
      targets: [{ kind: 'webhook' as const, url: stack.sink.hookUrlFor(accounts[i % accounts.length]!.accountId) }],
    },
  }));
  const setupStart = Date.now();
  const created = await createPosts(stack, items, {
    concurrency: opts.concurrency,
    label: `lateness ${n}: create (due in ${Math.round((dueAt - Date.now()) / 1000)}s)`,
  }).catch((err: unknown) => {
    if (Date.now() < dueAt) throw err;
    // The API rightly refuses a time in the past: the lead was too short for this machine.
    throw new Error(
      `lateness ${n}: creating the posts ran past their due time (lead ${Math.round(opts.leadMs / 1000)} s); give a lower --setup-rate (posts/s) for a longer lead. ${String(err)}`,
    );
  });
  // Charged means the workflow is past its setup and about to sleep until scheduledAt.
  await waitUntilAsleep(
    stack,
    created.map((c) => c.postId),
    { label: `lateness ${n}: asleep`, timeoutMs: Math.max(0, dueAt - Date.now()) + 600_000 + n * 200 },
  );
  const asleepAt = Date.now();
  log(
    `lateness ${n}: ${asleepAt <= dueAt ? `all asleep ${((dueAt - asleepAt) / 1000).toFixed(1)}s before due` : `setup overran the due time by ${((asleepAt - dueAt) / 1000).toFixed(1)}s`}`,
  );
  const keys = created.map((c) => postKey(c.postId, stack.sink.hookUrlFor(c.accountId)));
  const first = await waitForArrivals(keys, () => arrivals(stack.sink, 'publish:').first, {
    label: `lateness ${n}: published`,
    timeoutMs: Math.max(0, dueAt - Date.now()) + 15 * 60_000 + n * 500,
  });
  const note = asleepAt > dueAt ? `setup finished ${((asleepAt - dueAt) / 1000).toFixed(1)} s after the due time; numbers include setup` : undefined;
  return { ...latenessOf(keys, first, dueAt, 'PostForge (Temporal)', note), setupPerSec: n / Math.max(0.001, (asleepAt - setupStart) / 1000) };
}
