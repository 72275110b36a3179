// The edges' relays hold their after-ack work while acks keep arriving, but never lose it and
// never hold it longer than maxHoldMs (services/relayQueue.ts).
import { relayQueue } from '../../services/relayQueue';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function recording(opts: { quietMs?: number; maxHoldMs?: number; maxBatch?: number; fail?: boolean } = {}) {
  const runs: { at: number; items: string[] }[] = [];
  const queue = relayQueue<string>({
    quietMs: opts.quietMs ?? 50,
    maxHoldMs: opts.maxHoldMs ?? 1_000,
    ...(opts.maxBatch ? { maxBatch: opts.maxBatch } : {}),
    now: () => Date.now(),
    run: async (items) => {
      runs.push({ at: Date.now(), items });
      if (opts.fail) throw new Error('Temporal is down');
    },
  });
  return { queue, runs, t0: Date.now() };
}

it('runs the held work as one batch once no ack has arrived for quietMs', async () => {
  const { queue, runs, t0 } = recording();
  for (const id of ['a', 'b', 'c']) {
    queue.ackArriving();
    queue.add(id, id);
    await jest.advanceTimersByTimeAsync(10);
  }
  expect(runs).toEqual([]);
  expect(queue.holds('a')).toBe(true);
  await jest.advanceTimersByTimeAsync(60);
  expect(runs).toEqual([{ at: t0 + 20 + 50, items: ['a', 'b', 'c'] }]);
  expect(queue.holds('a')).toBe(false);
});

it('acks that never stop do not hold the work longer than maxHoldMs, and none of it is lost', async () => {
  const { queue, runs, t0 } = recording({ maxHoldMs: 1_000 });
  const added = new Map<string, number>();
  const add = (id: string) => {
    added.set(id, Date.now());
    queue.add(id, id);
  };
  queue.ackArriving();
  add('first');
  // An ack every 10 ms for 3 s: the edge is never quiet.
  for (let i = 0; i < 300; i++) {
    queue.ackArriving();
    if (i % 100 === 50) add(`later-${i}`);
    await jest.advanceTimersByTimeAsync(10);
  }
  expect(runs[0]).toEqual({ at: t0 + 1_000, items: ['first', 'later-50'] });
  expect(runs[1]).toEqual({ at: t0 + 2_500, items: ['later-150'] });
  // The acks stop at 2.99 s: the last item goes once the edge has been quiet for 50 ms.
  await jest.advanceTimersByTimeAsync(1_000);
  expect(runs[2]).toEqual({ at: t0 + 2_990 + 50, items: ['later-250'] });
  expect(runs.flatMap((r) => r.items).sort()).toEqual([...added.keys()].sort());
  for (const r of runs) for (const id of r.items) expect(r.at - added.get(id)!).toBeLessThanOrEqual(1_000);
});

it('an item added while a batch runs waits for that batch, then runs; a failed batch does not stop the next', async () => {
  let release!: () => void;
  const runs: string[][] = [];
  const queue = relayQueue<string>({
    quietMs: 50,
    maxHoldMs: 1_000,
    now: () => Date.now(),
    run: async (items) => {
      runs.push(items);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
      throw new Error('Temporal is down');
    },
  });
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  queue.add('one', 'one');
  await jest.advanceTimersByTimeAsync(100);
  queue.add('two', 'two');
  await jest.advanceTimersByTimeAsync(100);
  expect(runs).toEqual([['one']]);
  expect(queue.holds('one')).toBe(true); // being run: the sweeper leaves it alone
  release();
  await jest.advanceTimersByTimeAsync(0);
  expect(runs).toEqual([['one'], ['two']]);
  expect(warn).toHaveBeenCalledTimes(2);
  warn.mockRestore();
});

it('batches are at most maxBatch; the rest runs right after', async () => {
  const { queue, runs } = recording({ maxBatch: 2 });
  for (const id of ['a', 'b', 'c', 'd', 'e']) queue.add(id, id);
  await jest.advanceTimersByTimeAsync(100);
  expect(runs.map((r) => r.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
});

it('flush runs everything held at once, without waiting for quiet', async () => {
  const { queue, runs } = recording();
  queue.ackArriving();
  queue.add('x', 'x');
  queue.add('y', 'y');
  await queue.flush();
  expect(runs.map((r) => r.items)).toEqual([['x', 'y']]);
  expect(queue.holds('x')).toBe(false);
});

it('the same id added twice is held once, with the newer item', async () => {
  const { queue, runs } = recording();
  queue.add('id', 'old');
  queue.add('id', 'new');
  await jest.advanceTimersByTimeAsync(100);
  expect(runs.map((r) => r.items)).toEqual([['new']]);
});
