// Series on Temporal Schedules, against the real Temporal dev server: the Java time-skipping test
// server does not implement the Schedule API. The weekly calendar spec is exercised by backfilling
// past weeks; timing behaviour (pause, outage, credits) by a test-only interval recurrence of a few
// seconds (services/series.ts scheduleSpec 'interval'; clients can only send weekly or cron).
import type { GenerateRequest } from '../../core/domain';
import { balanceOf } from '../../core/ledger';
import { seriesScheduleId } from '../../core/temporal';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createSeries, type CreateSeriesBody } from '../../services/series';
import { seriesOccurrencePostId } from '../../worker/activities/series';
import { createOfflineGenerator } from '../../core/generation';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;
const requests: GenerateRequest[] = [];
let drafts = 0;

beforeAll(async () => {
  const offline = createOfflineGenerator();
  // The offline generator, numbering its drafts so each occurrence's text is its own, and
  // remembering what each occurrence asked for.
  const generator = {
    generate: async (req: GenerateRequest, signal?: AbortSignal) => {
      requests.push(req);
      const d = await offline.generate(req, signal);
      return { ...d, content: `Draft ${++drafts}: ${d.content}` };
    },
    stream: (req: GenerateRequest, signal?: AbortSignal) => offline.stream(req, signal),
  };
  stack = await startStack('series', { config: { DRAFT_EXPIRY: '4s' }, generator });
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
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as Json };
}

const seriesPosts = async (seriesId: string) => {
  const links = await stack.db.seriesPosts.find({ seriesId }).sort({ at: 1 }).toArray();
  const posts = await stack.db.posts.find({ _id: { $in: links.map((l) => l._id) } }).toArray();
  return links.map((l) => posts.find((p) => p._id === l._id)!).filter(Boolean);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A series every `every` (test-only interval), made through the service as the API would. */
async function intervalSeries(accountId: string, memberId: string, every: string, body: Partial<CreateSeriesBody> = {}) {
  return createSeries(
    stack.ctx,
    { accountId, memberId, source: 'api' },
    {
      theme: 'What we learned shipping on Temporal',
      tone: 'friendly',
      language: 'en',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      timeZone: 'Europe/Berlin',
      requireApproval: false,
      ...body,
      recurrence: { kind: 'interval', every },
    },
  );
}

describe('series API', () => {
  it('creates a weekly series on a Temporal Schedule, lists next runs, edits, pauses, resumes and deletes it', async () => {
    const { auth } = await stack.newAccount('s-api');
    const bad = await api('POST', '/v1/series', auth, {
      theme: 'x',
      targets: [],
      recurrence: { kind: 'cron', expression: '* * * * *' },
      timeZone: 'Nowhere/City',
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/problem\+json/);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['recurrence.expression', 'targets', 'theme', 'timeZone']);

    const created = await api('POST', '/v1/series', auth, {
      theme: 'Our engineering culture',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
      timeZone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const nextRuns = created.body.nextRuns as string[];
    expect(nextRuns.length).toBeGreaterThanOrEqual(3);
    for (const at of nextRuns) {
      expect(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toBe('Mon 09:00');
    }
    const desc = await stack.env.client.schedule.getHandle(seriesScheduleId(id)).describe();
    expect(desc.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 600_000 });

    const listed = await api('GET', '/v1/series', auth);
    expect((listed.body.series as Json[]).map((s) => s.id)).toEqual([id]);

    const edited = await api('PATCH', `/v1/series/${id}`, auth, { recurrence: { kind: 'cron', expression: '30 12 * * FRI' }, tone: 'witty' });
    expect(edited.status).toBe(200);
    expect(edited.body.tone).toBe('witty');
    for (const at of edited.body.nextRuns as string[]) {
      expect(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toBe('Fri 12:30');
    }

    const paused = await api('POST', `/v1/series/${id}/pause`, auth);
    expect(paused.body).toMatchObject({ paused: true, nextRuns: [] });
    const resumed = await api('POST', `/v1/series/${id}/resume`, auth);
    expect(resumed.body).toMatchObject({ paused: false });
    expect((resumed.body.nextRuns as string[]).length).toBeGreaterThan(0);

    // Another account cannot see or touch it.
    const other = await stack.newAccount('s-api-other');
    expect((await api('GET', `/v1/series/${id}`, other.auth)).status).toBe(404);
    expect((await api('POST', `/v1/series/${id}/run`, other.auth)).status).toBe(404);
    expect((await api('DELETE', `/v1/series/${id}`, other.auth)).status).toBe(404);

    expect((await api('DELETE', `/v1/series/${id}`, auth)).status).toBe(204);
    expect((await api('GET', `/v1/series/${id}`, auth)).status).toBe(404);
    await expect(stack.env.client.schedule.getHandle(seriesScheduleId(id)).describe()).rejects.toThrow(/not found/i);
  });

  it('keeps a series at 09:00 Berlin time across the DST change (Temporal computes runs in the zone)', async () => {
    const { auth } = await stack.newAccount('s-dst');
    const created = await api('POST', '/v1/series', auth, {
      theme: 'Monthly retrospective',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      recurrence: { kind: 'cron', expression: '0 9 28 * *' },
      timeZone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    const runs = created.body.nextRuns as string[];
    expect(runs).toHaveLength(5);
    for (const at of runs)
      expect(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', day: '2-digit', hour: '2-digit', minute: '2-digit' })).toMatch(
        /^28(,| at)? 09:00$/,
      );
    // Five monthly runs from late November span the last Sunday of March, so both offsets occur
    // when the test runs in winter; in any season the UTC hour is 7 (CEST) or 8 (CET).
    for (const at of runs) expect([7, 8]).toContain(new Date(at).getUTCHours());
    const desc = await stack.env.client.schedule.getHandle(seriesScheduleId(created.body.id as string)).describe();
    expect(desc.spec.timezone).toBe('Europe/Berlin');
    await api('DELETE', `/v1/series/${created.body.id as string}`, auth);
  });

  it('"run now" starts an occurrence: an ordinary post, charged and published', async () => {
    const { auth, accountId } = await stack.newAccount('s-run');
    const created = await api('POST', '/v1/series', auth, {
      theme: 'Release notes, but human',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      recurrence: { kind: 'weekly', days: ['sun'], time: '03:00' },
      requireApproval: false,
    });
    const id = created.body.id as string;
    expect((await api('POST', `/v1/series/${id}/run`, auth)).status).toBe(200);
    const [post] = await eventually(
      async () => {
        const ps = await seriesPosts(id);
        return ps.length === 1 && ps[0]!.status === 'published' ? ps : undefined;
      },
      { what: 'the run-now post published', timeoutMs: 30_000 },
    );
    expect(post!.topic).toBe('Release notes, but human');
    expect(await balanceOf(stack.db, accountId)).toBe(9);
    expect(((await api('GET', `/v1/series/${id}`, auth)).body.recentPosts as Json[]).map((p) => p.postId)).toEqual([post!._id]);
  });
});

describe('series occurrences', () => {
  it('posts once per occurrence for 4 occurrences, each approved or expired-and-refunded as configured, each prompt seeing the earlier posts', async () => {
    const { accountId, memberId, auth } = await stack.newAccount('s-four');
    const series = await intervalSeries(accountId, memberId, '6s', { requireApproval: true });
    const decided = new Set<string>();
    const approved: string[] = [];
    // Approve the 1st and 3rd drafts; let the 2nd and 4th expire (DRAFT_EXPIRY is 4s here).
    await eventually(
      async () => {
        const posts = await seriesPosts(series._id);
        for (const [i, p] of posts.entries()) {
          if (i < 4 && p.status === 'draft' && !decided.has(p._id)) {
            decided.add(p._id);
            if (i % 2 === 0) {
              const res = await api('POST', `/v1/posts/${p._id}/approve`, auth);
              expect(res.status).toBe(200);
              approved.push(p._id);
            }
          }
        }
        return posts.length >= 4 && posts.slice(0, 4).every((p) => p.status === 'published' || p.status === 'canceled') ? true : undefined;
      },
      { what: '4 occurrences decided', timeoutMs: 50_000 },
    );
    await stack.env.client.schedule.getHandle(seriesScheduleId(series._id)).pause('test over');

    const posts = (await seriesPosts(series._id)).slice(0, 4);
    expect(posts.map((p) => p.status)).toEqual(['published', 'canceled', 'published', 'canceled']);
    expect(posts.filter((p) => p.status === 'canceled').every((p) => /^expired/.test(p.reason ?? ''))).toBe(true);
    expect(posts.map((p) => p._id).filter((id) => approved.includes(id))).toEqual([posts[0]!._id, posts[2]!._id]);
    // Every post charged one credit; the expired ones refunded it.
    for (const p of posts) expect(await stack.db.ledger.findOne({ _id: `charge:${p._id}` })).not.toBeNull();
    for (const p of [posts[1]!, posts[3]!]) expect(await stack.db.ledger.findOne({ _id: `refund:${p._id}` })).not.toBeNull();
    const extra = (await seriesPosts(series._id)).length - 4;
    expect(await balanceOf(stack.db, accountId)).toBeLessThanOrEqual(10 - 2);

    // Occurrences were spaced by the recurrence, not bunched.
    const links = (await stack.db.seriesPosts.find({ seriesId: series._id }).sort({ at: 1 }).toArray()).slice(0, 4);
    for (let i = 1; i < links.length; i++) expect(links[i]!.at.getTime() - links[i - 1]!.at.getTime()).toBeGreaterThan(4_000);

    // Drafts vary: from the second occurrence on, the prompt carries the earlier posts' texts.
    const asked = requests.filter((r) => r.topic === series.theme);
    expect(asked[0]?.instructions ?? '').not.toMatch(/Earlier posts/);
    expect(asked[1]?.instructions).toContain(posts[0]!.content!.slice(0, 60));
    expect(asked[3]?.instructions).toContain(posts[2]!.content!.slice(0, 60));
    expect(extra).toBeGreaterThanOrEqual(0);
  });

  it('a weekly Monday 09:00 Berlin series, backfilled over four past weeks across the March DST change, posts once a week: two approved, two expired and refunded, and a repeated backfill charges nothing twice', async () => {
    const { accountId, memberId, auth } = await stack.newAccount('s-weekly');
    const series = await createSeries(
      stack.ctx,
      { accountId, memberId, source: 'api' },
      {
        theme: 'Our engineering culture, week by week',
        tone: 'friendly',
        language: 'en',
        targets: [{ kind: 'webhook', url: sink.hookUrl }],
        timeZone: 'Europe/Berlin',
        requireApproval: true,
        recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
      },
      { draftExpiryMs: 8_000 },
    );
    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(series._id));
    // Four Mondays: 16 and 23 March 2026 in CET, 30 March and 6 April in CEST (DST began 29 March).
    // BUFFER_ALL so each backfilled occurrence starts after the one before, not skipped as an overlap.
    const window = { start: new Date('2026-03-15T00:00:00Z'), end: new Date('2026-04-12T00:00:00Z'), overlap: ScheduleOverlapPolicy.BUFFER_ALL };
    await handle.backfill([window]);

    const decided = new Set<string>();
    const approved: string[] = [];
    await eventually(
      async () => {
        const posts = await seriesPosts(series._id);
        for (const [i, p] of posts.entries()) {
          if (p.status === 'draft' && !decided.has(p._id)) {
            decided.add(p._id);
            if (i % 2 === 0) {
              expect((await api('POST', `/v1/posts/${p._id}/approve`, auth)).status).toBe(200);
              approved.push(p._id);
            }
          }
        }
        return posts.length >= 4 && posts.every((p) => p.status === 'published' || p.status === 'canceled') ? true : undefined;
      },
      { what: '4 weekly occurrences decided', timeoutMs: 60_000 },
    );

    // The occurrences Temporal started, with the nominal time each was scheduled for.
    const occurrences = async () => {
      const found: { workflowId: string; nominal: string; status: string }[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: `TemporalScheduledById = '${seriesScheduleId(series._id)}'` })) {
        const at = wf.searchAttributes.TemporalScheduledStartTime?.[0];
        found.push({ workflowId: wf.workflowId, nominal: at instanceof Date ? at.toISOString() : String(at), status: wf.status.name });
      }
      return found.sort((a, b) => a.nominal.localeCompare(b.nominal));
    };
    const started = await eventually(async () => ((await occurrences()).length >= 4 ? occurrences() : undefined), { what: 'occurrences listed' });
    expect(started.map((o) => o.nominal)).toEqual([
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
    for (const o of started) {
      expect(new Date(o.nominal).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' })).toBe(
        'Mon 09:00',
      );
      // Temporal names each occurrence after its nominal time: that is what makes a repeat findable.
      expect(o.workflowId).toBe(`series-${series._id}-occurrence-${o.nominal.replace('.000Z', 'Z')}`);
    }
    for (let i = 1; i < started.length; i++) {
      const days = (Date.parse(started[i]!.nominal) - Date.parse(started[i - 1]!.nominal)) / 86_400_000;
      // Seven calendar days; across the DST change the week is an hour short in UTC.
      expect(days).toBeCloseTo(i === 2 ? 7 - 1 / 24 : 7, 6);
    }

    const posts = await seriesPosts(series._id);
    expect(posts).toHaveLength(4);
    expect(posts.map((p) => p.status)).toEqual(['published', 'canceled', 'published', 'canceled']);
    expect(approved).toEqual([posts[0]!._id, posts[2]!._id]);
    expect(posts.filter((p) => p.status === 'canceled').every((p) => /^expired/.test(p.reason ?? ''))).toBe(true);
    const ledgerOf = async () => (await stack.db.ledger.find({ accountId }).toArray()).map((e) => e._id).sort();
    const ledger = await ledgerOf();
    for (const p of posts) expect(ledger).toContain(`charge:${p._id}`);
    for (const p of [posts[1]!, posts[3]!]) expect(ledger).toContain(`refund:${p._id}`);
    expect(await balanceOf(stack.db, accountId)).toBe(10 - 2);

    // An attacker (or a nervous operator) backfills the same weeks again: the occurrences have the
    // same ids, so nothing is drafted, charged or published a second time.
    const publishedBefore = sink.requests.length;
    await handle.backfill([window]);
    const repeated = await eventually(
      async () => {
        const all = await occurrences();
        return all.length === 8 && all.every((o) => o.status === 'COMPLETED') ? all : undefined;
      },
      { what: 'the repeated occurrences finished', timeoutMs: 30_000 },
    );
    expect(repeated.map((o) => o.workflowId)).toEqual(started.flatMap((o) => [o.workflowId, o.workflowId]));
    // Each post's workflow ran once: the repeats started no second one.
    for (const p of posts) {
      let runs = 0;
      for await (const _ of stack.env.client.workflow.list({ query: `WorkflowId = 'post-${p._id}'` })) runs++;
      expect(runs).toBe(1);
    }
    await sleep(3_000);
    expect(await seriesPosts(series._id)).toHaveLength(4);
    expect((await seriesPosts(series._id)).map((p) => p.status)).toEqual(['published', 'canceled', 'published', 'canceled']);
    expect(await ledgerOf()).toEqual(ledger);
    expect(await balanceOf(stack.db, accountId)).toBe(10 - 2);
    expect(sink.requests.length).toBe(publishedBefore);
    await handle.pause('test over');
  }, 120_000);

  it('a repeated occurrence that comes while the first post is still starting adopts that post instead of failing', async () => {
    const { accountId, memberId } = await stack.newAccount('s-repeat');
    const series = await createSeries(
      stack.ctx,
      { accountId, memberId, source: 'api' },
      {
        theme: 'Repeats adopt the running post',
        tone: 'friendly',
        language: 'en',
        targets: [{ kind: 'webhook', url: sink.hookUrl }],
        timeZone: 'Europe/Berlin',
        requireApproval: true,
        recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
      },
      { paused: true },
    );
    const occurrenceId = `series-${series._id}-occurrence-2026-03-16T08:00:00Z`;
    const postId = seriesOccurrencePostId(series._id, occurrenceId);
    // The first run's post workflow, still running (on a queue no worker polls, so it stays put).
    const first = await stack.env.client.workflow.start('postLifecycle', { workflowId: `post-${postId}`, taskQueue: 'series-test-nobody', args: [] });
    try {
      const result = await stack.env.client.workflow.execute('seriesOccurrence', {
        workflowId: occurrenceId,
        taskQueue: stack.ctx.config.TEMPORAL_TASK_QUEUE,
        args: [{ seriesId: series._id }],
      });
      expect(result).toEqual({ postId, pausedForCredits: false });
    } finally {
      await first.terminate('test over');
    }
  });

  it('a Schedule paused for 3 occurrences resumes without a burst', async () => {
    const { accountId, memberId } = await stack.newAccount('s-pause', { credits: 30 });
    const series = await intervalSeries(accountId, memberId, '3s');
    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(series._id));
    await eventually(async () => ((await seriesPosts(series._id)).length >= 1 ? true : undefined), { what: 'first occurrence', timeoutMs: 15_000 });
    await handle.pause('test: away for three occurrences');
    const before = (await handle.describe()).info.numActionsTaken;
    await sleep(10_000); // three due times pass while paused
    expect((await handle.describe()).info.numActionsTaken).toBe(before);

    await handle.unpause('test: back');
    await sleep(1_500);
    // A burst would start the three missed occurrences at once; at most the next due one may start.
    expect((await handle.describe()).info.numActionsTaken - before).toBeLessThanOrEqual(1);
    await sleep(4_500);
    expect((await handle.describe()).info.numActionsTaken - before).toBeLessThanOrEqual(2);
    await handle.pause('test over');
  });

  it('a worker outage of 3 occurrences catches up at most one (overlap SKIP)', async () => {
    const { accountId, memberId } = await stack.newAccount('s-outage', { credits: 30 });
    const series = await intervalSeries(accountId, memberId, '3s');
    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(series._id));
    await eventually(async () => ((await seriesPosts(series._id)).length >= 1 ? true : undefined), { what: 'first occurrence', timeoutMs: 15_000 });
    await stack.stopWorker();
    const before = (await seriesPosts(series._id)).length;
    await sleep(10_000);
    await handle.pause('measure');
    await stack.startWorker();
    await sleep(4_000);
    const after = (await seriesPosts(series._id)).length;
    // The first occurrence due during the outage waited for a worker; the others were skipped
    // (a burst would be 3). 0 only if the outage began mid-occurrence, which then held the slot.
    expect(after - before).toBeLessThanOrEqual(1);
    expect((await handle.describe()).info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(2);
  });

  it('pauses itself when the account runs out of credits, and the owner is told through the failed post', async () => {
    const { accountId, memberId, auth } = await stack.newAccount('s-broke', { credits: 1 });
    const series = await intervalSeries(accountId, memberId, '3s');
    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(series._id));
    await eventually(async () => ((await handle.describe()).state.paused ? true : undefined), { what: 'series paused', timeoutMs: 20_000 });
    const posts = await eventually(
      async () => {
        const ps = await seriesPosts(series._id);
        return ps.length >= 2 && ps.every((p) => ['published', 'failed'].includes(p.status)) ? ps : undefined;
      },
      { what: 'posts settled', timeoutMs: 20_000 },
    );
    expect(posts.map((p) => p.status)).toEqual(['published', 'failed']);
    expect(posts[1]!.reason).toMatch(/^no_credits/);
    expect(await balanceOf(stack.db, accountId)).toBe(0);
    const view = await api('GET', `/v1/series/${series._id}`, auth);
    expect(view.body).toMatchObject({ paused: true, pausedReason: expect.stringMatching(/no credits/) });
    await sleep(4_000);
    expect(await seriesPosts(series._id)).toHaveLength(2);
  });
});
