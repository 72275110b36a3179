// The posting queue end to end: schedule through the API, "add to queue" (`when: "queue"`) racing
// on FerretDB, cancel freeing the slot and shifting the later posts up.
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;

beforeAll(async () => {
  stack = await startStack('queue');
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
});
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

type Json = Record<string, unknown>;
async function api(method: string, path: string, auth: Record<string, string>, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...auth, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}

const EVERY_HOUR = {
  timeZone: 'Europe/Berlin',
  slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], times: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:15`) }],
};
const queuedPost = (text: string) => ({ text, targets: [{ kind: 'webhook', url: sink.hookUrl }], when: 'queue' });

describe('posting schedule', () => {
  it('is set, read back and validated with problem+json', async () => {
    const { auth } = await stack.newAccount('q-schedule');
    expect((await api('GET', '/v1/queue/schedule', auth)).status).toBe(404);
    const none = await api('GET', '/v1/queue/next', auth);
    expect(none.status).toBe(409);
    expect(none.body.detail).toMatch(/PUT \/v1\/queue\/schedule/);

    const bad = await api('PUT', '/v1/queue/schedule', auth, { timeZone: 'Mars/Olympus', slots: [{ days: ['monday'], times: ['8:30'] }] });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/application\/problem\+json/);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['slots.0.days.0', 'slots.0.times.0', 'timeZone']);

    const schedule = { timeZone: 'Europe/Berlin', slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['08:30', '12:00'] }] };
    const put = await api('PUT', '/v1/queue/schedule', auth, schedule);
    expect(put.status).toBe(200);
    expect((await api('GET', '/v1/queue/schedule', auth)).body).toMatchObject(schedule);

    const next = await api('GET', '/v1/queue/next?count=4', auth);
    expect(next.status).toBe(200);
    const slots = next.body.slots as string[];
    expect(slots).toHaveLength(4);
    for (const s of slots) {
      const local = new Date(s).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' });
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (08:30|12:00)$/);
    }
    expect([...slots].sort()).toEqual(slots);
  });

  it('refuses a workspace member without an admin key', async () => {
    const { auth } = await stack.newAccount('q-member');
    // newAccount makes person accounts; a workspace key is another account kind.
    const { issueApiKey } = await import('../../core/apiKeys');
    const { ensureAccount } = await import('../../core/accounts');
    await ensureAccount(stack.db, { _id: 'slack:TQUEUE', kind: 'slack', name: 'q' }, 5);
    const { key } = await issueApiKey(stack.db, { accountId: 'slack:TQUEUE', memberId: 'U1', label: 'member' });
    const res = await api('PUT', '/v1/queue/schedule', { authorization: `Bearer ${key}` }, EVERY_HOUR);
    expect(res.status).toBe(403);
    expect(auth).toBeDefined();
  });
});

describe('add to queue', () => {
  it('gives 50 concurrent posts 50 distinct slots: exactly the first 50 free ones', async () => {
    const { auth, accountId } = await stack.newAccount('q-race', { credits: 60 });
    expect((await api('PUT', '/v1/queue/schedule', auth, EVERY_HOUR)).status).toBe(200);
    const expected = (await api('GET', '/v1/queue/next?count=50', auth)).body.slots as string[];

    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => api('POST', '/v1/posts', auth, queuedPost(`Queued post number ${i}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    const taken = answers.map((a) => a.body.scheduledAt as string);
    expect(new Set(taken).size).toBe(50);
    expect([...taken].sort()).toEqual(expected);

    // The posts themselves wait for those slots, and the claims name them.
    const claims = await stack.db.queueSlots.find({ accountId }).toArray();
    expect(claims).toHaveLength(50);
    const byPost = new Map(answers.map((a) => [a.body.id as string, a.body.scheduledAt as string]));
    for (const c of claims) expect(c.at.toISOString()).toBe(byPost.get(c.postId));
    const docs = await stack.db.posts.find({ accountId }).toArray();
    for (const d of docs) expect(d.scheduledAt.toISOString()).toBe(byPost.get(d._id));

    const after = (await api('GET', '/v1/queue/next?count=1', auth)).body.slots as string[];
    expect(after[0]! > expected[49]!).toBe(true);
  });

  it('a post refused for lack of credits (402 at create) takes no slot', async () => {
    const { auth } = await stack.newAccount('q-broke', { credits: 0 });
    await api('PUT', '/v1/queue/schedule', auth, EVERY_HOUR);
    const before = (await api('GET', '/v1/queue/next?count=1', auth)).body.slots as string[];
    const a = await api('POST', '/v1/posts', auth, queuedPost('No credit for this one'));
    expect(a.status).toBe(402);
    expect(((await api('GET', '/v1/queue/next?count=1', auth)).body.slots as string[])[0]).toBe(before[0]);
  });

  it('gives a retried request (same Idempotency-Key) its slot back instead of a second one', async () => {
    const { auth, accountId } = await stack.newAccount('q-idem');
    await api('PUT', '/v1/queue/schedule', auth, EVERY_HOUR);
    const first = await api('POST', '/v1/posts', auth, queuedPost('Once only'), { 'idempotency-key': 'queue-retry-1' });
    const again = await api('POST', '/v1/posts', auth, queuedPost('Once only'), { 'idempotency-key': 'queue-retry-1' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.scheduledAt).toBe(first.body.scheduledAt);
    expect(await stack.db.queueSlots.countDocuments({ accountId })).toBe(1);
  });

  it('frees the slot of a post canceled with DELETE /v1/posts/{id}', async () => {
    const { auth } = await stack.newAccount('q-free');
    await api('PUT', '/v1/queue/schedule', auth, EVERY_HOUR);
    const a = await api('POST', '/v1/posts', auth, queuedPost('First in line'));
    await api('POST', '/v1/posts', auth, queuedPost('Second in line'));
    expect((await api('DELETE', `/v1/posts/${a.body.id as string}`, auth)).status).toBe(200);
    await eventually(async () => ((await stack.db.posts.findOne({ _id: a.body.id as string }))?.status === 'canceled' ? true : undefined), {
      what: 'post canceled',
    });
    const next = (await api('GET', '/v1/queue/next?count=1', auth)).body.slots as string[];
    expect(next[0]).toBe(a.body.scheduledAt);
    const c = await api('POST', '/v1/posts', auth, queuedPost('Takes the freed slot'));
    expect(c.body.scheduledAt).toBe(a.body.scheduledAt);
  });

  it('cancels from the queue with shiftUp: each later post moves one slot up', async () => {
    const { auth, accountId } = await stack.newAccount('q-shift');
    await api('PUT', '/v1/queue/schedule', auth, EVERY_HOUR);
    const posts = [];
    for (const t of ['one', 'two', 'three']) posts.push((await api('POST', '/v1/posts', auth, queuedPost(`Post ${t}`))).body);
    const [a, b, c] = posts as { id: string; scheduledAt: string }[];

    const res = await api('DELETE', `/v1/queue/posts/${a!.id}?shiftUp=true`, auth);
    expect(res.status).toBe(200);
    expect(res.body.state).toMatchObject({ status: 'canceled' });
    expect(res.body.moved).toEqual([
      { postId: b!.id, from: b!.scheduledAt, to: a!.scheduledAt },
      { postId: c!.id, from: c!.scheduledAt, to: b!.scheduledAt },
    ]);
    // The workflows were rescheduled (their state is the truth), and the claims follow.
    const { statusQuery } = await import('../../workflows/messages');
    expect((await stack.env.client.workflow.getHandle(`post-${b!.id}`).query(statusQuery)).scheduledAt).toBe(a!.scheduledAt);
    expect((await stack.env.client.workflow.getHandle(`post-${c!.id}`).query(statusQuery)).scheduledAt).toBe(b!.scheduledAt);
    const claims = await stack.db.queueSlots.find({ accountId }).sort({ at: 1 }).toArray();
    expect(claims.map((x) => [x.postId, x.at.toISOString()])).toEqual([
      [b!.id, a!.scheduledAt],
      [c!.id, b!.scheduledAt],
    ]);
    expect(((await api('GET', '/v1/queue/next?count=1', auth)).body.slots as string[])[0]).toBe(c!.scheduledAt);

    // Canceling it again shifts nothing more (the workflow refuses a second cancel; the queue
    // must not move posts for a post that holds no slot).
    const again = await api('DELETE', `/v1/queue/posts/${a!.id}?shiftUp=true`, auth);
    expect([200, 409]).toContain(again.status);
    expect(again.body.moved ?? []).toEqual([]);
    expect((await stack.db.queueSlots.find({ accountId }).sort({ at: 1 }).toArray()).map((x) => [x.postId, x.at.toISOString()])).toEqual([
      [b!.id, a!.scheduledAt],
      [c!.id, b!.scheduledAt],
    ]);
  });

  it("queues a post to a target with its own slots in that target's lane, apart from the account's", async () => {
    const { auth, accountId } = await stack.newAccount('q-lanes');
    const own = { kind: 'webhook', url: `${sink.hookUrl}?lane=own` };
    const put = await api('PUT', '/v1/queue/schedule', auth, {
      timeZone: 'Europe/Berlin',
      slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['08:30'] }],
      targets: [{ target: own, slots: [{ days: ['sat', 'sun'], times: ['10:00'] }] }],
    });
    expect(put.status).toBe(200);
    expect(put.body.targets).toEqual([{ target: own, key: `webhook:${own.url}`, slots: [{ days: ['sat', 'sun'], times: ['10:00'] }] }]);
    const dup = await api('PUT', '/v1/queue/schedule', auth, {
      timeZone: 'UTC',
      slots: [{ days: ['mon'], times: ['08:30'] }],
      targets: [
        { target: own, slots: [{ days: ['mon'], times: ['09:00'] }] },
        { target: own, slots: [{ days: ['tue'], times: ['09:00'] }] },
      ],
    });
    expect(dup.status).toBe(400);

    const local = (iso: string) => new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    const ownNext = (await api('GET', `/v1/queue/next?count=2&target=${encodeURIComponent(`webhook:${own.url}`)}`, auth)).body.slots as string[];
    expect(ownNext.map(local).every((l) => /^(Sat|Sun) 10:00$/.test(l))).toBe(true);

    const a = await api('POST', '/v1/posts', auth, { text: 'To the target with its own slots', targets: [own], when: 'queue' });
    const b = await api('POST', '/v1/posts', auth, { text: 'To the account queue', targets: [{ kind: 'webhook', url: sink.hookUrl }], when: 'queue' });
    const c = await api('POST', '/v1/posts', auth, {
      text: 'Two targets: the account queue',
      targets: [own, { kind: 'webhook', url: sink.hookUrl }],
      when: 'queue',
    });
    expect(a.body.scheduledAt).toBe(ownNext[0]);
    expect(local(b.body.scheduledAt as string)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:30$/);
    expect(local(c.body.scheduledAt as string)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:30$/);
    expect(c.body.scheduledAt).not.toBe(b.body.scheduledAt);
    const claims = await stack.db.queueSlots.find({ accountId }).toArray();
    expect(claims.find((x) => x.postId === a.body.id)).toMatchObject({
      lane: `${accountId}#webhook:${own.url}`,
      _id: `${accountId}#webhook:${own.url}:${ownNext[0]}`,
    });
    expect(claims.find((x) => x.postId === b.body.id)?.lane).toBeUndefined();
    // The lane's next free slot moved on; the account's did too, separately.
    expect(((await api('GET', `/v1/queue/next?count=1&target=${encodeURIComponent(`webhook:${own.url}`)}`, auth)).body.slots as string[])[0]).toBe(ownNext[1]);
  });

  it('says what to do when the account has no schedule, and charges nothing', async () => {
    const { auth } = await stack.newAccount('q-none');
    const res = await api('POST', '/v1/posts', auth, queuedPost('Nowhere to go'));
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/no posting schedule/);
  });
});

describe('a refused add to queue', () => {
  /** A whole draft streamed through the API (one credit): its id, as the extension's panel holds it. */
  async function paidDraft(auth: Record<string, string>): Promise<{ draftId: string; text: string }> {
    const res = await fetch(`${stack.apiUrl}/v1/generate/stream`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'Queued from a paid draft', target: 'linkedin' }),
    });
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((b) => ({ event: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n')[1]!.slice(6)) as Json }));
    const draftId = events.find((e) => e.event === 'charged')!.data.draftId as string;
    const text = events
      .filter((e) => e.event === 'delta')
      .map((e) => e.data.text as string)
      .join('');
    return { draftId, text };
  }

  it('leaves its paid draft free to be scheduled at a time, paying once (no schedule, then a full queue)', async () => {
    const { auth, accountId } = await stack.newAccount('q-refused', { credits: 3 });
    const { draftId, text } = await paidDraft(auth);
    const credits = async () => (await api('GET', '/v1/me', auth)).body.credits as number;
    const left = await credits();

    // No schedule: refused, and nothing bound, claimed or charged.
    const refused = await api('POST', '/v1/posts', auth, { text, targets: [{ kind: 'linkedin' }], when: 'queue', draftId, timeZone: 'Europe/Berlin' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/no posting schedule/);

    // A schedule whose only slot is taken: the queue is full, refused the same way.
    const onlySlot = { timeZone: 'UTC', slots: [{ days: ['mon'], times: ['09:00'] }] };
    expect((await api('PUT', '/v1/queue/schedule', auth, onlySlot)).status).toBe(200);
    // Every Monday of the coming year taken (claims this fresh count as live while their posts are being written).
    for (let free = (await api('GET', '/v1/queue/next?count=50', auth)).body.slots as string[]; free.length;) {
      await stack.db.queueSlots.insertMany(
        free.map((at) => ({ _id: `${accountId}:${at}`, accountId, postId: `taken-${at}`, at: new Date(at), claimedAt: new Date() })),
      );
      free = (await api('GET', '/v1/queue/next?count=50', auth)).body.slots as string[];
    }
    const full = await api('POST', '/v1/posts', auth, { text, targets: [{ kind: 'linkedin' }], when: 'queue', draftId, timeZone: 'Europe/Berlin' });
    expect(full.status).toBe(409);
    expect(full.body.detail).toMatch(/queue is full/);
    expect(await credits()).toBe(left);

    // The same draft, at a time of one's choosing: accepted, paid by the draft.
    const scheduled = await api('POST', '/v1/posts', auth, {
      text,
      targets: [{ kind: 'linkedin' }],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      draftId,
    });
    expect(scheduled.status).toBe(202);
    await eventually(async () => (await stack.db.posts.findOne({ _id: scheduled.body.id as string }))?.status === 'scheduled', { what: 'scheduled' });
    expect(await credits()).toBe(left);
  });
});

describe('Discord', () => {
  it("offers the server's next free slot in /post's when autocomplete", async () => {
    const { handleInteraction } = await import('../../bots/discord/interactions');
    const { putSchedule } = await import('../../services/queue');
    const guild = '990000000000000001';
    const complete = async () => {
      let answer: unknown;
      const interaction = {
        id: '1',
        application_id: 'app',
        type: 4,
        guild_id: guild,
        channel_id: 'c',
        token: 't',
        version: 1,
        data: {
          id: '2',
          name: 'post',
          type: 1,
          options: [
            { name: 'topic', type: 3, value: 'x' },
            { name: 'when', type: 3, value: '', focused: true },
          ],
        },
        member: { user: { id: 'u1', username: 'u' }, roles: [], permissions: '0' },
      };
      await handleInteraction({ ctx: stack.ctx, api: {} as never, log: () => undefined }, interaction as never, async (r) => {
        answer = r;
      });
      return (answer as { data: { choices: { name: string; value: string }[] } }).data.choices;
    };
    expect((await complete()).some((c) => c.value === 'queue')).toBe(false);
    await putSchedule(
      stack.ctx,
      { accountId: `discord:${guild}`, memberId: 'm', isAdmin: true },
      { timeZone: 'Europe/Berlin', slots: [{ days: ['tue'], times: ['08:30'] }] },
    );
    const [first] = await complete();
    expect(first).toEqual({ name: 'next free slot (Tue 08:30)', value: 'queue' });
  });
});
