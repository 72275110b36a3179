import { createArmBook } from '../../worker/activities/armBook';

const D = Date.parse('2026-11-30T09:00:00.000Z');

test('a lone send claims the margin before its time', () => {
  const book = createArmBook({ claimsPerSecond: 250, marginMs: 2_000 });
  book.add(D);
  expect(D - book.claimAt(D)).toBe(2_000 + 4); // its own claim: 1 / 250 s
});

test('a burst due in the same second claims early enough for the database to write all of it first', () => {
  const book = createArmBook({ claimsPerSecond: 250, marginMs: 2_000 });
  for (let i = 0; i < 5_000; i++) book.add(D + (i % 1000)); // spread over the due second
  // 5,000 claims at 250 a second take 20 s: they start 22 s before, and are all written 2 s before.
  expect(D - book.claimAt(D)).toBe(22_000);
  expect(D + 999 - book.claimAt(D + 999)).toBe(22_000);
});

test('only sends within a second of each other count as one crowd', () => {
  const book = createArmBook({ claimsPerSecond: 100, marginMs: 1_000 });
  for (let i = 0; i < 300; i++) book.add(D);
  for (let i = 0; i < 300; i++) book.add(D + 60_000);
  expect(D - book.claimAt(D)).toBe(1_000 + 3_000);
  expect(D + 10_000 - book.claimAt(D + 10_000)).toBe(1_000); // nobody due then
});

test('a send that leaves the book (sent, withdrawn, stopped) no longer counts, once however often it leaves', () => {
  const book = createArmBook({ claimsPerSecond: 100, marginMs: 0 });
  const entries = Array.from({ length: 200 }, () => book.add(D));
  expect(D - book.claimAt(D)).toBe(2_000);
  for (const entry of entries.slice(0, 150)) {
    entry.leave();
    entry.leave();
  }
  expect(D - book.claimAt(D)).toBe(500);
});

test('rate 0: no allowance for the crowd, the margin alone', () => {
  const book = createArmBook({ claimsPerSecond: 0, marginMs: 1_500 });
  for (let i = 0; i < 1_000; i++) book.add(D);
  expect(D - book.claimAt(D)).toBe(1_500);
});

test("a crowd's report, when its last send leaves: how many claims came after their due time, and how late", () => {
  const reports: unknown[] = [];
  let now = D - 60_000;
  const book = createArmBook({ claimsPerSecond: 100, marginMs: 0, onCrowdDone: (r) => reports.push(r), now: () => now });
  const a = book.add(D);
  const b = book.add(D + 500);
  now = D - 50_000;
  const c = book.add(D + 900);
  a.claimed(D - 3_000);
  b.claimed(D + 700); // 200 ms after its own due time
  a.woke(D + 10);
  b.woke(D + 530);
  a.leave();
  b.leave();
  expect(reports).toEqual([]);
  c.leave(); // never claimed (withdrawn)
  expect(reports).toEqual([
    {
      dueSecond: D,
      sends: 3,
      claimed: 2,
      lateClaims: 1,
      worstClaimLagMs: 200,
      retriedLate: 0,
      lastArmedMs: 50_000,
      firstClaimMs: 3_000,
      lastClaimMs: -700,
      wakeLagMs: { p50: 30, p99: 30, max: 30 },
    },
  ]);
});

test('a retry that claims after its due time (its worker stopped) is counted apart: it does not make the second look crowded', () => {
  const reports: Array<{ lateClaims: number; retriedLate: number }> = [];
  const book = createArmBook({ claimsPerSecond: 100, marginMs: 0, onCrowdDone: (r) => reports.push(r), now: () => D + 40_000 });
  const retry = book.add(D, { retry: true });
  retry.claimed(D + 38_000);
  retry.leave();
  const first = book.add(D + 2_000);
  first.claimed(D + 2_300);
  first.leave();
  expect(reports.map((r) => [r.lateClaims, r.retriedLate])).toEqual([
    [0, 1],
    [1, 0],
  ]);
});
