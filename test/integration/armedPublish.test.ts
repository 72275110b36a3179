// Arm early, fire on time (docs/DESIGN.md): a post wakes PUBLISH_ARM_LEAD before its due time, its
// send waits in the worker and goes out at the due instant; a change during the lead wins over the
// armed send, and a worker that dies during the lead loses nothing. Real stack, real activities.
import type { WorkflowHandle } from '@temporalio/client';
import { balanceOf } from '../../core/ledger';
import { armKey, publishActivities, publishKey } from '../../worker/activities/publish';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

const LEAD_MS = 4_000;
let stack: Stack;
let sink: WebhookSink;

beforeAll(async () => {
  stack = await startStack('armed', { config: { PUBLISH_ARM_LEAD: `${LEAD_MS}ms` } });
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, auth: Record<string, string>, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}
const postDoc = (id: string) => stack.db.posts.findOne({ _id: id });
const settled = (id: string, status: string) =>
  eventually(async () => ((await postDoc(id))?.status === status ? postDoc(id) : undefined), { what: `post ${id} ${status}`, timeoutMs: 45_000 });
const deliveriesOf = (id: string) => sink.deliveries.filter((d) => d.idempotencyKey === `publish:${id}:webhook:${sink.hookUrl}`);
const arm = (id: string, version: number) => stack.db.publishArms.findOne({ _id: `arm:${id}:${version}` });

/**
 * Until the post's send is armed: a publish activity not seen before (a withdrawn one may still be
 * listed while its cancel travels) is out on the worker, waiting for the due time.
 */
async function armed(h: WorkflowHandle, seen = new Set<string>()): Promise<Set<string>> {
  await eventually(
    async () => {
      const out = (await h.describe()).raw.pendingActivities ?? [];
      const fresh = out.filter((a) => a.activityType?.name === 'publishToTarget' && a.activityId && !seen.has(a.activityId));
      for (const a of fresh) seen.add(a.activityId!);
      return fresh.length > 0;
    },
    { what: 'armed send', timeoutMs: 20_000 },
  );
  return seen;
}

async function schedule(auth: Record<string, string>, text: string, dueInMs: number) {
  const due = Date.now() + dueInMs;
  const res = await api('POST', '/v1/posts', auth, { text, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: new Date(due).toISOString() });
  expect(res.status).toBe(202);
  const id = res.body.id as string;
  return { id, due, handle: stack.env.client.workflow.getHandle(`post-${id}`) };
}

describe('armed publishing', () => {
  it('sends within a second of the due time, never before', async () => {
    const { auth, accountId } = await stack.newAccount('ontime');
    const { id, due, handle } = await schedule(auth, 'on the dot', LEAD_MS + 4_000);
    await armed(handle);
    expect(Date.now()).toBeLessThan(due);
    await settled(id, 'published');
    const [delivery, ...more] = deliveriesOf(id);
    expect(more).toHaveLength(0);
    expect(delivery!.firstAt).toBeGreaterThanOrEqual(due);
    expect(delivery!.firstAt - due).toBeLessThan(1_000);
    expect(await arm(id, 1)).toMatchObject({ state: 'fired' });
    // The armed path writes no separate `publishing` step: the due second is for the sends.
    expect((await postDoc(id))!.history.map((h) => h.event)).toEqual(['created', 'scheduled', 'published']);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });

  it('a post for now is sent at once on the plain path: no arm claim, no armed attempt, no pacing', async () => {
    const { auth, accountId } = await stack.newAccount('fornow');
    const res = await api('POST', '/v1/posts', auth, { text: 'right away', targets: [{ kind: 'webhook', url: sink.hookUrl }] });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const doc = await settled(id, 'published');
    expect(deliveriesOf(id)).toHaveLength(1);
    expect(await stack.db.publishArms.countDocuments({ postId: id })).toBe(0);
    const attempt = await stack.db.publishAttempts.findOne({ _id: publishKey(id, { kind: 'webhook', url: sink.hookUrl }) });
    expect(attempt).toMatchObject({ state: 'published', attempts: 1 });
    expect(attempt!.armVersion).toBeUndefined();
    // Due on arrival and nobody to tell: no transient `scheduled` write (patched due-skips-scheduled).
    expect(doc!.history.map((h) => h.event)).toEqual(['created', 'published']);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });

  it('a reschedule and an edit during the lead win: the new text goes out at the new time, once', async () => {
    const { auth } = await stack.newAccount('moved');
    const { id, due, handle } = await schedule(auth, 'old words', LEAD_MS + 2_000);
    const seen = await armed(handle);
    const newDue = due + 5_000;
    const moved = await api('PATCH', `/v1/posts/${id}`, auth, { scheduledAt: new Date(newDue).toISOString() });
    expect(moved.status).toBe(200);
    expect(await arm(id, 1)).toMatchObject({ state: 'withdrawn' });
    // Re-armed for the new time (the new due is inside the lead): an edit withdraws that arm too.
    await armed(handle, seen);
    const edited = await api('PATCH', `/v1/posts/${id}`, auth, { content: 'new words' });
    expect(edited.status).toBe(200);
    expect(await arm(id, 2)).toMatchObject({ state: 'withdrawn' });

    await settled(id, 'published');
    const [delivery, ...more] = deliveriesOf(id);
    expect(more).toHaveLength(0);
    expect(delivery!.received).toBe(1);
    expect(delivery!.payload.text).toBe('new words');
    expect(delivery!.firstAt).toBeGreaterThanOrEqual(newDue);
    expect(delivery!.firstAt - newDue).toBeLessThan(1_500);
    expect(await arm(id, 3)).toMatchObject({ state: 'fired' });
  });

  it('a cancel during the lead wins: never sent, refunded', async () => {
    const { auth, accountId } = await stack.newAccount('withdrawn');
    const { id, due, handle } = await schedule(auth, 'never', LEAD_MS + 2_000);
    await armed(handle);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    const canceled = await api('DELETE', `/v1/posts/${id}`, auth);
    expect(canceled.status).toBe(200);
    expect(await arm(id, 1)).toMatchObject({ state: 'withdrawn' });
    const doc = await settled(id, 'canceled');
    expect(doc!.reason).toMatch(/canceled by the author/);
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 1_500));
    expect(deliveriesOf(id)).toHaveLength(0);
    expect(await balanceOf(stack.db, accountId)).toBe(10);
  });

  it('a worker that dies during the lead loses nothing: published once, charged once', async () => {
    const { auth, accountId } = await stack.newAccount('armcrash');
    const { id, due, handle } = await schedule(auth, 'survives', LEAD_MS + 3_000);
    await armed(handle);
    await stack.restartWorker();
    await settled(id, 'published');
    const [delivery, ...more] = deliveriesOf(id);
    expect(more).toHaveLength(0);
    expect(delivery!.received).toBe(1);
    // At most late (by the heartbeat timeout, lead ÷ 2 here), never early.
    expect(delivery!.firstAt).toBeGreaterThanOrEqual(due);
    console.log(`armed send after a worker restart in the lead: ${delivery!.firstAt - due} ms after the due time`);
    expect(await stack.db.ledger.countDocuments({ accountId, kind: 'charge' })).toBe(1);
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });

  it('claims a little before the due time: a change after the claim is too late and the post goes out as it was', async () => {
    const { auth } = await stack.newAccount('claimed');
    const { id, due, handle } = await schedule(auth, 'as it was', LEAD_MS + 3_000);
    await armed(handle);
    const claim = await eventually(async () => (await arm(id, 1)) ?? undefined, { what: 'claim', timeoutMs: 10_000 });
    // PUBLISH_CLAIM_MARGIN (2 s) before its time, not in its due second.
    expect(Date.now()).toBeLessThan(due - 500);
    expect(claim).toMatchObject({ state: 'fired' });
    // The claim says when the send may go out: the due time, not when it was written.
    expect(claim.at.getTime()).toBe(due);
    const late = await api('PATCH', `/v1/posts/${id}`, auth, { content: 'too late words' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/Too late/);

    await settled(id, 'published');
    const [delivery, ...more] = deliveriesOf(id);
    expect(more).toHaveLength(0);
    expect(delivery!.payload.text).toBe('as it was');
    expect(delivery!.firstAt).toBeGreaterThanOrEqual(due);
    expect(delivery!.firstAt - due).toBeLessThan(1_000);
  });

  it('a worker stopped between its claim and the due time releases the claim: the next one sends once, on time-ish, not as a possible repeat', async () => {
    const { auth } = await stack.newAccount('released');
    const { id, due, handle } = await schedule(auth, 'handed over', LEAD_MS + 3_000);
    await armed(handle);
    await eventually(async () => (await arm(id, 1))?.state === 'fired', { what: 'claim', timeoutMs: 10_000 });
    await stack.stopWorker();
    expect(Date.now()).toBeLessThan(due);
    expect(await arm(id, 1)).toMatchObject({ state: 'released' });
    await stack.startWorker();

    await settled(id, 'published');
    const [delivery, ...more] = deliveriesOf(id);
    expect(more).toHaveLength(0);
    // Sent once: a fired claim would have made the retry a possible repeat (re-sent under its key).
    expect(delivery!.received).toBe(1);
    expect(delivery!.payload.text).toBe('handed over');
    expect(delivery!.firstAt).toBeGreaterThanOrEqual(due);
    expect(await arm(id, 1)).toMatchObject({ state: 'fired' });
    expect(await stack.db.publishAttempts.findOne({ _id: `publish:${id}:webhook:${sink.hookUrl}` })).toMatchObject({ state: 'published', attempts: 2 });
  });

  it('an armed attempt whose claim fired counts as sent since the claim: a LinkedIn retry is unconfirmed, not posted again', async () => {
    const postId = 'armedfired00000000000000';
    const target = { kind: 'linkedin' as const };
    const at = new Date(Date.now() - 5_000);
    await stack.db.publishAttempts.insertOne({
      _id: publishKey(postId, target),
      postId,
      targetKey: 'linkedin',
      state: 'armed',
      armVersion: 1,
      attempts: 1,
      updatedAt: at,
    });
    await stack.db.publishArms.insertOne({ _id: armKey(postId, 1), postId, state: 'fired', at });
    const { publishToTarget } = publishActivities({
      db: stack.db,
      config: stack.config,
      generator: { generate: async () => ({ content: '', hashtags: [], bestTime: '', generator: { kind: 'offline' } }) },
    });
    const out = await publishToTarget({ postId, accountId: 'person:nobody', authorId: 'm', target, text: 'x', arm: { version: 1, fireAt: at.toISOString() } });
    expect(out).toMatchObject({ outcome: 'unconfirmed', error: expect.stringMatching(/may or may not have been posted/) });
    expect(await stack.db.publishAttempts.findOne({ _id: publishKey(postId, target) })).toMatchObject({ state: 'unconfirmed' });
  });

  it('a released claim still stands against a change: the withdrawal is refused, the next attempt takes the claim up', async () => {
    const postId = 'armedreleased00000000000';
    await stack.db.publishArms.insertOne({ _id: armKey(postId, 1), postId, state: 'released', at: new Date() });
    const { withdrawArm } = publishActivities({
      db: stack.db,
      config: stack.config,
      generator: { generate: async () => ({ content: '', hashtags: [], bestTime: '', generator: { kind: 'offline' } }) },
    });
    await expect(withdrawArm({ postId, version: 1 })).resolves.toEqual({ withdrawn: false });
    expect(await stack.db.publishArms.findOne({ _id: armKey(postId, 1) })).toMatchObject({ state: 'released' });
  });
});
