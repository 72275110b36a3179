// Updates that race the lifecycle, on the real Temporal dev server: a regenerate still writing when
// the draft is approved, discarded, canceled or expires; two writers of the post document; an
// approval landing while an expired draft is being refunded; a post paused on LinkedIn canceled.
// Activities are fakes a test can hold (gate) to line up each race exactly.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Target } from '../../core/domain';
import {
  approveUpdate,
  cancelUpdate,
  connectionRestoredSignal,
  discardUpdate,
  editUpdate,
  regenerateUpdate,
  rescheduleUpdate,
  statusQuery,
} from '../../workflows/messages';
import type { LifecycleOptions, postLifecycle } from '../../workflows/postLifecycle';
import type { PostLifecycleInput } from '../../core/lifecycle';
import { createFakes, gate, openAllGates, publishedResult } from '../helpers/fakeActivities';
import { startTemporal } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `races-${process.pid}`;
const fakes = createFakes();
const events = () => fakes.named('recordPostEvent').map((c) => c.args[0] as { status: string; event: string; patch: { content?: string } });

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

afterEach(openAllGates);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

beforeEach(() => fakes.reset());

let seq = 0;
function start(over: Partial<PostLifecycleInput & LifecycleOptions> = {}, delayMs = 60 * 60_000): Promise<WorkflowHandle<typeof postLifecycle>> {
  const postId = `race${Date.now().toString(16)}${(++seq).toString(16)}`.padEnd(24, '0').slice(0, 24);
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
        requireApproval: true,
        draftExpiryMs: 60_000,
        pauseLimitMs: 60_000,
        notify: { kind: 'none' },
        ...over,
      },
    ],
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const statusIs = (h: WorkflowHandle, status: string) => until(`status ${status}`, async () => (await h.query(statusQuery)).status === status);
const called = (activity: string, times: number) => until(`${activity} ×${times}`, () => fakes.named(activity).length >= times);
const refusal = (pattern: RegExp) => ({ cause: { message: expect.stringMatching(pattern) } });

/** Starts a regenerate whose model call is held open until the returned gate opens. */
async function regenerateHeld(h: WorkflowHandle<typeof postLifecycle>) {
  let n = 0;
  fakes.behaviour.draft = () => ({
    content: n++ === 0 ? 'Drafted text' : 'Unreviewed new draft',
    hashtags: [],
    bestTime: 'monday 10:00',
    generator: { kind: 'offline' },
  });
  await statusIs(h, 'draft');
  const model = gate();
  fakes.behaviour.hold = (activity) => (activity === 'generateDraft' ? model.promise : undefined);
  const regenerating = h.executeUpdate(regenerateUpdate, { args: [{}] });
  regenerating.catch(() => {}); // awaited by the test; keeps an early rejection from being unhandled
  await called('generateDraft', 2);
  return { regenerating, finish: model.open };
}

describe('regenerations (#12 item 5)', () => {
  it('allows the configured number of free regenerations, then refuses with a clear error', async () => {
    const h = await start({ maxFreeRegenerations: 2 });
    await statusIs(h, 'draft');
    await h.executeUpdate(regenerateUpdate, { args: [{}] });
    await h.executeUpdate(regenerateUpdate, { args: [{}] });
    await expect(h.executeUpdate(regenerateUpdate, { args: [{}] })).rejects.toMatchObject(refusal(/regenerated 2 times.*Edit the text/));
    expect(fakes.named('generateDraft')).toHaveLength(3);
    await h.executeUpdate(discardUpdate);
    expect((await h.result()).refunded).toBe(true);
  });

  it('is bounded even when the workflow input does not say (posts started before the limit existed)', async () => {
    const h = await start();
    await statusIs(h, 'draft');
    for (let i = 0; i < 3; i++) await h.executeUpdate(regenerateUpdate, { args: [{}] });
    await expect(h.executeUpdate(regenerateUpdate, { args: [{}] })).rejects.toMatchObject(refusal(/regenerated 3 times/));
    expect(fakes.named('generateDraft')).toHaveLength(4);
    await h.executeUpdate(discardUpdate);
    await h.result();
  });

  it('a second regenerate while one is being written is refused, and so is an edit it would overwrite', async () => {
    const h = await start();
    const { regenerating, finish } = await regenerateHeld(h);
    await expect(h.executeUpdate(regenerateUpdate, { args: [{}] })).rejects.toMatchObject(refusal(/already being written/));
    await expect(h.executeUpdate(editUpdate, { args: [{ content: 'Mine' }] })).rejects.toMatchObject(refusal(/being written/));
    finish();
    expect((await regenerating).content).toBe('Unreviewed new draft');
    expect(fakes.named('generateDraft')).toHaveLength(2);
    await h.executeUpdate(discardUpdate);
    await h.result();
  });
});

describe('a regenerate that finishes after the decision (#12 item 6)', () => {
  it('after approve: the approved text stays, the post stays scheduled, the new draft is refused', async () => {
    const h = await start();
    const { regenerating, finish } = await regenerateHeld(h);
    expect((await h.executeUpdate(approveUpdate)).status).toBe('scheduled');
    finish();
    await expect(regenerating).rejects.toMatchObject(refusal(/approved while a new draft was being written.*dropped/));
    const st = await h.query(statusQuery);
    expect({ status: st.status, content: st.content }).toEqual({ status: 'scheduled', content: 'Drafted text' });
    // With the status reset to draft, a discard would be answered "canceled" and then ignored.
    await expect(h.executeUpdate(discardUpdate)).rejects.toMatchObject(refusal(/Cannot discard a post that is scheduled/));
    await h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: new Date(Date.now() + 4000).toISOString() }] });
    const final = await h.result();
    expect(final.status).toBe('published');
    expect((fakes.named('publishToTarget')[0]!.args[0] as { text: string }).text).toBe('Drafted text');
    const statuses = events().map((e) => e.status);
    expect(statuses.slice(statuses.indexOf('scheduled'))).not.toContain('draft');
    expect(events().some((e) => e.event === 'regenerated')).toBe(false);
  });

  it.each(['discard', 'cancel'] as const)('after %s: the post ends canceled and refunded, never a draft again', async (how) => {
    const h = await start();
    const { regenerating, finish } = await regenerateHeld(h);
    expect((await h.executeUpdate(how === 'discard' ? discardUpdate : cancelUpdate)).status).toBe('canceled');
    finish();
    await expect(regenerating).rejects.toMatchObject(refusal(/canceled while a new draft was being written/));
    const final = await h.result();
    expect({ status: final.status, refunded: final.refunded, content: final.content }).toEqual({ status: 'canceled', refunded: true, content: 'Drafted text' });
    expect(events().at(-1)).toMatchObject({ status: 'canceled' });
    expect(events().some((e) => e.event === 'regenerated')).toBe(false);
  });

  it('after expiry: the post ends expired and refunded, the new draft is refused', async () => {
    const h = await start({ draftExpiryMs: 1500 });
    const { regenerating, finish } = await regenerateHeld(h);
    await called('refundCredit', 1);
    finish();
    await expect(regenerating).rejects.toMatchObject(refusal(/expired while a new draft was being written/));
    const final = await h.result();
    expect({ status: final.status, refunded: final.refunded, content: final.content }).toEqual({ status: 'canceled', refunded: true, content: 'Drafted text' });
    expect(final.reason).toMatch(/^expired/);
    expect(events().at(-1)).toMatchObject({ status: 'canceled' });
  });
});

describe('one writer of the post document (#12 item 6)', () => {
  it('an edit right after approval is recorded by the main flow after its own write, never alongside it, before the edit is answered', async () => {
    const h = await start();
    await statusIs(h, 'draft');
    fakes.behaviour.hold = (activity) => (activity === 'recordPostEvent' ? new Promise((r) => setTimeout(r, 300)) : undefined);
    await h.executeUpdate(approveUpdate);
    const edited = await h.executeUpdate(editUpdate, { args: [{ content: 'Edited after approval' }] });
    expect(edited.content).toBe('Edited after approval');
    // The answer comes once the document has the edit: bots re-read the post right after.
    expect(events().some((e) => e.event === 'edited')).toBe(true);
    expect(fakes.maxInFlight.recordPostEvent).toBe(1);
    expect(events().map((e) => e.event)).toEqual(['drafted', 'approved', 'edited']);
    expect(events().at(-1)).toMatchObject({ status: 'scheduled', patch: { content: 'Edited after approval' } });
    await h.executeUpdate(cancelUpdate);
    await h.result();
    expect(fakes.maxInFlight.recordPostEvent).toBe(1);
  });
});

describe('expiry racing approval (#12 item 7)', () => {
  it('once an expired draft is being refunded, approve and edit are refused as expired', async () => {
    const refund = gate();
    fakes.behaviour.hold = (activity) => (activity === 'refundCredit' ? refund.promise : undefined);
    const h = await start({ draftExpiryMs: 1500 });
    await called('refundCredit', 1);
    await expect(h.executeUpdate(approveUpdate)).rejects.toMatchObject(refusal(/expired/));
    await expect(h.executeUpdate(editUpdate, { args: [{ content: 'too late' }] })).rejects.toMatchObject(refusal(/expired/));
    await expect(h.executeUpdate(cancelUpdate)).rejects.toMatchObject(refusal(/expired/));
    refund.open();
    const final = await h.result();
    expect({ status: final.status, refunded: final.refunded }).toEqual({ status: 'canceled', refunded: true });
    expect(fakes.named('publishToTarget')).toHaveLength(0);
  });

  it('once a canceled post is finishing, nothing else is accepted', async () => {
    const refund = gate();
    fakes.behaviour.hold = (activity) => (activity === 'refundCredit' ? refund.promise : undefined);
    const h = await start({ requireApproval: false });
    await statusIs(h, 'scheduled');
    await h.executeUpdate(cancelUpdate);
    await called('refundCredit', 1);
    await expect(h.executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: new Date(Date.now() + 60_000).toISOString() }] })).rejects.toMatchObject(
      refusal(/finishing/),
    );
    refund.open();
    expect((await h.result()).status).toBe('canceled');
  });
});

describe('a post paused on an expired LinkedIn connection (#12 item 8)', () => {
  const linkedin = [{ kind: 'linkedin' }] as Target[];
  const pausedFirst = () => {
    let n = 0;
    return (target: Target) =>
      ++n === 1 ? { key: 'linkedin', target, outcome: 'paused' as const, error: 'Your LinkedIn connection expired. Reconnect it.' } : publishedResult(target);
  };
  const pausedNow = () => until('paused', () => events().some((e) => e.event === 'paused'));

  it('can be canceled, and its credit is refunded', async () => {
    fakes.behaviour.publish = pausedFirst();
    const h = await start({ requireApproval: false, targets: linkedin }, 0);
    await pausedNow();
    expect((await h.executeUpdate(cancelUpdate)).status).toBe('canceled');
    const final = await h.result();
    expect({ status: final.status, refunded: final.refunded }).toEqual({ status: 'canceled', refunded: true });
    expect(final.reason).toMatch(/canceled by the author/);
    expect(fakes.named('refundCredit')).toHaveLength(1);
    expect(fakes.named('publishToTarget')).toHaveLength(1);
    // A reconnect after the cancel publishes nothing.
    await expect(h.signal(connectionRestoredSignal, { provider: 'linkedin' })).rejects.toThrow();
  });

  it('already delivered to another target, it cannot be canceled and says why', async () => {
    const paused = pausedFirst();
    fakes.behaviour.publish = (target) => (target.kind === 'linkedin' ? paused(target) : publishedResult(target));
    const h = await start({ requireApproval: false, targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/hook' }, ...linkedin] }, 0);
    await pausedNow();
    await expect(h.executeUpdate(cancelUpdate)).rejects.toMatchObject(refusal(/already published to webhook/));
    await h.signal(connectionRestoredSignal, { provider: 'linkedin' });
    expect((await h.result()).status).toBe('published');
  });
});
