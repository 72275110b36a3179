// Long waits, on the time-skipping test server: a draft nobody approves expires after 7 days and
// its credit comes back; a post scheduled days ahead goes out at its time, not before.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { NotifyChannel } from '../../worker/activities/notify';
import { approveUpdate, statusQuery } from '../../workflows/messages';
import type { postLifecycle } from '../../workflows/postLifecycle';
import { createFakes } from '../helpers/fakeActivities';
import { createTimeSkippingEnv } from '../helpers/timeSkipping';

const DAY = 86_400_000;
const taskQueue = `expiry-${process.pid}`;
const fakes = createFakes();
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities: fakes.activities,
    ...(process.env.TEST_WORKFLOW_BUNDLE
      ? { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE } }
      : { workflowsPath: require.resolve('../../workflows') }),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});
beforeEach(() => fakes.reset());

let n = 0;
async function start(requireApproval: boolean, scheduledInMs: number, notify: NotifyChannel = { kind: 'webhook', url: 'http://127.0.0.1:1/notify' }) {
  const postId = `exp${Date.now().toString(16)}${++n}`.padEnd(24, '0').slice(0, 24);
  const now = await env.currentTimeMs();
  return env.client.workflow.start<typeof postLifecycle>('postLifecycle', {
    taskQueue,
    workflowId: `post-${postId}`,
    args: [
      {
        postId,
        accountId: 'person:a',
        authorId: 'm',
        source: 'api',
        topic: 'A week is a long time',
        tone: 'professional',
        language: 'en',
        targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
        scheduledAt: new Date(now + scheduledInMs).toISOString(),
        timeZone: 'UTC',
        requireApproval,
        draftExpiryMs: 7 * DAY,
        pauseLimitMs: 7 * DAY,
        notify,
      },
    ],
  });
}

describe('long waits (time skipping)', () => {
  it('an unapproved draft expires after 7 days and is refunded', async () => {
    const startedAt = await env.currentTimeMs();
    const h = await start(true, 10 * DAY);
    const final = await h.result();
    expect(final.status).toBe('canceled');
    expect(final.reason).toMatch(/^expired/);
    expect(final.refunded).toBe(true);
    expect(fakes.named('refundCredit')).toHaveLength(1);
    expect(fakes.named('publishToTarget')).toHaveLength(0);
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(7 * DAY);
    expect(fakes.named('notifyAuthor').map((c) => (c.args[0] as { milestone: string }).milestone)).toEqual(['drafted', 'expired']);
  });

  it('approved on day 6, it waits until its time three days later, then publishes', async () => {
    const startedAt = await env.currentTimeMs();
    const h = await start(true, 9 * DAY);
    await env.sleep(6 * DAY);
    expect((await h.query(statusQuery)).status).toBe('draft');
    await h.executeUpdate(approveUpdate);
    const final = await h.result();
    expect(final.status).toBe('published');
    const publishedAt = await env.currentTimeMs();
    expect(publishedAt - startedAt).toBeGreaterThanOrEqual(9 * DAY);
    expect(fakes.named('refundCredit')).toHaveLength(0);
    expect(fakes.named('notifyAuthor').map((c) => (c.args[0] as { milestone: string }).milestone)).toEqual(['drafted', 'scheduled', 'published']);
  });

  it('a post nobody is notified about runs no notify activity at all', async () => {
    const h = await start(false, 2 * DAY, { kind: 'none' });
    expect((await h.result()).status).toBe('published');
    expect(fakes.named('publishToTarget')).toHaveLength(1);
    expect(fakes.named('notifyAuthor')).toHaveLength(0);
  });
});
