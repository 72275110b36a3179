// The Slack app end to end: signed requests to the real Bolt receiver mounted in the API, the real
// worker and Temporal dev server behind it, and a Slack stand-in that records every Web API call
// and every response_url post.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { createApp } from '../../api/app';
import type { SlashCommand } from '@slack/bolt';
import { handOffLegacySlackCommands } from '../../bots/slack/commandRunner';
import { recordCommand, sweepBotCommands } from '../../services/botCommands';
import { SLACK_INSTALLATIONS } from '../../bots/slack/installationStore';
import { ensureAccount } from '../../core/accounts';
import { verifyApiKey } from '../../core/apiKeys';
import { appendToLedger, balanceOf } from '../../core/ledger';
import type { PostDoc } from '../../core/records';
import { startSlackStandin, type SlackStandin } from '../standins/slack';
import { eventually, expectLedgersConsistent, startStack, testConfig, type Stack } from '../helpers/stack';

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
    channels: [
      { id: 'C0GENERAL', name: 'general' },
      { id: 'C0OUTSIDE', name: 'outside', isMember: false },
    ],
    users: [
      { id: ALICE, name: 'alice', tz: 'Europe/Berlin' },
      { id: BOB, name: 'bob', tz: 'Europe/Berlin' },
      { id: CAROL, name: 'carol', tz: 'Europe/Berlin', isAdmin: true },
    ],
  });
  stack = await startStack('slack', {
    config: {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-standin',
      SLACK_API_URL: slack.apiUrl,
      LINKEDIN_CLIENT_ID: 'li-client',
      LINKEDIN_CLIENT_SECRET: 'li-secret',
    },
  });
});

afterAll(async () => {
  if (stack) {
    await expectLedgersConsistent(stack.db);
    await stack.stop();
  }
  await slack?.close();
});

function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

async function postSigned(body: string, contentType: string, opts: { ts?: number; signature?: string; base?: string } = {}) {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return fetch(`${opts.base ?? stack.apiUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': opts.signature ?? sign(body, ts) },
    body,
  });
}

/** A slash command as Slack sends it; answers the HTTP response and the response_url id to watch. */
async function command(text: string, o: { team?: string; user?: string; channel?: string; base?: string } = {}) {
  const id = `cmd${++seq}`;
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: o.team ?? TEAM,
    team_domain: 'standin',
    channel_id: o.channel ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: o.user ?? ALICE,
    user_name: 'alice',
    command: '/postforge',
    text,
    api_app_id: 'A0STANDIN',
    response_url: slack.responseUrl(id),
    trigger_id: slack.issueTrigger(),
  }).toString();
  const res = await postSigned(body, 'application/x-www-form-urlencoded', o.base ? { base: o.base } : {});
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as { text?: string; response_type?: string }) : undefined, id };
}

async function interact(payload: Record<string, unknown>, base?: string) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await postSigned(body, 'application/x-www-form-urlencoded', base ? { base } : {});
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined };
}

/** Clicks a button on a message (or on an ephemeral list, with `blockId` listactions:…). */
async function click(actionId: string, value: string, o: { ts?: string; blockId?: string; user?: string } = {}) {
  const id = `act${++seq}`;
  const trigger = slack.issueTrigger();
  const out = await interact({
    type: 'block_actions',
    team: { id: TEAM, domain: 'standin' },
    user: { id: o.user ?? ALICE, username: (o.user ?? ALICE).slice(2).toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'legacy-verification-token',
    trigger_id: trigger,
    container: { type: 'message', message_ts: o.ts ?? '1.000001', channel_id: 'C0GENERAL', is_ephemeral: !o.ts },
    channel: { id: 'C0GENERAL', name: 'general' },
    ...(o.ts ? { message: { type: 'message', ts: o.ts, text: 'post' } } : {}),
    response_url: slack.responseUrl(id),
    actions: [{ type: 'button', action_id: actionId, block_id: o.blockId ?? `post:${value}`, value, action_ts: String(Date.now() / 1000) }],
  });
  return { ...out, id, trigger };
}

/** The modal a click opened, once filled: views.open shows "Loading…" at once, views.update the real view. */
async function modalOf(trigger: string) {
  const opened = await eventually(async () => slack.views.find((v) => v.via === 'views.open' && v.triggerId === trigger), { what: 'views.open' });
  return eventually(async () => slack.views.filter((v) => v.id === opened.id && v.via === 'views.update').at(-1), { what: 'the modal filled in' });
}

async function submit(callbackId: string, privateMetadata: string, values: Record<string, Record<string, Record<string, unknown>>>, user = ALICE) {
  return interact({
    type: 'view_submission',
    team: { id: TEAM, domain: 'standin' },
    user: { id: user, username: user.slice(2).toLowerCase(), team_id: TEAM },
    api_app_id: 'A0STANDIN',
    token: 'legacy-verification-token',
    trigger_id: `trigger-v${++seq}`,
    view: { id: 'V0MODAL', team_id: TEAM, type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, state: { values }, hash: 'h1' },
  });
}

const responseTo = (id: string) =>
  eventually(async () => slack.responses.find((r) => r.id === id)?.body as Record<string, unknown> | undefined, { what: `a response_url post for ${id}` });
const text = (v: unknown) => JSON.stringify(v);
const updatesOf = (ts: string) => slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
const post = (id: string) => stack.db.posts.findOne({ _id: id }) as Promise<PostDoc | null>;

/** Runs `/postforge write …` and waits for its draft; answers the post and its message ts. */
async function draft(topic: string, extra = ''): Promise<{ doc: PostDoc; ts: string }> {
  const before = slack.messages.length;
  const res = await command(`write ${topic} ${extra}`.trim());
  expect(res.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Drafting') });
  const msg = await eventually(async () => slack.messages.slice(before).find((m) => m.channel === 'C0GENERAL' && text(m.blocks).includes(topic)), {
    what: 'the preview message',
  });
  const doc = await eventually(
    async () => {
      const d = await stack.db.posts.findOne({ accountId: ACCOUNT, topic });
      return d?.status === 'draft' && updatesOf(msg.ts).length > 0 ? d : undefined;
    },
    { what: `the draft of ${topic}` },
  );
  return { doc, ts: msg.ts };
}

describe('/postforge over signed HTTP', () => {
  it('help answers in the ack itself, ephemerally', async () => {
    const res = await command('help');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: 'ephemeral' });
    expect(res.body?.text).toContain('/postforge write');
    expect(res.body?.text).toContain('/postforge connect linkedin');
  });

  it('rejects a forged signature and a stale timestamp before any handler runs', async () => {
    const responses = slack.responses.length;
    const body = new URLSearchParams({
      team_id: TEAM,
      user_id: ALICE,
      command: '/postforge',
      text: 'key',
      response_url: slack.responseUrl('forged'),
      channel_id: 'C0GENERAL',
    }).toString();
    const forged = await postSigned(body, 'application/x-www-form-urlencoded', { signature: sign(body, Math.floor(Date.now() / 1000), 'not-the-secret') });
    expect(forged.status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await postSigned(body, 'application/x-www-form-urlencoded', { ts: old, signature: sign(body, old) });
    expect(stale.status).toBe(401);
    // A correctly signed request goes through, so the 401s above were about the signature.
    const good = await postSigned(body, 'application/x-www-form-urlencoded');
    expect(good.status).toBe(200);
    await responseTo('forged');
    expect(slack.responses.length).toBe(responses + 1);
  });

  describe('bad input: an ephemeral message with a working example, and nothing charged', () => {
    const BAD = 'T0BADINPUT';
    const account = `slack:${BAD}`;

    it.each([
      ['an unknown subcommand', 'publish everything', /don't know the subcommand "publish"[\s\S]*For example: `\/postforge write /],
      ['an empty topic', 'write', /Tell me what to write about[\s\S]*For example/],
      ['a too long topic', `write ${'a'.repeat(501)}`, /too long: at most 500 characters[\s\S]*For example/],
      ['an unknown tone', 'write Launch day tone:sarcastic', /Unknown tone "sarcastic"/],
    ])('%s is answered in the ack', async (_what, input, message) => {
      const res = await command(input, { team: BAD });
      expect(res.body?.response_type).toBe('ephemeral');
      expect(res.body?.text).toMatch(message);
    });

    it.each([
      ['an unparseable time', 'write Launch day at:when pigs fly', /I couldn't use at:when pigs fly[\s\S]*For example/],
      ['a time in the past', 'write Launch day at:2020-01-01 09:00', /I couldn't use at:2020-01-01 09:00 — .*past/i],
      ['a channel the bot is not in', 'write Launch day to:<#C0OUTSIDE|outside>', /PostForge is not in #outside.*\/invite @PostForge/],
      ['a channel that does not exist', 'write Launch day to:<#C0NOWHERE|nowhere>', /can't find the channel #nowhere/],
    ])('%s is answered through response_url after the ack', async (_what, input, message) => {
      const res = await command(input, { team: BAD });
      expect(res.body?.text).toContain('Drafting');
      const answer = await responseTo(res.id);
      expect(answer).toMatchObject({ response_type: 'ephemeral' });
      expect(String(answer.text)).toMatch(message);
    });

    it('no credits: says how to buy, starts nothing', async () => {
      const broke = 'T0BROKE';
      await ensureAccount(stack.db, { _id: `slack:${broke}`, kind: 'slack', name: 'broke' }, stack.config.FREE_CREDITS);
      await appendToLedger(stack.db, `slack:${broke}`, 'spent-all', { amount: -stack.config.FREE_CREDITS, kind: 'charge', reason: 'spent elsewhere' });
      const res = await command('write Our launch', { team: broke });
      const answer = await responseTo(res.id);
      expect(String(answer.text)).toMatch(/no credits left[\s\S]*\/postforge credits/);
      expect(await stack.db.posts.countDocuments({ accountId: `slack:${broke}` })).toBe(0);
    });

    afterAll(async () => {
      // Every rejection above: no post, no charge, only the welcome grant.
      expect(await stack.db.posts.countDocuments({ accountId: account })).toBe(0);
      expect(
        await stack.db.ledger
          .find({ accountId: account })
          .map((e) => e.kind)
          .toArray(),
      ).toEqual(['grant']);
      expect(await balanceOf(stack.db, account)).toBe(stack.config.FREE_CREDITS);
    });
  });

  it('a write an older API recorded in slack_commands and never carried out is handed to the worker and drafted, once', async () => {
    const topic = 'What survives a crash after the ack';
    const id = `crash${++seq}`;
    const cmd = {
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'standin',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: ALICE,
      user_name: 'alice',
      command: '/postforge',
      text: `write ${topic}`,
      api_app_id: 'A0STANDIN',
      response_url: slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    } as SlashCommand;
    // What the handler of the previous version wrote before its ack; then the process was gone.
    const legacy = () => stack.db.db.collection('slack_commands').insertOne({ _id: `${TEAM}:trigger-${id}`, command: cmd, at: new Date() } as never);
    await legacy();
    const deps = { ctx: stack.ctx, log: () => undefined };
    expect(await handOffLegacySlackCommands(deps)).toBe(1);
    const msg = await eventually(async () => slack.messages.find((m) => m.channel === 'C0GENERAL' && text(m.blocks).includes(topic)), {
      what: 'the preview message',
    });
    const doc = await eventually(
      async () => {
        const d = await stack.db.posts.findOne({ accountId: ACCOUNT, topic });
        return d?.status === 'draft' && updatesOf(msg.ts).length > 0 ? d : undefined;
      },
      { what: 'the draft' },
    );
    expect(doc.slack).toMatchObject({ channel: 'C0GENERAL', ts: msg.ts });
    expect(await stack.db.db.collection('slack_commands').countDocuments({})).toBe(0);
    // Handed off again (two APIs starting at once): the same invocation's workflow exists, so still one preview, one post.
    await legacy();
    await handOffLegacySlackCommands(deps);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.db.posts.countDocuments({ accountId: ACCOUNT, topic })).toBe(1);
    expect(slack.messages.filter((m) => m.channel === 'C0GENERAL' && text(m.blocks).includes(topic))).toHaveLength(1);
  });

  it('the ack records a write, the relay starts its botCommand workflow: the worker posts the preview and starts the post', async () => {
    const topic = 'Handed off before the ack';
    const res = await command(`write ${topic}`);
    expect(res.status).toBe(200);
    expect(res.body?.text).toContain('Drafting');
    const runs = await eventually(
      async () => {
        const found = [];
        for await (const w of stack.env.client.workflow.list({ query: `WorkflowType = 'botCommand' AND ExecutionStatus = 'Completed'` })) found.push(w);
        return found.length ? found : undefined;
      },
      { what: 'a completed botCommand workflow' },
    );
    expect(runs[0]?.workflowId).toMatch(new RegExp(`^command-slack-${TEAM}:`));
    await eventually(async () => (await stack.db.posts.findOne({ accountId: ACCOUNT, topic }))?.status === 'draft', { what: 'the draft' });
    expect(await stack.db.db.collection('slack_commands').countDocuments({})).toBe(0);
    await eventually(async () => (await stack.db.botCommands.countDocuments({})) === 0, { what: 'the inbox entry removed once started' });
  });

  it('a write recorded by an API that died before starting its workflow: the relay sweeper starts it, once', async () => {
    const topic = 'Recorded, acknowledged, then the API died';
    const id = `relay${++seq}`;
    const cmd = {
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'standin',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: ALICE,
      user_name: 'alice',
      command: '/postforge',
      text: `write ${topic}`,
      api_app_id: 'A0STANDIN',
      response_url: slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
    } as SlashCommand;
    // This post's own credit, so the workspace's welcome credits still last the tests after it.
    await appendToLedger(stack.db, ACCOUNT, `grant:${id}`, { amount: 1, kind: 'grant', reason: 'test credit' });
    // All the edge does before its ack; the relay right after it never ran.
    await recordCommand(stack.ctx, 'slack', `${TEAM}:trigger-${id}`, cmd);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stack.db.posts.countDocuments({ accountId: ACCOUNT, topic })).toBe(0);
    // The next API's sweeper (twice, as two APIs would): one workflow, one preview, one post.
    await Promise.all([sweepBotCommands(stack.ctx), sweepBotCommands(stack.ctx)]);
    await eventually(async () => (await stack.db.posts.findOne({ accountId: ACCOUNT, topic }))?.status === 'draft', { what: 'the draft' });
    await recordCommand(stack.ctx, 'slack', `${TEAM}:trigger-${id}`, cmd);
    await sweepBotCommands(stack.ctx);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(slack.messages.filter((m) => m.channel === 'C0GENERAL' && text(m.blocks).includes(topic))).toHaveLength(1);
    expect(await stack.db.posts.countDocuments({ accountId: ACCOUNT, topic })).toBe(1);
    expect(await stack.db.botCommands.countDocuments({})).toBe(0);
  });

  it('the preview message follows the post: drafted → Approve → scheduled → published with a permalink', async () => {
    const { doc, ts } = await draft('Why we moved our scheduler to Temporal', 'to:<#C0GENERAL|general>');
    const drafted = updatesOf(ts).at(-1);
    expect(text(drafted?.args.blocks)).toContain('pf_approve');
    expect(text(drafted?.args.blocks)).toContain('Suggested best time');
    for (const tag of doc.hashtags) expect(text(drafted?.args.blocks)).toContain(`#${tag}`);
    expect(await stack.db.ledger.findOne({ _id: `charge:${doc._id}` })).toMatchObject({ amount: -1 });

    const ack = await click('pf_approve', doc._id, { ts });
    expect(ack.status).toBe(200);
    const published = await eventually(async () => ((await post(doc._id))?.status === 'published' ? post(doc._id) : undefined), { what: 'published' });
    const url = published?.results[0]?.url;
    expect(url).toMatch(/^https:\/\/standin\.slack\.com\/archives\/C0GENERAL\/p\d+/);
    await eventually(async () => text(updatesOf(ts).at(-1)?.args.blocks).includes(String(url)), { what: 'the permalink in the preview' });

    const statuses = updatesOf(ts).map((u) => String(u.args.text));
    const order = ['Draft ready', 'Scheduled', 'Published'].map((s) => statuses.findIndex((t) => t.startsWith(s)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The post itself went out to #general as its own message.
    expect(slack.messages.some((m) => m.channel === 'C0GENERAL' && m.text?.includes(published?.content ?? '∅') && m.ts !== ts)).toBe(true);
    expect(published?.slack).toMatchObject({ channel: 'C0GENERAL', ts, teamId: TEAM });
  });

  it('a post that cannot be delivered shows the reason and the refunded credit', async () => {
    const { doc, ts } = await draft('Nobody connected LinkedIn', 'to:linkedin');
    await click('pf_approve', doc._id, { ts });
    const failed = await eventually(async () => ((await post(doc._id))?.status === 'failed' ? post(doc._id) : undefined), { what: 'failed' });
    expect(failed?.reason).toMatch(/LinkedIn is not connected/);
    expect(await stack.db.ledger.findOne({ _id: `refund:${doc._id}` })).toMatchObject({ amount: 1 });
    const last = await eventually(
      async () => {
        const u = updatesOf(ts).at(-1);
        return text(u?.args.blocks).includes('Your credit was refunded.') ? u : undefined;
      },
      { what: 'the failed preview' },
    );
    expect(text(last.args.blocks)).toContain('LinkedIn is not connected for this author');
    expect(String(last.args.text)).toMatch(/failed: .*Credit refunded\./);
  });

  it('a command in a channel PostForge is not in says how to invite it, and starts nothing', async () => {
    const posts = await stack.db.posts.countDocuments({ accountId: ACCOUNT });
    const res = await command('write Hidden channel post', { channel: 'C0OUTSIDE' });
    const answer = await responseTo(res.id);
    expect(String(answer.text)).toMatch(/PostForge is not in this channel.*\/invite @PostForge/);
    expect(await stack.db.posts.countDocuments({ accountId: ACCOUNT })).toBe(posts);
  });

  it('a post started elsewhere with a Slack channel gets its first preview posted, then updated in place', async () => {
    const { createPost } = await import('../../services/posts');
    const { postId } = await createPost(
      stack.ctx,
      { accountId: ACCOUNT, memberId: `slack:${TEAM}:${ALICE}`, source: 'slack' },
      { topic: 'Started without a message', tone: 'professional', language: 'en', targets: [{ kind: 'linkedin' }], timeZone: 'UTC', requireApproval: true },
      { notify: { kind: 'slack', channel: 'C0GENERAL', userId: ALICE, teamId: TEAM } },
    );
    const doc = await eventually(async () => ((await post(postId))?.slack ? post(postId) : undefined), { what: 'the remembered message' });
    const msg = slack.messages.find((m) => m.ts === doc?.slack?.ts);
    expect(msg?.channel).toBe('C0GENERAL');
    expect(text(msg?.blocks)).toContain('pf_approve');
    await click('pf_discard', postId, { ts: doc?.slack?.ts ?? '' });
    await eventually(async () => String(updatesOf(doc?.slack?.ts ?? '').at(-1)?.args.text).includes('canceled'), { what: 'the update in place' });
  });

  it('Edit opens a modal with the draft; an empty text is refused in the modal, a good one updates the preview', async () => {
    const { doc, ts } = await draft('Edit me please');
    const clicked = await click('pf_edit', doc._id, { ts });
    const opened = await modalOf(clicked.trigger);
    expect(opened.view.callback_id).toBe('pf_edit_modal');
    expect(text(opened.view)).toContain(JSON.stringify(doc.content).slice(1, 40));
    const meta = String(opened.view.private_metadata);

    const empty = await submit('pf_edit_modal', meta, {
      content: { content: { type: 'plain_text_input', value: '  ' } },
      hashtags: { hashtags: { type: 'plain_text_input', value: '' } },
    });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { content: 'The text cannot be empty.' } });
    const badTag = await submit('pf_edit_modal', meta, {
      content: { content: { type: 'plain_text_input', value: 'Fine text' } },
      hashtags: { hashtags: { type: 'plain_text_input', value: '#ok #not-ok' } },
    });
    expect(badTag.body).toMatchObject({ response_action: 'errors', errors: { hashtags: expect.stringContaining('"#not-ok" is not a hashtag') } });

    const good = await submit('pf_edit_modal', meta, {
      content: { content: { type: 'plain_text_input', value: 'Hand-polished words.' } },
      hashtags: { hashtags: { type: 'plain_text_input', value: '#craft writing' } },
    });
    expect(good.status).toBe(200);
    await eventually(async () => (await post(doc._id))?.content === 'Hand-polished words.', { what: 'the edit saved' });
    expect((await post(doc._id))?.hashtags).toEqual(['craft', 'writing']);
    await eventually(async () => text(updatesOf(ts).at(-1)?.args.blocks).includes('Hand-polished words.\\n\\n#craft #writing'), { what: 'the edited preview' });
  });

  it('Edit opens its modal inside the 3-second trigger window even when Slack and the database answer slowly', async () => {
    const { doc, ts } = await draft('Open me before you look anything up');
    // users.info (who is clicking, for permissions) answers after the trigger has expired.
    slack.slowNext('users.info', 3500);
    const clicked = await click('pf_edit', doc._id, { ts });
    const filled = await modalOf(clicked.trigger);
    expect(filled.view.callback_id).toBe('pf_edit_modal');
    const open = slack.callsTo('views.open').find((c) => c.args.trigger_id === clicked.trigger);
    expect(text(open?.args.view)).toContain('Loading');
    // Nothing told the member that the editor could not open.
    expect(slack.responses.find((r) => r.id === clicked.id)).toBeUndefined();
  });

  it('the stand-in refuses what Slack refuses: an expired or reused trigger_id, and a plain_text_input over 3,000 characters', async () => {
    const { doc } = await draft('Stand-in honesty');
    const client = { token: 'xoxb-standin' };
    const call = async (method: string, args: Record<string, unknown>) =>
      (await (
        await fetch(`${slack.apiUrl}${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        })
      ).json()) as { ok: boolean; error?: string };
    const view = (value: string) => ({
      type: 'modal',
      title: { type: 'plain_text', text: 'x' },
      blocks: [
        { type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input', action_id: 'a', initial_value: value } },
      ],
    });
    expect(await call('views.open', { trigger_id: 'never-issued', view: view('') })).toEqual({ ok: false, error: 'invalid_trigger_id' });
    expect(await call('views.open', { trigger_id: slack.issueTrigger(), view: view('x'.repeat(3001)) })).toEqual({ ok: false, error: 'invalid_arguments' });
    const trigger = slack.issueTrigger();
    expect((await call('views.open', { trigger_id: trigger, view: view('x'.repeat(3000)) })).ok).toBe(true);
    expect(await call('views.open', { trigger_id: trigger, view: view('') })).toEqual({ ok: false, error: 'exchanged_trigger_id' });
    const late = slack.issueTrigger();
    await new Promise((r) => setTimeout(r, 3100));
    expect(await call('views.open', { trigger_id: late, view: view('') })).toEqual({ ok: false, error: 'expired_trigger_id' });
    expect(doc._id).toBeTruthy();
  });

  it('a draft longer than one Slack input (3,000 characters) is edited in parts and saved joined back together', async () => {
    const { doc, ts } = await draft('A very long story', 'to:#general');
    const para = (n: number) => `Paragraph ${n}: ${'word '.repeat(190).trim()}.`;
    const long = Array.from({ length: 4 }, (_, i) => para(i + 1)).join('\n\n');
    expect(long.length).toBeGreaterThan(3000);
    expect(long.length).toBeLessThan(4000);
    await stack.db.posts.updateOne({ _id: doc._id }, { $set: { content: long, hashtags: [] } });

    const clicked = await click('pf_edit', doc._id, { ts });
    const filled = await modalOf(clicked.trigger);
    expect(filled.view.callback_id).toBe('pf_edit_modal');
    const blocks = filled.view.blocks as Array<{ block_id: string; element?: { type: string; initial_value?: string; max_length?: number } }>;
    const parts = blocks.filter((b) => b.block_id.startsWith('content'));
    expect(parts.length).toBe(2);
    for (const p of parts) {
      expect(p.element?.initial_value?.length).toBeLessThanOrEqual(3000);
      expect(p.element?.max_length).toBeLessThanOrEqual(3000);
    }
    expect(text(filled.view)).toContain('split into parts');
    // Cut at a paragraph break: each part is whole paragraphs.
    expect(parts[1]?.element?.initial_value?.startsWith('Paragraph ')).toBe(true);

    const meta = String(filled.view.private_metadata);
    const first = parts[0]?.element?.initial_value ?? '';
    const second = `${parts[1]?.element?.initial_value ?? ''} Edited at the end.`;
    const saved = await submit('pf_edit_modal', meta, {
      [parts[0]!.block_id]: { content: { type: 'plain_text_input', value: first } },
      [parts[1]!.block_id]: { content: { type: 'plain_text_input', value: second } },
      hashtags: { hashtags: { type: 'plain_text_input', value: '' } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toBeUndefined();
    await eventually(async () => (await post(doc._id))?.content === `${long} Edited at the end.`, { what: 'the long edit saved whole' });
  });

  it('Regenerate writes a new draft and the preview shows it', async () => {
    const { doc, ts } = await draft('Regenerate me');
    const updates = updatesOf(ts).length;
    await click('pf_regenerate', doc._id, { ts });
    await eventually(async () => (await post(doc._id))?.history.some((h) => h.event === 'regenerated'), { what: 'regenerated' });
    await eventually(async () => updatesOf(ts).length > updates && String(updatesOf(ts).at(-1)?.args.text).startsWith('Draft ready'), {
      what: 'the regenerated preview',
    });
    // Still one charge for the post.
    expect(await stack.db.ledger.countDocuments({ postId: doc._id, kind: 'charge' })).toBe(1);
  });

  it('Schedule… opens date and time in the member’s zone; a past time is refused, a future one schedules it', async () => {
    const { doc, ts } = await draft('Schedule me for later');
    const clicked = await click('pf_schedule', doc._id, { ts });
    const opened = await modalOf(clicked.trigger);
    expect(opened.view.callback_id).toBe('pf_schedule_modal');
    expect(text(opened.view)).toContain('Time (Europe/Berlin)');
    const meta = String(opened.view.private_metadata);

    const yesterday = DateTime.now().setZone('Europe/Berlin').minus({ days: 1 });
    const past = await submit('pf_schedule_modal', meta, {
      date: { date: { type: 'datepicker', selected_date: yesterday.toISODate() } },
      time: { time: { type: 'timepicker', selected_time: '10:00' } },
    });
    expect(past.body).toMatchObject({ response_action: 'errors', errors: { time: expect.stringContaining('is in the past') } });

    const when = DateTime.now().setZone('Europe/Berlin').plus({ days: 2 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
    const ok = await submit('pf_schedule_modal', meta, {
      date: { date: { type: 'datepicker', selected_date: when.toISODate() } },
      time: { time: { type: 'timepicker', selected_time: '10:30' } },
    });
    expect(ok.status).toBe(200);
    const scheduled = await eventually(
      async () => {
        const d = await post(doc._id);
        return d?.status === 'scheduled' && d.scheduledAt.getTime() === when.toMillis() ? d : undefined;
      },
      { what: 'scheduled at 10:30 Berlin' },
    );
    expect(scheduled.status).toBe('scheduled');
    await eventually(async () => text(updatesOf(ts).at(-1)?.args.blocks).includes(`<!date^${when.toSeconds()}^`), { what: 'the scheduled preview' });
  });

  it('list shows scheduled posts; Cancel from the list cancels, refunds and refreshes the list', async () => {
    const { doc, ts } = await draft('List and cancel me');
    await click('pf_schedule', doc._id, { ts });
    const when = DateTime.now().plus({ days: 3 }).set({ second: 0, millisecond: 0 });
    await submit('pf_schedule_modal', JSON.stringify({ postId: doc._id, channel: 'C0GENERAL', timeZone: 'UTC' }), {
      date: { date: { type: 'datepicker', selected_date: when.toUTC().toISODate() } },
      time: { time: { type: 'timepicker', selected_time: when.toUTC().toFormat('HH:mm') } },
    });
    await eventually(async () => (await post(doc._id))?.status === 'scheduled', { what: 'scheduled' });

    const listed = await command('list');
    const list = await responseTo(listed.id);
    expect(list.response_type).toBe('ephemeral');
    expect(text(list.blocks)).toContain(`listactions:${doc._id}`);
    expect(text(list.blocks)).toContain('List and cancel me');

    const clicked = await click('pf_cancel', doc._id, { blockId: `listactions:${doc._id}` });
    await eventually(async () => (await post(doc._id))?.status === 'canceled', { what: 'canceled' });
    expect(await stack.db.ledger.findOne({ _id: `refund:${doc._id}` })).toMatchObject({ amount: 1 });
    const refreshed = await responseTo(clicked.id);
    expect(refreshed.replace_original).toBe(true);
    expect(text(refreshed.blocks)).not.toContain(`listactions:${doc._id}`);
    await eventually(async () => text(updatesOf(ts).at(-1)?.args.blocks).includes('Your credit was refunded.'), { what: 'the canceled preview' });
  });

  it('Discard ends a draft and refunds its credit', async () => {
    const { doc, ts } = await draft('Discard me');
    await click('pf_discard', doc._id, { ts });
    await eventually(async () => (await post(doc._id))?.status === 'canceled', { what: 'discarded' });
    expect(await stack.db.ledger.findOne({ _id: `refund:${doc._id}` })).toMatchObject({ amount: 1 });
    await eventually(async () => String(updatesOf(ts).at(-1)?.args.text).includes('Credit refunded'), { what: 'the discarded preview' });
    // A second click is refused, to the clicker alone.
    const again = await click('pf_approve', doc._id, { ts });
    const refusal = await responseTo(again.id);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(refusal.text)).toMatch(/already finished|Cannot approve|is finishing \(canceled\); it can no longer change/);
  });

  it("another member can't approve, cancel, edit or reschedule someone's post; a workspace admin can", async () => {
    const { doc, ts } = await draft('Alice speaks for herself', 'to:linkedin');
    const refusals = async (actionId: string) => {
      const clicked = await click(actionId, doc._id, { ts, user: BOB });
      const answer = await responseTo(clicked.id);
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(answer.text)).toMatch(/Only the author of post .* or an admin of this workspace can change it/);
      return clicked;
    };
    for (const action of ['pf_approve', 'pf_cancel', 'pf_discard', 'pf_regenerate']) await refusals(action);
    // The editor and the scheduler open (they must, before anything is read) but only say why not: no draft, no form.
    const edit = await refusals('pf_edit');
    const schedule = await refusals('pf_schedule');
    for (const trigger of [edit.trigger, schedule.trigger]) {
      const shown = await modalOf(trigger);
      expect(shown.view.callback_id).toBeUndefined();
      expect(shown.view.submit).toBeUndefined();
      expect(text(shown.view)).toMatch(/Only the author/);
      expect(text(shown.view)).not.toContain(JSON.stringify(doc.content).slice(1, 40));
    }
    // A forged submission of the modal (the metadata is only the post id) is refused too.
    const ephemerals = slack.ephemerals.length;
    const forged = await submit(
      'pf_edit_modal',
      JSON.stringify({ postId: doc._id, channel: 'C0GENERAL', limit: 3000 }),
      {
        content: { content: { type: 'plain_text_input', value: 'Bob put words in her mouth.' } },
        hashtags: { hashtags: { type: 'plain_text_input', value: '' } },
      },
      BOB,
    );
    expect(forged.status).toBe(200);
    const told = await eventually(async () => slack.ephemerals.slice(ephemerals).find((m) => m.args.user === BOB), { what: 'the refusal to Bob' });
    expect(String(told.text)).toMatch(/Only the author/);
    const untouched = await post(doc._id);
    expect(untouched).toMatchObject({ status: 'draft', content: doc.content });

    // Carol is a workspace admin (users.info is_admin): she may discard it.
    await click('pf_discard', doc._id, { ts, user: CAROL });
    await eventually(async () => (await post(doc._id))?.status === 'canceled', { what: 'discarded by the admin' });
  });

  it('credits shows the balance and movements; Buy answers with a Checkout link', async () => {
    const res = await command('credits');
    const answer = await responseTo(res.id);
    const balance = await balanceOf(stack.db, ACCOUNT);
    expect(answer.text).toBe(`Credits: ${balance}`);
    const [latest] = await stack.db.ledger.find({ accountId: ACCOUNT }).sort({ seq: -1 }).limit(1).toArray();
    expect(text(answer.blocks)).toContain(`${latest?.amount} · ${latest?.reason}`);
    const packs = stack.config.CREDIT_PACKS.map((p) => p.id);
    expect(text(answer.blocks)).toContain(`"value":"${packs[0]}"`);

    const bought = await click('pf_buy', packs[0] ?? 'starter', { blockId: 'buy' });
    const link = await responseTo(bought.id);
    expect(text(link.blocks)).toMatch(/"url":"https?:\/\//);
    await eventually(async () => stack.db.purchases.findOne({ accountId: ACCOUNT, packId: packs[0] }), { what: 'the purchase record' });
  });

  it('connect linkedin answers with a one-time link that binds the browser opening it, then goes on to LinkedIn', async () => {
    const res = await command('connect linkedin');
    const answer = await responseTo(res.id);
    // Our own start page (on PUBLIC_URL), not LinkedIn's URL: opening it sets the browser's nonce cookie.
    const link = new URL(/http:\/\/localhost:3000\/v1\/connections\/linkedin\/open\/[\w-]+/.exec(String(answer.text))?.[0] ?? 'http://none');
    const opened = await fetch(`${stack.apiUrl}${link.pathname}`, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('set-cookie')).toMatch(/^pf_linkedin_nonce=[\w-]+; .*HttpOnly; SameSite=Lax/);
    const url = new URL(opened.headers.get('location') ?? 'http://none');
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/oauth/v2/authorization');
    expect(url.searchParams.get('client_id')).toBe('li-client');
    const state = await stack.db.oauthStates.findOne({ _id: url.searchParams.get('state') ?? '' });
    expect(state).toMatchObject({ accountId: ACCOUNT, memberId: `slack:${TEAM}:${ALICE}` });
  });

  it('key issues a working API key for this member, shown once and ephemerally', async () => {
    const res = await command('key');
    const answer = await responseTo(res.id);
    expect(answer.response_type).toBe('ephemeral');
    const key = /`(pf_[\w-]+)`/.exec(String(answer.text))?.[1];
    expect(key).toBeDefined();
    expect(await verifyApiKey(stack.db, key ?? '')).toMatchObject({ accountId: ACCOUNT, memberId: `slack:${TEAM}:${ALICE}` });
    const me = await fetch(`${stack.apiUrl}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
  });

  it('key gives a workspace admin an admin key and a member a member key (the key changes posts as its maker could)', async () => {
    const keyOf = async (user: string) => {
      const res = await command('key', { user });
      return /`(pf_[\w-]+)`/.exec(String((await responseTo(res.id)).text))?.[1] ?? '';
    };
    expect(await verifyApiKey(stack.db, await keyOf(CAROL))).toMatchObject({ memberId: `slack:${TEAM}:${CAROL}`, role: 'admin' });
    expect(await verifyApiKey(stack.db, await keyOf(BOB))).toMatchObject({ memberId: `slack:${TEAM}:${BOB}`, role: 'member' });
  });

  it('dashboard answers with a one-time link, only in a button, that signs this member in with their role', async () => {
    const sessionOf = async (user: string) => {
      const res = await command('dashboard', { user });
      const answer = (await responseTo(res.id)) as { response_type?: string; text?: string; blocks?: Array<{ elements?: Array<{ url?: string }> }> };
      expect(answer.response_type).toBe('ephemeral');
      const url = answer.blocks?.flatMap((b) => b.elements ?? []).find((e) => e.url)?.url ?? '';
      expect(url).toMatch(/\/app\/login\?token=/);
      expect(String(answer.text)).not.toContain('token=');
      const login = await fetch(url.replace(stack.config.PUBLIC_URL, stack.apiUrl), { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const again = await fetch(url.replace(stack.config.PUBLIC_URL, stack.apiUrl), { redirect: 'manual' });
      expect(again.status).toBe(410);
      return (await (await fetch(`${stack.apiUrl}/app/api/me`, { headers: { cookie } })).json()) as {
        account: { id: string };
        member: { id: string; role: string };
      };
    };
    expect(await sessionOf(BOB)).toMatchObject({ account: { id: ACCOUNT }, member: { id: `slack:${TEAM}:${BOB}`, role: 'member' } });
    expect(await sessionOf(CAROL)).toMatchObject({ account: { id: ACCOUNT }, member: { id: `slack:${TEAM}:${CAROL}`, role: 'admin' } });
  });

  it('App Home shows credits, upcoming posts and connection status', async () => {
    const event = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: TEAM,
      api_app_id: 'A0STANDIN',
      type: 'event_callback',
      event_id: 'Ev0HOME',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM, user_id: 'U0BOTUSER', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_home_opened', user: ALICE, channel: 'D0ALICE', tab: 'home', event_ts: String(Date.now() / 1000) },
    });
    const before = slack.views.length;
    const res = await postSigned(event, 'application/json');
    expect(res.status).toBe(200);
    const home = await eventually(async () => slack.views.slice(before).find((v) => v.via === 'views.publish' && v.userId === ALICE), {
      what: 'views.publish',
    });
    expect(home.view.type).toBe('home');
    expect(text(home.view)).toContain(`*Credits:* ${await balanceOf(stack.db, ACCOUNT)}`);
    expect(text(home.view)).toContain('LinkedIn not connected');
  });
});

describe('OAuth install', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const config = testConfig({
      ...Object.fromEntries(Object.entries({ SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl }).map(([k, v]) => [k, v])),
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      SLACK_CLIENT_ID: 'standin-client',
      SLACK_CLIENT_SECRET: 'standin-secret',
      SLACK_STATE_SECRET: 'state-secret-for-tests',
      PUBLIC_URL: 'http://localhost:3000',
    });
    const app = createApp({ ...stack.ctx, config });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('/slack/install → Slack → /slack/oauth_redirect stores the installation (sealed) and opens the account', async () => {
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('scope')).toContain('commands');
    const state = authorize.searchParams.get('state') ?? '';
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toContain(state);

    slack.grantCode('code-new', { teamId: 'T0NEW', teamName: 'New Team', botToken: 'xoxb-new-team', userId: 'U0ADMIN', scope: 'commands,chat:write' });
    // Without the browser's state cookie the callback is refused (CSRF), and nothing is stored.
    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-new&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(await stack.db.db.collection(SLACK_INSTALLATIONS).countDocuments({ _id: 'slack:T0NEW' as never })).toBe(0);

    const done = await fetch(`${base}/slack/oauth_redirect?code=code-new&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('PostForge is now in <strong>New Team</strong>');

    const raw = await stack.db.db.collection(SLACK_INSTALLATIONS).findOne({ _id: 'slack:T0NEW' as never });
    expect(raw).toMatchObject({ teamId: 'T0NEW', teamName: 'New Team', installedBy: 'U0ADMIN', scopes: ['commands', 'chat:write'] });
    expect(JSON.stringify(raw)).not.toContain('xoxb-new-team');
    expect(await balanceOf(stack.db, 'slack:T0NEW')).toBe(stack.config.FREE_CREDITS);
    expect(slack.callsTo('oauth.v2.access').at(-1)?.args).toMatchObject({ code: 'code-new', client_id: 'standin-client' });

    // The new workspace's requests now act with its own bot token.
    const event = JSON.stringify({
      team_id: 'T0NEW',
      api_app_id: 'A0STANDIN',
      type: 'event_callback',
      event_id: 'Ev0NEWHOME',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0NEW', user_id: 'U0BOTUSER', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_home_opened', user: 'U0ADMIN', channel: 'D0ADMIN', tab: 'home', event_ts: String(Date.now() / 1000) },
    });
    expect((await postSigned(event, 'application/json', { base })).status).toBe(200);
    const publish = await eventually(async () => slack.callsTo('views.publish').find((c) => c.args.user_id === 'U0ADMIN'), {
      what: 'views.publish for the new team',
    });
    expect(publish.token).toBe('xoxb-new-team');
  });
});
