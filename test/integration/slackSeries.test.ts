// `/postforge series …` and `… when queue` through the real Bolt receiver, with a Slack stand-in:
// a series created in #general brings each occurrence's draft there, Approve publishes it.
import { createHmac } from 'node:crypto';
import { seriesScheduleId } from '../../core/temporal';
import { startSlackStandin, type SlackStandin } from '../standins/slack';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

const SECRET = 'slack-signing-secret-for-tests';
const TEAM = 'T0STANDIN';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CAROL = 'U0CAROL';
const ACCOUNT = `slack:${TEAM}`;

let stack: Stack;
let slack: SlackStandin;
let seq = 0;

beforeAll(async () => {
  slack = await startSlackStandin({
    tokens: { 'xoxb-standin': { teamId: TEAM } },
    channels: [{ id: 'C0GENERAL', name: 'general' }],
    users: [
      { id: ALICE, name: 'alice', tz: 'Europe/Berlin' },
      { id: BOB, name: 'bob', tz: 'Europe/Berlin' },
      { id: CAROL, name: 'carol', tz: 'Europe/Berlin', isAdmin: true },
    ],
  });
  stack = await startStack('slackseries', { config: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-standin', SLACK_API_URL: slack.apiUrl } });
});
afterAll(async () => {
  if (stack) {
    await expectLedgersConsistent(stack.db);
    await stack.stop();
  }
  await slack?.close();
});

async function postSigned(body: string) {
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`${stack.apiUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
    },
    body,
  });
}

async function command(text: string, user = ALICE) {
  const id = `cmd${++seq}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'standin',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: user,
    user_name: user.slice(2).toLowerCase(),
    command: '/postforge',
    text,
    api_app_id: 'A0STANDIN',
    response_url: slack.responseUrl(id),
    trigger_id: slack.issueTrigger(`trigger-${id}`),
  }).toString();
  const res = await postSigned(body);
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as { text?: string }) : undefined, id };
}

async function click(actionId: string, value: string, ts: string, user = ALICE) {
  const id = `act${++seq}`;
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'standin' },
    user: { id: user, username: user.slice(2).toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'legacy',
    trigger_id: slack.issueTrigger(`trigger-${id}`),
    container: { type: 'message', message_ts: ts, channel_id: 'C0GENERAL', is_ephemeral: false },
    channel: { id: 'C0GENERAL', name: 'general' },
    message: { type: 'message', ts, text: 'post' },
    response_url: slack.responseUrl(id),
    actions: [{ type: 'button', action_id: actionId, block_id: `post:${value}`, value, action_ts: String(Date.now() / 1000) }],
  };
  const res = await postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  return { status: res.status, id };
}

async function submit(callbackId: string, privateMetadata: string, values: Record<string, Record<string, Record<string, unknown>>>, user = CAROL) {
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'standin' },
    user: { id: user, username: user.slice(2).toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'legacy',
    trigger_id: `trigger-v${++seq}`,
    view: { id: 'V0MODAL', team_id: TEAM, type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, state: { values }, hash: 'h1' },
  };
  const res = await postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined };
}

const responseTo = (id: string) =>
  eventually(async () => slack.responses.find((r) => r.id === id)?.body as { text?: string } | undefined, { what: `a response_url post for ${id}` });

describe('/postforge series', () => {
  it('creates a series from Slack; its draft comes to the channel and Approve there publishes it', async () => {
    const created = await command('series Our engineering culture every:mon 09:00 tone:friendly to:<#C0GENERAL|general>');
    expect(created.status).toBe(200);
    const answer = await responseTo(created.id);
    const seriesId = /`(ser_[a-f0-9]{20})`/.exec(String(answer.text))?.[1];
    expect(answer.text).toMatch(/Created series/);
    expect(seriesId).toBeDefined();
    expect(answer.text).toMatch(/every mon at 09:00 \(Europe\/Berlin\)/);
    const series = await stack.db.series.findOne({ _id: seriesId! });
    expect(series).toMatchObject({
      accountId: ACCOUNT,
      authorId: `slack:${TEAM}:${ALICE}`,
      requireApproval: true,
      timeZone: 'Europe/Berlin',
      notify: { kind: 'slack', channel: 'C0GENERAL' },
    });
    const desc = await stack.env.client.schedule.getHandle(seriesScheduleId(seriesId!)).describe();
    expect(desc.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 9, end: 9, step: 1 }] });

    const listed = await command('series list');
    expect((await responseTo(listed.id)).text).toContain(seriesId!);

    // Bob is not its creator nor an admin: he cannot run it.
    const refused = await command(`series run ${seriesId!}`, BOB);
    expect((await responseTo(refused.id)).text).toMatch(/Only the creator/);

    const run = await command(`series run ${seriesId!}`);
    expect((await responseTo(run.id)).text).toMatch(/Started an occurrence/);
    const link = await eventually(async () => stack.db.seriesPosts.findOne({ seriesId: seriesId! }), { what: 'the occurrence' });
    const draft = await eventually(
      async () => {
        const p = await stack.db.posts.findOne({ _id: link._id });
        return p?.status === 'draft' && p.slack?.ts ? p : undefined;
      },
      { what: 'the draft shown in #general', timeoutMs: 30_000 },
    );
    const msg = slack.messages.find((m) => m.ts === draft.slack!.ts);
    expect(msg?.channel).toBe('C0GENERAL');
    expect(JSON.stringify(msg?.blocks)).toContain('pf_approve');
    expect(await stack.db.ledger.findOne({ _id: `charge:${draft._id}` })).toMatchObject({ amount: -1 });

    expect((await click('pf_approve', draft._id, draft.slack!.ts)).status).toBe(200);
    const published = await eventually(
      async () => {
        const p = await stack.db.posts.findOne({ _id: draft._id });
        return p?.status === 'published' ? p : undefined;
      },
      { what: 'the approved series post published', timeoutMs: 30_000 },
    );
    expect(published.results[0]).toMatchObject({ outcome: 'published' });

    const paused = await command(`series pause ${seriesId!}`);
    expect((await responseTo(paused.id)).text).toMatch(/Paused series/);
    expect((await stack.env.client.schedule.getHandle(seriesScheduleId(seriesId!)).describe()).state.paused).toBe(true);
    const deleted = await command(`series delete ${seriesId!}`);
    expect((await responseTo(deleted.id)).text).toMatch(/Deleted series/);
    expect(await stack.db.series.findOne({ _id: seriesId! })).toBeNull();
  });

  it('refuses a series without a recurrence in the ack, with an example', async () => {
    const res = await command('series Our engineering culture tone:friendly');
    expect(res.body?.text).toMatch(/every:<days> <time>/);
  });

  it('`queue set` (admins) sets the posting schedule; `write … when queue` takes its next free slot', async () => {
    const refused = await command('queue set daily 08:30 12:00', ALICE);
    expect((await responseTo(refused.id)).text).toMatch(/Only an admin/);
    const set = await command('queue set daily 12:00 8:30', CAROL);
    const answer = String((await responseTo(set.id)).text);
    expect(answer).toMatch(/Posting schedule set: mon, tue, wed, thu, fri, sat, sun at 08:30, 12:00 \(Europe\/Berlin\)/);
    expect(await stack.db.postingSchedules.findOne({ _id: ACCOUNT })).toMatchObject({
      timeZone: 'Europe/Berlin',
      slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], times: ['08:30', '12:00'] }],
    });

    const { nextFreeSlots } = await import('../../services/queue');
    const [next] = (await nextFreeSlots(stack.ctx, ACCOUNT, 1)).slots;
    const shown = await command('queue');
    expect((await responseTo(shown.id)).text).toMatch(/Next free slots/);
    await command('write Queue me up please to:<#C0GENERAL|general> when queue');
    const doc = await eventually(async () => stack.db.posts.findOne({ accountId: ACCOUNT, topic: 'Queue me up please' }), { what: 'the queued post' });
    expect(doc.scheduledAt.toISOString()).toBe(next!.toISOString());
    expect(await stack.db.queueSlots.findOne({ _id: `${ACCOUNT}:${next!.toISOString()}` })).toMatchObject({ postId: doc._id });
  });

  it('`queue settings` opens a form for admins; bad times come back as field errors, good ones are saved', async () => {
    const refused = await command('queue settings', ALICE);
    expect((await responseTo(refused.id)).text).toMatch(/Only an admin/);

    const opened = await command('queue settings', CAROL);
    const view = await eventually(async () => slack.views.find((v) => v.triggerId === `trigger-${opened.id}`), { what: 'views.open' });
    expect(view.view).toMatchObject({ callback_id: 'pf_queue_settings' });
    const meta = String(view.view.private_metadata);
    expect(JSON.parse(meta)).toEqual({ timeZone: 'Europe/Berlin', channel: 'C0GENERAL' });

    const days = (values: string[]) => ({ days: { days: { type: 'checkboxes', selected_options: values.map((value) => ({ value })) } } });
    const bad = await submit('pf_queue_settings', meta, { ...days([]), times: { times: { type: 'plain_text_input', value: '8:30 25:00' } } });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { days: expect.any(String), times: expect.stringContaining('"25:00" is not a time') },
    });

    const good = await submit('pf_queue_settings', meta, { ...days(['tue', 'thu']), times: { times: { type: 'plain_text_input', value: '9:15, 16:00' } } });
    expect(good.status).toBe(200);
    await eventually(
      async () => {
        const doc = await stack.db.postingSchedules.findOne({ _id: ACCOUNT });
        return doc?.slots[0]?.days.join() === 'tue,thu' ? doc : undefined;
      },
      { what: 'the saved schedule' },
    ).then((doc) => expect(doc).toMatchObject({ timeZone: 'Europe/Berlin', slots: [{ days: ['tue', 'thu'], times: ['09:15', '16:00'] }] }));
    await eventually(async () => slack.callsTo('chat.postEphemeral').find((c) => String(c.args.text).startsWith('Posting schedule saved')), {
      what: 'the confirmation',
    });
  });
});
