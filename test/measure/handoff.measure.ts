// Which durable hand-off is faster on this box for a bot's ack (issue 16, item 2): an inbox insert
// into MongoDB (FerretDB) or a Temporal workflow start. Not part of `npm test`; run it with
//   npx jest --testMatch '**/test/measure/handoff.measure.ts'
// It prints p50/p99/max per hand-off and concurrency; it asserts only that every hand-off landed.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../core/db';
import { groupInserter } from '../../core/groupCommit';
import { testDatabase } from '../helpers/common';
import { startTemporal } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let db: Database;
beforeAll(async () => {
  env = await startTemporal();
  db = await testDatabase('handoff');
});
afterAll(async () => {
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
  await env?.teardown();
});

const N = Number(process.env.HANDOFF_N ?? 300);
// A Slack slash command's fields, as the edge would hand them off.
const payload = () => ({
  team_id: 'T0001',
  user_id: 'U0001',
  channel_id: 'C0001',
  text: 'write Durable timers make schedulers boring to:#general',
  response_url: 'https://hooks.slack.com/commands/T0001/1/abc',
  trigger_id: randomUUID(),
});

async function timed(n: number, concurrency: number, one: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const t0 = performance.now();
        await one();
        times.push(performance.now() - t0);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const line = (what: string, c: number, xs: number[]) =>
  `${what.padEnd(16)} c=${String(c).padStart(2)} n=${xs.length}  p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${xs[xs.length - 1]!.toFixed(1)} ms`;

test('inbox insert vs workflow start', async () => {
  const inbox = db.db.collection<{ _id: string; payload: unknown; at: Date }>('slack_inbox');
  const lines: string[] = [];
  // Warm both paths (connections, the namespace's first start).
  await inbox.insertOne({ _id: randomUUID(), payload: payload(), at: new Date() });
  await env.client.workflow.start('slackCommand', { taskQueue: 'handoff-nobody-polls', workflowId: `warm-${randomUUID()}`, args: [payload()] });
  for (const c of [1, 10, 50]) {
    const insert = await timed(N, c, () => inbox.insertOne({ _id: randomUUID(), payload: payload(), at: new Date() }));
    const start = await timed(N, c, () =>
      env.client.workflow.start('slackCommand', { taskQueue: 'handoff-nobody-polls', workflowId: `cmd-${randomUUID()}`, args: [payload()] }),
    );
    // Group commit: inserts arriving within GROUP_MS go to FerretDB as one insertMany (ordered: false).
    const grouped = groupInserter(inbox, { windowMs: Number(process.env.GROUP_MS ?? 2) });
    const group = await timed(N, c, () => grouped.insert({ _id: randomUUID(), payload: payload(), at: new Date() }));
    lines.push(line('inbox insert', c, insert), line('group commit', c, group), line('workflow start', c, start));
    expect(group).toHaveLength(N);
    expect(insert).toHaveLength(N);
    expect(start).toHaveLength(N);
  }
  console.log(lines.join('\n'));
}, 600_000);
