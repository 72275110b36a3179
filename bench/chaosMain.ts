// `npm run chaos`: posts for every publisher fall due over a few minutes while the worker, the
// Temporal server and FerretDB are crashed; exits non-zero on any lost, doubled or unrefunded post.
import { FlagError, bool, helpText, num, parseFlags, type FlagSpec } from './flags';
import { log } from './progress';
import { formatReport, runChaos } from './chaos/run';

const FLAGS: FlagSpec[] = [
  { name: 'posts', help: 'posts, spread over LinkedIn, Slack, a Discord channel, a Discord webhook and a webhook', default: 500 },
  { name: 'spread', help: 'seconds over which they fall due', default: 180 },
  { name: 'worker-kills', help: 'kill -9s of the worker during the window', default: 4 },
  { name: 'no-temporal-restart', help: 'do not crash and restart the Temporal dev server', default: false },
  { name: 'no-ferretdb-restart', help: 'do not crash and restart FerretDB', default: false },
  { name: 'doomed-every', help: 'every n-th post per destination is made to fail permanently (0: none)', default: 8 },
  { name: 'settle', help: 'seconds to wait after the window for every post to finish', default: 240 },
];

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      helpText(
        'Usage: npm run chaos [-- flags]\n\nStarts a private PostForge stack (own ports, own temp dir) and schedules posts to every publisher\nover a window; during it kill -9s the worker several times and crashes/restarts the Temporal dev\nserver and FerretDB once each. Then checks every post was published exactly once or failed and was\nrefunded exactly once, no post is stuck, and every ledger adds up. Exits 1 on any violation.',
        FLAGS,
        { quick: { help: '40 posts over 30 s, 1 worker kill (what npm test runs, plus a FerretDB restart)' } },
      ),
    );
    return 0;
  }
  const flags = parseFlags(argv, FLAGS, { quick: { posts: 40, spread: 30, 'worker-kills': 1, settle: 120 } });
  const report = await runChaos({
    posts: num(flags, 'posts'),
    spreadMs: num(flags, 'spread') * 1000,
    workerKills: num(flags, 'worker-kills'),
    restartTemporal: !bool(flags, 'no-temporal-restart'),
    restartFerretDB: !bool(flags, 'no-ferretdb-restart'),
    doomedEvery: num(flags, 'doomed-every'),
    settleMs: num(flags, 'settle') * 1000,
    log,
  });
  process.stdout.write(`\n${formatReport(report)}\n`);
  return report.violations.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      err instanceof FlagError ? `${err.message}\n` : `[chaos] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(err instanceof FlagError ? 2 : 1);
  },
);
