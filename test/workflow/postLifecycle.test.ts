// The lifecycle's decisions, on the real Temporal dev server, with activities replaced by
// recorders so each test controls what the outside world answers.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { approveUpdate, cancelUpdate, discardUpdate, editUpdate, regenerateUpdate, rescheduleUpdate, statusQuery } from '../../workflows/messages';
import type { LifecycleOptions, postLifecycle } from '../../workflows/postLifecycle';
import type { PostLifecycleInput } from '../../core/lifecycle';
import { createFakes, publishedResult, type Behaviour } from '../helpers/fakeActivities';
import { startTemporal } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `lifecycle-${process.pid}`;
const fakes = createFakes();
const named = fakes.named;
const ok = publishedResult;
let behaviour: Behaviour;

beforeAll(async () => {
  env = await startTemporal();
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

beforeEach(() => {
  fakes.reset();
  behaviour = fakes.behaviour;
});

let seq = 0;
function start(over: Partial<PostLifecycleInput & LifecycleOptions> = {}, delayMs = 500): Promise<WorkflowHandle<typeof postLifecycle>> {
  const postId = `wf${Date.now().toString(16)}${(++seq).toString(16)}`.padEnd(24, '0').slice(0, 24);
  return env.client.workflow.start<typeof postLifecycle>('postLifecycle', {
    taskQueue,
    workflowId: `post-${postId}`,
    args: [
      {
        postId,
        accountId: 'person:a',
        authorId: 'm',
        source: 'api',
        topic: 'Temporal for schedulers',
        tone: 'professional',
        language: 'en',
        targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
        scheduledAt: new Date(Date.now() + delayMs).toISOString(),
        timeZone: 'UTC',
        requireApproval: false,
        draftExpiryMs: 60_000,
        pauseLimitMs: 60_000,
        notify: { kind: 'none' },
        ...over,
      },
    ],
  });
}

async function waitForStatus(h: WorkflowHandle, status: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await h.query(statusQuery)).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`post never became ${status}; it is ${(await h.query(statusQuery)).status}`);
}

describe('postLifecycle', () => {
  it('generates, charges, waits, publishes', async () => {
    const h = await start();
    const final = await h.result();
    expect(final.status).toBe('published');
    expect(final.content).toBe('Drafted text');
    expect(named('generateDraft')).toHaveLength(1);
    expect(named('chargeCredit')).toHaveLength(1);
    expect(named('refundCredit')).toHaveLength(0);
    const published = named('publishToTarget')[0]!.args[0] as { text: string };
    expect(published.text).toBe('Drafted text\n\n#temporal');
    expect(named('recordPostEvent').map((c) => (c.args[0] as { status: string }).status)).toEqual(['scheduled', 'publishing', 'published']);
  });

  it('does not insert the document or take the credit again when the API did both before starting it', async () => {
    const final = await (await start({ creditReserved: true, recordCreated: true })).result();
    expect(final.status).toBe('published');
    expect(named('createPostRecord')).toHaveLength(0);
    expect(named('chargeCredit')).toHaveLength(0);
    expect(named('publishToTarget')).toHaveLength(1);
  });

  it('a post the API set up still refunds the credit it took when it cannot publish', async () => {
    behaviour.publish = (target) => ({ key: 'webhook', target, outcome: 'failed', error: '401: bad token' });
    const final = await (await start({ creditReserved: true, recordCreated: true })).result();
    expect(final.status).toBe('failed');
    expect(final.refunded).toBe(true);
    expect(named('refundCredit')).toHaveLength(1);
  });

  it('a post started without the API (or before it set up) still records itself and charges', async () => {
    await (await start({ creditReserved: true })).result();
    expect(named('createPostRecord')).toHaveLength(1);
    expect(named('chargeCredit')).toHaveLength(1);
  });

  it('with arming on, a post already due is sent at once on the plain path: nothing armed, no separate publishing step', async () => {
    const final = await (await start({ armLeadMs: 60_000, creditReserved: true, recordCreated: true }, -1_000)).result();
    expect(final.status).toBe('published');
    const sends = named('publishToTarget').map((c) => c.args[0] as { arm?: unknown });
    expect(sends).toHaveLength(1);
    expect(sends[0]!.arm).toBeUndefined();
    expect(named('withdrawArm')).toHaveLength(0);
    // Nobody is told (notify none) and it is due: no transient `scheduled` write either, only the outcome.
    expect(named('recordPostEvent').map((c) => (c.args[0] as { status: string }).status)).toEqual(['published']);
    expect((named('recordPostEvent')[0]!.args[0] as { patch: { content?: string } }).patch.content).toBe('Drafted text');
  });

  it('a post already due still records (and announces) itself scheduled when someone is told, or when it was approved', async () => {
    const notified = await (
      await start({ armLeadMs: 60_000, creditReserved: true, recordCreated: true, notify: { kind: 'webhook', url: 'http://127.0.0.1:1/n' } }, -1_000)
    ).result();
    expect(notified.status).toBe('published');
    expect(named('recordPostEvent').map((c) => (c.args[0] as { status: string }).status)).toEqual(['scheduled', 'published']);
    expect(named('notifyAuthor').map((c) => (c.args[0] as { milestone: string }).milestone)).toEqual(['scheduled', 'published']);
    fakes.reset();
    const h = await start({ armLeadMs: 60_000, creditReserved: true, recordCreated: true, requireApproval: true }, -1_000);
    await waitForStatus(h, 'draft');
    await h.executeUpdate(approveUpdate);
    expect((await h.result()).status).toBe('published');
    expect(named('recordPostEvent').map((c) => (c.args[0] as { event: string }).event)).toEqual(['drafted', 'approved', 'published']);
  });

  it('a post for later (even with arming off) records itself scheduled before it is published', async () => {
    await (await start({ armLeadMs: 60_000, creditReserved: true, recordCreated: true }, 1_500)).result();
    expect(named('recordPostEvent').map((c) => (c.args[0] as { status: string }).status)).toEqual(['scheduled', 'published']);
    fakes.reset();
    await (await start({ creditReserved: true, recordCreated: true }, -1_000)).result();
    expect(named('recordPostEvent').map((c) => (c.args[0] as { status: string }).status)).toEqual(['scheduled', 'publishing', 'published']);
  });

  it('with arming on, a post due in the future, even inside the lead, is still armed and not sent before its time', async () => {
    const h = await start({ armLeadMs: 60_000, creditReserved: true, recordCreated: true }, 2_000);
    const due = Date.parse((await h.query(statusQuery)).scheduledAt);
    const final = await h.result();
    expect(final.status).toBe('published');
    const sends = named('publishToTarget').map((c) => c.args[0] as { arm?: { fireAt: string } });
    expect(sends).toHaveLength(1);
    expect(sends[0]!.arm?.fireAt).toBe(new Date(due).toISOString());
    // The fake armed send waits for its fireAt, as the real one does.
    expect(Date.now()).toBeGreaterThanOrEqual(due);
  });

  it('skips generation when the author brings the text', async () => {
    const final = await (await start({ text: 'My own words', topic: undefined })).result();
    expect(final.status).toBe('published');
    expect(named('generateDraft')).toHaveLength(0);
  });

  it('with no credits, ends failed with a buy hint and publishes nothing', async () => {
    behaviour.credits = 0;
    const final = await (await start()).result();
    expect(final.status).toBe('failed');
    expect(final.reason).toMatch(/^no_credits: .*Buy a pack/);
    expect(named('publishToTarget')).toHaveLength(0);
    expect(named('refundCredit')).toHaveLength(0);
  });

  it('refunds exactly once when every target fails permanently', async () => {
    behaviour.publish = (target) => ({ key: 'webhook', target, outcome: 'failed', error: '401: bad token' });
    const final = await (
      await start({
        targets: [
          { kind: 'webhook', url: 'http://a/1' },
          { kind: 'webhook', url: 'http://a/2' },
        ],
      })
    ).result();
    expect(final.status).toBe('failed');
    expect(final.refunded).toBe(true);
    expect(final.reason).toMatch(/publish_failed: .*401: bad token/);
    expect(named('refundCredit')).toHaveLength(1);
    expect(behaviour.credits).toBe(5);
  });

  it('keeps the credit when one target of two is delivered, and says what failed', async () => {
    behaviour.publish = (target) =>
      target.kind === 'webhook' && target.url.endsWith('/bad') ? { key: 'bad', target, outcome: 'failed', error: 'gone' } : ok(target);
    const final = await (
      await start({
        targets: [
          { kind: 'webhook', url: 'http://a/good' },
          { kind: 'webhook', url: 'http://a/bad' },
        ],
      })
    ).result();
    expect(final.status).toBe('published');
    expect(final.reason).toMatch(/bad failed: gone/);
    expect(named('refundCredit')).toHaveLength(0);
  });

  it('marks a target failed after the publish activity gives up', async () => {
    behaviour.publish = () => ApplicationFailure.nonRetryable('boom');
    const final = await (await start()).result();
    expect(named('markPublishFailed')).toHaveLength(1);
    expect(final.status).toBe('failed');
    expect(final.reason).toMatch(/gave up after retries: boom/);
    expect(named('refundCredit')).toHaveLength(1);
  });

  it('waits for approval; edit during approval changes what is published', async () => {
    const h = await start({ requireApproval: true });
    await waitForStatus(h, 'draft');
    const edited = await h.executeUpdate(editUpdate, { args: [{ content: 'Edited by a human' }] });
    expect(edited.content).toBe('Edited by a human');
    await h.executeUpdate(approveUpdate);
    const final = await h.result();
    expect(final.status).toBe('published');
    expect((named('publishToTarget')[0]!.args[0] as { text: string }).text).toBe('Edited by a human\n\n#temporal');
  });

  it('regenerates a draft on request', async () => {
    let n = 0;
    behaviour.draft = () => ({ content: `Draft ${++n}`, hashtags: [], bestTime: 'monday 10:00', generator: { kind: 'offline' } });
    const h = await start({ requireApproval: true });
    await waitForStatus(h, 'draft');
    const again = await h.executeUpdate(regenerateUpdate, { args: [{ instructions: 'shorter' }] });
    expect(again.content).toBe('Draft 2');
    expect((named('generateDraft')[1]!.args[0] as { instructions?: string }).instructions).toBe('shorter');
    await h.executeUpdate(discardUpdate);
    const final = await h.result();
    expect(final.status).toBe('canceled');
    expect(final.refunded).toBe(true);
    expect(named('publishToTarget')).toHaveLength(0);
  });

  it('rejects updates the state does not allow, with reasons, without touching history', async () => {
    const h = await start({ requireApproval: true });
    await waitForStatus(h, 'draft');
    await expect(h.executeUpdate(editUpdate, { args: [{ content: 'x'.repeat(10_001) }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: '2001-01-01T00:00:00Z' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/in the past/) },
    });
    await expect(h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: 'soon' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not a date-time/) },
    });
    await h.executeUpdate(approveUpdate);
    await expect(h.executeUpdate(approveUpdate)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/Cannot approve a post that is scheduled/) },
    });
    await h.executeUpdate(cancelUpdate);
    expect((await h.result()).status).toBe('canceled');
  });

  it('reschedules while waiting: publishes at the new time, not the old one', async () => {
    const h = await start({}, 60 * 60_000);
    await waitForStatus(h, 'scheduled');
    const soon = new Date(Date.now() + 4000).toISOString();
    const st = await h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: soon }] });
    expect(st.scheduledAt).toBe(soon);
    const final = await h.result();
    expect(final.status).toBe('published');
    expect(named('recordPostEvent').some((c) => (c.args[0] as { event: string }).event === 'rescheduled')).toBe(true);
  });

  it('cancel while waiting ends the post and refunds its credit', async () => {
    const h = await start({}, 60 * 60_000);
    await waitForStatus(h, 'scheduled');
    const st = await h.executeUpdate(cancelUpdate);
    expect(st.status).toBe('canceled');
    await expect(h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: new Date(Date.now() + 60_000).toISOString() }] })).rejects.toThrow();
    const final = await h.result();
    expect(final.status).toBe('canceled');
    expect(named('refundCredit')).toHaveLength(1);
    expect(named('publishToTarget')).toHaveLength(0);
    expect(behaviour.credits).toBe(5);
  });

  it('refunds even when the workflow itself is cancelled', async () => {
    const h = await start({}, 60 * 60_000);
    await waitForStatus(h, 'scheduled');
    await h.cancel();
    await expect(h.result()).rejects.toThrow();
    expect(named('refundCredit')).toHaveLength(1);
    const last = named('recordPostEvent').at(-1)!.args[0] as { status: string };
    expect(last.status).toBe('canceled');
  });
});
