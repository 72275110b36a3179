// The chaos run, small: posts to every publisher fall due while the worker is killed with -9 and
// the Temporal dev server and FerretDB crash and come back on their own files. Nothing may be lost,
// published twice, left unrefunded or stuck, and every ledger must add up. `npm run chaos` is the
// same code with 500 posts and more faults.
import { runChaos } from '../../bench/chaos/run';

jest.setTimeout(180_000);

it('40 posts through a worker kill -9 and Temporal and FerretDB restarts: each exactly once or refunded', async () => {
  const lines: string[] = [];
  const report = await runChaos({
    posts: 40,
    spreadMs: 20_000,
    workerKills: 1,
    restartTemporal: true,
    restartFerretDB: true,
    doomedEvery: 4,
    settleMs: 90_000,
    log: (msg) => lines.push(msg),
  });
  expect(report.faults).toHaveLength(3);
  expect(report.counts['stuck (not terminal)']).toBe(0);
  expect(report.counts['failed and refunded (made to fail)']).toBeGreaterThan(0);
  expect(report.counts['published, confirmed']).toBeGreaterThan(0);
  expect({ violations: report.violations, log: report.violations.length ? lines : [] }).toEqual({ violations: [], log: [] });
});
