// The chaos run: posts for every publisher fall due over a window while the worker is killed
// (kill -9) several times, the Temporal dev server and FerretDB are each crashed and restarted on
// the same files and ports; then the verdict. Used by `npm run chaos` and, small, by `npm test`.
import { pool } from '../drive';
import { DISCORD_ACCOUNT, SLACK_ACCOUNT, startBenchStack, type BenchAccount, type BenchStack } from '../stack';
import { verify, type Verdict } from './check';
import { planPosts, type PlannedPost } from './plan';

export interface ChaosOptions {
  posts: number;
  /** The window over which posts fall due, ms. */
  spreadMs: number;
  workerKills: number;
  restartTemporal: boolean;
  restartFerretDB: boolean;
  /** Every n-th post per destination is made to fail permanently (0: none). */
  doomedEvery: number;
  /** How long to wait after the window for every post to finish. */
  settleMs: number;
  log: (msg: string) => void;
}

export interface ChaosReport extends Verdict {
  faults: string[];
  seconds: number;
}

const ACCOUNTS = 8;

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const faults: string[] = [];
  let expectWorkerDown = false;
  const stack = await startBenchStack({ label: 'chaos' });
  const t = () => `+${((Date.now() - started) / 1000).toFixed(1)}s`;
  const fault = (what: string) => {
    faults.push(`${t()} ${what}`);
    opts.log(`fault ${t()}: ${what}`);
  };
  // A supervisor, as production has one (systemd, Kubernetes): a worker that exits on its own is
  // started again, and that is counted, because it means a fault took the worker down with it.
  let supervising = true;
  const supervisor = (async () => {
    while (supervising) {
      await new Promise((r) => setTimeout(r, 500));
      if (!supervising || expectWorkerDown || stack.worker().alive()) continue;
      fault(`worker exited by itself (code ${stack.worker().child.exitCode}); restarting it:\n${stack.worker().output().split('\n').slice(-5).join('\n')}`);
      await stack.startWorker().catch((err: Error) => opts.log(`worker restart failed: ${err.message}`));
    }
  })();
  try {
    const credits = new Map<string, number>();
    const connected: BenchAccount[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const a = await stack.newAccount(`chaos-${i}`, { credits: opts.posts, linkedin: true });
      connected.push(a);
      credits.set(a.accountId, opts.posts);
    }
    const unconnected = await stack.newAccount('chaos-unconnected', { credits: opts.posts });
    credits.set(unconnected.accountId, opts.posts);
    // Slack and Discord channels take posts only from their own workspace's and server's accounts.
    const slackAccount = await stack.newAccount('chaos-slack', { credits: opts.posts, accountId: SLACK_ACCOUNT });
    const discordAccount = await stack.newAccount('chaos-discord', { credits: opts.posts, accountId: DISCORD_ACCOUNT });
    credits.set(slackAccount.accountId, opts.posts);
    credits.set(discordAccount.accountId, opts.posts);

    // Far enough ahead that creating the posts never runs into the window.
    const firstDueAt = Date.now() + 8_000 + opts.posts * 40;
    const plan = planPosts(stack, { posts: opts.posts, firstDueAt, spreadMs: opts.spreadMs, doomedEvery: opts.doomedEvery, runTag: String(started % 100000) });
    opts.log(`creating ${plan.length} posts due over ${opts.spreadMs / 1000}s…`);
    const posts = await pool(plan, 20, async (p: PlannedPost) => {
      const account =
        p.destination === 'slack'
          ? slackAccount
          : p.destination === 'discord-channel'
            ? discordAccount
            : p.account === 'unconnected'
              ? unconnected
              : (connected[p.i % connected.length] as BenchAccount);
      const res = await fetch(`${stack.apiUrl}/v1/posts`, {
        method: 'POST',
        headers: { ...account.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Chaos post ${p.i} ${p.token}`, targets: [p.target], scheduledAt: new Date(p.dueAt).toISOString() }),
      });
      if (res.status !== 202) throw new Error(`creating post ${p.i} answered ${res.status}: ${await res.text()}`);
      return { ...p, postId: ((await res.json()) as { id: string }).id, accountId: account.accountId };
    });
    opts.log(`created ${posts.length} posts ${t()}; first due in ${((firstDueAt - Date.now()) / 1000).toFixed(1)}s`);

    // Faults spread over the window: kills evenly, Temporal at ~1/3, FerretDB at ~2/3.
    const schedule: Array<{ at: number; run: () => Promise<void> }> = [];
    for (let k = 0; k < opts.workerKills; k++) {
      schedule.push({
        at: firstDueAt + ((k + 0.5) * opts.spreadMs) / opts.workerKills,
        run: async () => {
          expectWorkerDown = true;
          const pid = stack.worker().pid;
          await stack.killWorker();
          fault(`kill -9 worker (pid ${pid})`);
          const t0 = Date.now();
          await stack.startWorker();
          expectWorkerDown = false;
          opts.log(`worker back in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        },
      });
    }
    if (opts.restartTemporal) {
      schedule.push({
        at: firstDueAt + opts.spreadMs * 0.35,
        run: async () => {
          fault('kill -9 Temporal dev server; restart on the same SQLite file and port');
          const t0 = Date.now();
          await stack.restartTemporal();
          opts.log(`Temporal back in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        },
      });
    }
    if (opts.restartFerretDB) {
      schedule.push({
        at: firstDueAt + opts.spreadMs * 0.65,
        run: async () => {
          fault('kill -9 FerretDB; restart on the same data dir and port');
          const t0 = Date.now();
          await stack.restartFerretDB();
          opts.log(`FerretDB back in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        },
      });
    }
    schedule.sort((a, b) => a.at - b.at);
    for (const s of schedule) {
      await new Promise((r) => setTimeout(r, Math.max(0, s.at - Date.now())));
      await s.run();
    }

    // Settle: every post terminal, or give up after settleMs past the window.
    const deadline = Math.max(Date.now(), firstDueAt + opts.spreadMs) + opts.settleMs;
    let pending = posts.map((p) => p.postId);
    let lastSay = 0;
    while (pending.length && Date.now() < deadline) {
      const docs = await Promise.all(pending.map((id) => stack.db.posts.findOne({ _id: id }, { projection: { status: 1 } }).catch(() => null)));
      pending = pending.filter((_, i) => !['published', 'failed', 'canceled'].includes(docs[i]?.status ?? ''));
      if (Date.now() - lastSay > 5000) {
        opts.log(`${posts.length - pending.length}/${posts.length} posts finished ${t()}`);
        lastSay = Date.now();
      }
      if (pending.length) await new Promise((r) => setTimeout(r, 1000));
    }
    // A moment for the last refunds and records after the final status write.
    await new Promise((r) => setTimeout(r, 1500));
    const verdict = await verify(stack, posts, credits);
    return { ...verdict, faults, seconds: (Date.now() - started) / 1000 };
  } finally {
    supervising = false;
    await supervisor;
    await stack.stop();
  }
}

export function formatReport(r: ChaosReport): string {
  const lines = [
    `Chaos run: ${r.seconds.toFixed(0)} s`,
    '',
    `Faults injected (${r.faults.length}):`,
    ...r.faults.map((f) => `  ${f}`),
    '',
    'Posts:',
    ...Object.entries(r.counts).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`),
    '',
    r.violations.length
      ? `VIOLATIONS (${r.violations.length}):`
      : 'No violations: every post published exactly once or failed and refunded exactly once; ledgers whole.',
    ...r.violations.slice(0, 50).map((v) => `  ${v}`),
    ...(r.violations.length > 50 ? [`  … and ${r.violations.length - 50} more`] : []),
  ];
  return lines.join('\n');
}

export type { BenchStack };
