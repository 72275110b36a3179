// The results as a table on the terminal and as BENCHMARKS.md: machine, versions, date, method,
// numbers, and what was skipped and why.
import type { AckResult } from './ack';
import type { KillResult, LeadKillSide } from './killTest';
import type { LatenessResult } from './lateness';
import type { Machine } from './machine';
import type { MemorySample } from './memory';
import { mib, ms, perSec } from './stats';
import type { ThroughputResult } from './throughput';

export interface BenchResults {
  machine: Machine;
  command: string;
  seconds: number;
  acks?: AckResult[];
  throughput?: ThroughputResult;
  bullThroughput?: { posts: number; seconds: number; perSec: number };
  lateness: LatenessResult[];
  kill?: KillResult;
  memory?: MemorySample[];
  bullOptions?: Record<string, number>;
  skipped: string[];
}

const leadRowName = (s: LeadKillSide): string =>
  `PostForge, killed during the arming lead (${s.armedAtKill} of ${s.posts} armed at the kill, due ${(s.dueAfterKillMs / 1000).toFixed(0)} s after it)`;

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function renderTables(r: BenchResults): string {
  const out: string[] = [];
  if (r.acks?.length) {
    out.push('### Ack latency (signed requests to the API process)\n');
    out.push(
      table(
        ['edge', 'concurrent', 'requests', 'p50', 'p95', 'p99', 'max', 'not OK'],
        r.acks.map((a) => [
          a.edge,
          String(a.concurrency),
          String(a.latency.n),
          ms(a.latency.p50),
          ms(a.latency.p95),
          ms(a.latency.p99),
          ms(a.latency.max),
          String(a.failures),
        ]),
      ),
    );
  }
  if (r.throughput) {
    const t = r.throughput;
    out.push('\n### Lifecycle throughput (create → published)\n');
    const rows = [
      [
        'PostForge post (API create → offline draft → charge → timer → webhook publish)',
        String(t.posts),
        `${t.lifecycleSeconds.toFixed(1)} s`,
        perSec(t.lifecyclePerSec),
      ],
      [`bare workflow, ${t.activitiesPerPost} no-op activities, same server`, String(t.posts), `${t.bareSeconds.toFixed(1)} s`, perSec(t.barePerSec)],
    ];
    if (r.bullThroughput)
      rows.push([
        'BullMQ job due now (insert + add → webhook publish)',
        String(r.bullThroughput.posts),
        `${r.bullThroughput.seconds.toFixed(1)} s`,
        perSec(r.bullThroughput.perSec),
      ]);
    out.push(table(['what', 'posts', 'wall time', 'throughput'], rows));
    out.push(
      `\nRatio bare / PostForge: **${t.ratio.toFixed(2)}×** (PostForge reaches ${((1 / t.ratio) * 100).toFixed(0)}% of the bare-workflow rate). Create request p50 while loaded: ${ms(t.createP50Ms)}; ${t.concurrency} creates in flight.`,
    );
    if (t.rounds.length > 1)
      out.push(
        `\nRounds, alternating (the best of each side counts): ${t.rounds.map((x, i) => `${i + 1}. PostForge ${x.lifecycleSeconds.toFixed(1)} s, bare ${x.bareSeconds.toFixed(1)} s`).join('; ')}.`,
      );
    if (t.cpu) {
      const names = Object.keys(t.cpu.lifecycle);
      const cell = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1));
      out.push(`\nCPU seconds per round of ${t.posts} (mean of the rounds; \`/proc/<pid>/stat\`; \`bench\` is the load and the sink):\n`);
      out.push(
        table(
          ['side', ...names, 'total'],
          (['lifecycle', 'bare'] as const).map((side) => {
            const row = t.cpu[side];
            const total = names.reduce((sum, n) => sum + (Number.isNaN(row[n] ?? Number.NaN) ? 0 : (row[n] ?? 0)), 0);
            return [side === 'lifecycle' ? 'PostForge' : 'bare workflow', ...names.map((n) => cell(row[n])), cell(total)];
          }),
        ),
      );
    }
    if (t.stragglers)
      out.push(
        `\nArrived at the sink but their documents had not caught up 3 minutes later: ${Object.entries(t.stragglers)
          .map(([id, s]) => `${id} (${s})`)
          .join('; ')}.`,
      );
  }
  if (r.lateness.length) {
    out.push('\n### Publish lateness (all posts due at the same second; first arrival at the sink − scheduledAt)\n');
    out.push(
      table(
        ['system', 'posts', 'p50', 'p95', 'p99', 'max', 'drain rate', 'missing', 'note'],
        r.lateness.map((l) => [
          l.system,
          String(l.posts),
          ms(l.lateness.p50),
          ms(l.lateness.p95),
          ms(l.lateness.p99),
          ms(l.lateness.max),
          perSec(l.drainPerSec),
          String(l.missing),
          l.note ?? '',
        ]),
      ),
    );
  }
  if (r.kill) {
    const k = r.kill;
    out.push(`\n### Worker killed (kill -9 halfway through a ${k.windowSeconds} s window, restarted at once; sink answers after ${k.sinkDelayMs} ms)\n`);
    out.push(
      table(
        ['system', 'posts', 'delivered', 'lost', 'sent twice', 'worker restart', 'lateness p50', 'p99', 'max', 'notes'],
        [...k.sides.map((s) => ({ s, name: s.system as string })), ...(k.duringLead ? [{ s: k.duringLead, name: leadRowName(k.duringLead) }] : [])].map(
          ({ s, name }) => [
            name,
            String(s.posts),
            String(s.delivered),
            String(s.lost),
            String(s.duplicates),
            ms(s.restartMs),
            ms(s.lateness.p50),
            ms(s.lateness.p99),
            ms(s.lateness.max),
            s.notes.join('; '),
          ],
        ),
      ),
    );
  }
  if (r.memory?.length) {
    out.push('\n### Memory with posts asleep until tomorrow\n');
    out.push(
      table(
        ['state', 'sleeping posts', 'worker RSS', 'Temporal dev server RSS'],
        r.memory.map((m) => [m.label, String(m.sleeping), mib(m.workerRssBytes), mib(m.temporalRssBytes)]),
      ),
    );
  }
  if (r.skipped.length) out.push(`\nSkipped:\n${r.skipped.map((s) => `- ${s}`).join('\n')}`);
  return out.join('\n');
}

export function renderMarkdown(r: BenchResults, findings: string): string {
  const m = r.machine;
  return `# PostForge benchmarks

Generated by \`${r.command}\` on ${m.date} in ${Math.round(r.seconds)} s. Run it again to refresh this file;
\`npm run bench -- --help\` lists the sizes.

## Machine

| | |
|---|---|
| CPU | ${m.cpu}, ${m.cores} cores |
| RAM | ${m.ramGiB} GiB |
| OS | ${m.os} |
| Node | ${m.node} |
| Temporal | ${m.temporal}, TypeScript SDK ${m.temporalSdk} |
| FerretDB | ${m.ferretdb} (SQLite) |
| Redis / BullMQ | ${m.redis} / ${m.bullmq} |

## Method

One run, one machine, everything local: the bench starts its own Temporal dev server (SQLite file,
WAL), FerretDB, stripe-mock and Redis on free ports in a temporary directory, then PostForge's real
worker (\`apps/worker.ts\`) and API (\`api/main.ts\`) as separate Node processes configured only through
environment variables, exactly as \`npm start\` runs them. Destinations are the local stand-ins from
\`test/standins/\` (webhook sink, Slack, Discord, LinkedIn) in the bench process; the offline generator
writes drafts. Load comes from the bench process over HTTP.

- **Ack latency**: signed Slack slash commands (\`/postforge write …\`: Bolt verifies, parses, records
  the command in \`bot_commands\` (the inbox database, a SQLite file of its own), acks; once acks stop
  coming, at most 1.5 s later, the relay starts its workflow, which posts the preview and starts the
  post in the worker), signed Discord \`/post\` interactions (Ed25519, to the API's
  \`/discord/interactions\`: verify, check, record, answer "deferred"; the worker does the rest) and
  signed Stripe \`checkout.session.completed\` events (verify, one insert into the relay's inbox,
  answer; routing and signalWithStart after) at each concurrency; time from sending to the complete
  answer. Each level waits for the previous one's work to drain. A warm-up per level (one request per connection the level
  keeps open, so connection setup is not in the sample) is not counted.
- **Throughput**: N posts created through \`POST /v1/posts\` (topic → offline draft, webhook target,
  due now) from ${r.throughput?.concurrency ?? 'C'} concurrent clients; from the first request to the last post's own
  \`published\` time. The bare workflow runs as many no-op activities as one post's history has, one
  after another, from its own worker process with SDK defaults, started through the client at the same
  concurrency, on the same server, in the same run.
- **Lateness**: N posts with their own text, all due at the same whole second, created ahead of time;
  the run waits until every one's workflow has recorded it scheduled (asleep) before the due time. Lateness is the first
  arrival of each post at the webhook sink minus the due time; drain rate is posts divided by the last
  one's lateness. BullMQ gets the same N posts (a MongoDB insert and a delayed job each) due at the
  same kind of instant, sent by PostForge's own webhook publisher from a worker process with
  ${
    r.bullOptions
      ? Object.entries(r.bullOptions)
          .map(([k, v]) => `\`${k}: ${v}\``)
          .join(', ')
      : 'its options'
  }.
- **Worker killed**: the same posts on both systems, due evenly over a window; halfway through,
  both workers get \`kill -9\` and are started again at once. The sink answers after a delay so that
  sends are in flight at the kill. Counted at the sink: never arrived (lost), sent more than once
  (the sink dedupes by Idempotency-Key, so these did no harm here; a LinkedIn or Slack post would
  show twice — PostForge marks those targets *unconfirmed* instead of sending again). The same kill
  falls inside the arming lead of a second group of PostForge posts, all due a little after it: their
  sends are armed (waiting in the dead worker's memory, checked just before the kill) and must come
  back through the activity's retry on the new worker once its heartbeat timeout notices the death.
- **Memory**: posts due tomorrow, added in steps; RSS (\`/proc/<pid>/status\`) is the highest of eight
  samples over 2.4 seconds once every post is asleep. After the last step the worker idles 45 s and is
  sampled again (steady: what V8's memory reducer leaves); the last row restarts the worker.

## Results

${renderTables(r)}

## What the numbers changed

${findings}
`;
}
