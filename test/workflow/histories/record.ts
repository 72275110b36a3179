// Records one real Temporal history per lifecycle path, for the replay test (replay.test.ts).
// Runs a workflow bundle on the dev server with the activities faked, drives each path through
// its Updates and signals, and saves the history as the same JSON the Temporal CLI writes.
//
//   npx tsx test/workflow/histories/record.ts <label> [workflowsPath] [--notify-none] [--old] [--api-set-up] [--only=<path>,…]
//
// <label> names the folder the histories go into (e.g. the commit they came from); workflowsPath
// defaults to this checkout's workflows/. Recording an older version: extract it with
// `git archive <commit> workflows core | tar -x -C /tmp/old`, symlink node_modules into
// /tmp/old, and pass /tmp/old/workflows, with --old to leave out paths that code lacks. Histories
// already recorded are never rewritten: a workflow change must keep replaying them.
// --api-set-up starts every path as the API does today (document inserted and credit taken before
// the start: `recordCreated`, `creditReserved`), the input the api-set-up patch acts on.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { Target, TargetResult } from '../../../core/domain';
import type { NotifyChannel } from '../../../worker/activities/notify';
import {
  approveUpdate,
  cancelUpdate,
  connectionRestoredSignal,
  discardUpdate,
  editUpdate,
  regenerateUpdate,
  rescheduleUpdate,
  statusQuery,
} from '../../../workflows/messages';
import type { LifecycleOptions } from '../../../workflows/postLifecycle';
import type { PostLifecycleInput } from '../../../core/lifecycle';
import { createFakes, publishedResult, type Behaviour } from '../../helpers/fakeActivities';
import { startTemporal } from '../../helpers/temporal';
import { historyToJSON } from './historyJson';

type Input = PostLifecycleInput & LifecycleOptions;
type Handle = WorkflowHandle;

export interface Scenario {
  name: string;
  input?: Partial<Input>;
  /** Scheduled this far ahead of the start (default 300 ms). */
  delayMs?: number;
  behave?: (b: Behaviour) => void;
  drive?: (h: Handle) => Promise<void>;
  /** A path older workflow code does not have: `--old` leaves it out. */
  since?: string;
  /** A path the API's set-up rules out (the credit is taken before the start): `--api-set-up` leaves it out. */
  notWithApiSetUp?: boolean;
  /** What the run must end as, so a recorded history is known to be the path it is named for. */
  ends: { status: string; refunded?: boolean } | 'cancelled';
}

const webhook: NotifyChannel = { kind: 'webhook', url: 'http://127.0.0.1:1/notify' };
const paused = (target: Target): TargetResult => ({ key: 'linkedin', target, outcome: 'paused', error: 'Your LinkedIn connection expired. Reconnect it.' });

async function waitFor(h: Handle, status: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await h.query(statusQuery)).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never became ${status}`);
}

/** LinkedIn's connection has expired on the first attempt and is back on the next. */
const pausedOnce = () => {
  let n = 0;
  return (target: Target) => (++n === 1 ? paused(target) : publishedResult(target));
};

export const scenarios: Scenario[] = [
  { name: 'published', ends: { status: 'published' } },
  { name: 'published-notify-webhook', input: { notify: webhook }, ends: { status: 'published' } },
  { name: 'published-own-text', input: { text: 'My own words', topic: undefined, hashtags: ['mine'] }, ends: { status: 'published' } },
  {
    name: 'failed-refunded',
    input: { notify: webhook },
    behave: (b) => (b.publish = (target) => ({ key: 'webhook', target, outcome: 'failed', error: '401: bad token' })),
    ends: { status: 'failed', refunded: true },
  },
  { name: 'failed-no-credits', behave: (b) => (b.credits = 0), notWithApiSetUp: true, ends: { status: 'failed' } },
  {
    name: 'approved-after-edit',
    input: { requireApproval: true, notify: webhook },
    drive: async (h) => {
      await waitFor(h, 'draft');
      await h.executeUpdate(editUpdate, { args: [{ content: 'Edited by a human' }] });
      await h.executeUpdate(approveUpdate);
    },
    ends: { status: 'published' },
  },
  {
    name: 'regenerated-then-discarded',
    input: { requireApproval: true, notify: webhook },
    drive: async (h) => {
      await waitFor(h, 'draft');
      await h.executeUpdate(regenerateUpdate, { args: [{ instructions: 'shorter' }] });
      await h.executeUpdate(discardUpdate);
    },
    ends: { status: 'canceled', refunded: true },
  },
  { name: 'expired', input: { requireApproval: true, notify: webhook, draftExpiryMs: 1500 }, ends: { status: 'canceled', refunded: true } },
  {
    name: 'rescheduled-after-edit',
    input: { notify: webhook },
    delayMs: 60 * 60_000,
    drive: async (h) => {
      await waitFor(h, 'scheduled');
      await h.executeUpdate(editUpdate, { args: [{ hashtags: ['edited'] }] });
      await h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: new Date(Date.now() + 1500).toISOString() }] });
    },
    ends: { status: 'published' },
  },
  {
    name: 'canceled',
    input: { notify: webhook },
    delayMs: 60 * 60_000,
    drive: async (h) => {
      await waitFor(h, 'scheduled');
      await h.executeUpdate(cancelUpdate);
    },
    ends: { status: 'canceled', refunded: true },
  },
  {
    name: 'workflow-cancelled',
    delayMs: 60 * 60_000,
    drive: async (h) => {
      await waitFor(h, 'scheduled');
      await h.cancel();
    },
    ends: 'cancelled',
  },
  {
    name: 'paused-reconnected',
    input: { notify: webhook, targets: [{ kind: 'linkedin' }] as Target[] },
    behave: (b) => (b.publish = pausedOnce()),
    drive: async (h) => {
      await waitForEvent(h, 'paused');
      await h.signal(connectionRestoredSignal, { provider: 'linkedin' });
    },
    ends: { status: 'published' },
  },
  {
    name: 'paused-canceled',
    since: 'one-writer',
    input: { notify: webhook, targets: [{ kind: 'linkedin' }] as Target[] },
    behave: (b) => (b.publish = pausedOnce()),
    drive: async (h) => {
      await waitForEvent(h, 'paused');
      await h.executeUpdate(cancelUpdate);
    },
    ends: { status: 'canceled', refunded: true },
  },
  {
    name: 'paused-timed-out',
    input: { notify: webhook, targets: [{ kind: 'linkedin' }] as Target[], pauseLimitMs: 1500 },
    behave: (b) => (b.publish = pausedOnce()),
    ends: { status: 'failed', refunded: true },
  },
  // Arm early, fire on time: the send waits in its activity through the lead; changes withdraw it.
  { name: 'armed-published', since: 'arm-early', input: { armLeadMs: 1000 }, delayMs: 1500, ends: { status: 'published' } },
  // Due inside the lead at the start (a post for "now"): armed without a zero timer.
  { name: 'armed-at-once', since: 'arm-at-once', input: { armLeadMs: 5000 }, delayMs: 300, ends: { status: 'published' } },
  // Already due at the start: sent at once on the plain path, nothing armed.
  { name: 'sent-due-now', since: 'send-due-now', input: { armLeadMs: 5000 }, delayMs: -1000, ends: { status: 'published' } },
  // Already due, nobody notified: no `scheduled` write before the send (patches-through-due-skips-scheduled), whatever the send's outcome.
  {
    name: 'sent-due-now-failed-refunded',
    since: 'due-skips-scheduled',
    input: { armLeadMs: 5000 },
    delayMs: -1000,
    behave: (b) => (b.publish = (target) => ({ key: 'webhook', target, outcome: 'failed', error: '401: bad token' })),
    ends: { status: 'failed', refunded: true },
  },
  {
    name: 'sent-due-now-paused-reconnected',
    since: 'due-skips-scheduled',
    input: { armLeadMs: 5000, targets: [{ kind: 'linkedin' }] as Target[] },
    delayMs: -1000,
    behave: (b) => (b.publish = pausedOnce()),
    drive: async (h) => {
      await waitForEvent(h, 'paused');
      await h.signal(connectionRestoredSignal, { provider: 'linkedin' });
    },
    ends: { status: 'published' },
  },
  // Already due, with someone to tell: still recorded (and announced) scheduled first.
  {
    name: 'sent-due-now-notify-webhook',
    since: 'due-skips-scheduled',
    input: { armLeadMs: 5000, notify: webhook },
    delayMs: -1000,
    ends: { status: 'published' },
  },
  {
    name: 'armed-rescheduled-in-lead',
    since: 'arm-early',
    input: { armLeadMs: 2500, notify: webhook },
    delayMs: 3000,
    drive: async (h) => {
      await waitForArm(1);
      await h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: new Date(Date.now() + 1500).toISOString() }] });
    },
    ends: { status: 'published' },
  },
  {
    name: 'armed-edited-in-lead',
    since: 'arm-early',
    input: { armLeadMs: 2500, notify: webhook },
    delayMs: 2500,
    drive: async (h) => {
      await waitForArm(1);
      await h.executeUpdate(editUpdate, { args: [{ content: 'Edited while armed' }] });
    },
    ends: { status: 'published' },
  },
  {
    name: 'armed-canceled-in-lead',
    since: 'arm-early',
    input: { armLeadMs: 2500, notify: webhook },
    delayMs: 3000,
    drive: async (h) => {
      await waitForArm(1);
      await h.executeUpdate(cancelUpdate);
    },
    ends: { status: 'canceled', refunded: true },
  },
  {
    name: 'armed-workflow-cancelled-in-lead',
    since: 'arm-early',
    input: { armLeadMs: 2500 },
    delayMs: 3000,
    drive: async (h) => {
      await waitForArm(1);
      await h.cancel();
    },
    ends: 'cancelled',
  },
];

/** The post is `publishing` both before and during a pause: the fakes say when it paused. */
let fakes = createFakes();
async function waitForArm(n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (fakes.named('publishToTarget').filter((c) => (c.args[0] as { arm?: unknown }).arm).length >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never armed ${n} times`);
}
async function waitForEvent(_h: Handle, event: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (fakes.named('recordPostEvent').some((c) => (c.args[0] as { event: string }).event === event)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never recorded ${event}`);
}

async function main(): Promise<void> {
  const [label, workflowsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const notifyNone = process.argv.includes('--notify-none');
  const old = process.argv.includes('--old');
  const apiSetUp = process.argv.includes('--api-set-up');
  // --only=a,b records just those paths (a new patch's own paths, next to the full sets before it).
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  if (!label) throw new Error('usage: record.ts <label> [workflowsPath] [--notify-none]');
  const outDir = path.join(__dirname, label);
  fs.mkdirSync(outDir, { recursive: true });
  const workflowsPath = path.resolve(workflowsArg ?? path.join(__dirname, '../../../workflows'));

  const env = await startTemporal();
  const taskQueue = `record-${process.pid}`;
  fakes = createFakes();
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve(workflowsPath), logger: quiet });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, activities: fakes.activities, workflowBundle: bundle });
  const running = worker.run();
  try {
    for (const s of scenarios.filter((s) => !(old && s.since) && !(apiSetUp && s.notWithApiSetUp) && (!only || only.includes(s.name)))) {
      const file = path.join(outDir, `${s.name}.json`);
      if (fs.existsSync(file)) {
        console.log(`${s.name}: kept (already recorded)`);
        continue;
      }
      fakes.reset();
      s.behave?.(fakes.behaviour);
      const postId = `h${s.name.replace(/[^a-z0-9]/g, '')}`.padEnd(24, '0').slice(0, 24);
      const input: Input = {
        postId,
        accountId: 'person:history',
        authorId: 'm',
        source: 'api',
        topic: 'Temporal for schedulers',
        tone: 'professional',
        language: 'en',
        targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
        scheduledAt: new Date(Date.now() + (s.delayMs ?? 300)).toISOString(),
        timeZone: 'UTC',
        requireApproval: false,
        draftExpiryMs: 60_000,
        pauseLimitMs: 60_000,
        notify: { kind: 'none' },
        ...s.input,
        ...(notifyNone ? { notify: { kind: 'none' } } : {}),
        ...(apiSetUp ? { recordCreated: true, creditReserved: true } : {}),
      };
      const h = await env.client.workflow.start('postLifecycle', { taskQueue, workflowId: `post-${postId}`, args: [input] });
      await s.drive?.(h);
      const outcome = await h.result().then(
        (r: { status: string; refunded?: boolean }) => ({ status: r.status, ...(r.refunded ? { refunded: true } : {}) }),
        () => 'cancelled' as const,
      );
      if (JSON.stringify(outcome) !== JSON.stringify(s.ends)) throw new Error(`${s.name} ended ${JSON.stringify(outcome)}, expected ${JSON.stringify(s.ends)}`);
      fs.writeFileSync(file, `${historyToJSON(await h.fetchHistory())}\n`);
      console.log(`${s.name}: recorded (${JSON.stringify(outcome)})`);
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
}

const noop = () => {};
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
