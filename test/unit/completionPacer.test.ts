import { createCompletionPacer } from '../../worker/activities/completionPacer';

test('a lone completion goes at once; a crowd in one instant is handed slots 1/rate apart, in order', () => {
  let now = 1_000_000;
  const pacer = createCompletionPacer(150, { now: () => now });
  expect(pacer.slot()).toBe(now);
  now += 5_000; // long after: the pacer has nothing queued
  const crowd = Array.from({ length: 300 }, () => pacer.slot());
  expect(crowd[0]).toBe(now);
  for (let i = 1; i < crowd.length; i++) expect(crowd[i]! - crowd[i - 1]!).toBeCloseTo(1000 / 150, 6);
  // 300 at 150/s: the last completes about 2 s after the crowd arrived, not in its second.
  expect(crowd.at(-1)! - now).toBeCloseTo((299 * 1000) / 150, 6);
});

test('posts due at an ordinary rate are never held: each arrives after the previous slot has passed', () => {
  let now = 0;
  const pacer = createCompletionPacer(150, { now: () => now });
  for (let i = 0; i < 100; i++) {
    now += 50; // 20 a second, well under the rate
    expect(pacer.slot()).toBe(now);
  }
});

test('rate 0 turns pacing off', () => {
  let now = 42;
  const pacer = createCompletionPacer(0, { now: () => now });
  expect([pacer.slot(), pacer.slot(), pacer.slot()]).toEqual([42, 42, 42]);
});

describe('turn: a completion waits until its worker\'s burst is out', () => {
  const flush = () => new Promise((r) => setImmediate(r));

  test('held while a crowd of sends is in flight, released when fewer than quietBelow remain, then paced', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const pacer = createCompletionPacer(100, {
      now: () => now,
      quietBelow: 3,
      maxHoldMs: 60_000,
      // The hold's timer never fires here: only the quiet can release it.
      sleep: (ms) => (sleeps.push(ms), ms === 60_000 ? new Promise<void>(() => undefined) : Promise.resolve()),
    });
    const answered = Array.from({ length: 5 }, () => pacer.sending());
    answered[0]!();
    let done = false;
    const first = pacer.turn().then(() => (done = true));
    await flush();
    // 4 still in flight: the first answer's completion waits.
    expect(done).toBe(false);
    answered[1]!();
    await flush();
    expect(done).toBe(false);
    answered[2]!(); // 2 left < 3: the burst is out
    await first;
    expect(done).toBe(true);
    // Later completions of the same crowd are paced 10 ms apart from the release on.
    answered[2]!(); // answering twice counts once
    const second = pacer.turn();
    await second;
    expect(sleeps.at(-1)).toBe(10);
  });

  test('a lone send completes at once, with no wait at all', async () => {
    const sleeps: number[] = [];
    const pacer = createCompletionPacer(150, { sleep: async (ms) => void sleeps.push(ms) });
    const answered = pacer.sending();
    answered();
    await pacer.turn();
    expect(sleeps).toEqual([]);
  });

  test('a stream that is never quiet holds a completion maxHoldMs at most', async () => {
    let now = 0;
    const pacer = createCompletionPacer(150, {
      now: () => now,
      quietBelow: 1,
      maxHoldMs: 5_000,
      sleep: async (ms) => {
        now += ms;
      },
    });
    pacer.sending(); // never answered
    await pacer.turn();
    expect(now).toBe(5_000);
  });
});
