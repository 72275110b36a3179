import { createCompletionPacer } from '../../worker/activities/completionPacer';

test('a lone completion goes at once; a crowd in one instant is handed slots 1/rate apart, in order', () => {
  let now = 1_000_000;
  const pacer = createCompletionPacer(150, () => now);
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
  const pacer = createCompletionPacer(150, () => now);
  for (let i = 0; i < 100; i++) {
    now += 50; // 20 a second, well under the rate
    expect(pacer.slot()).toBe(now);
  }
});

test('rate 0 turns pacing off', () => {
  let now = 42;
  const pacer = createCompletionPacer(0, () => now);
  expect([pacer.slot(), pacer.slot(), pacer.slot()]).toEqual([42, 42, 42]);
});
