// /series and /queue from Discord, through signed HTTP interactions to the real API, the real worker
// and Temporal dev server, with the Discord REST stand-in: a series made in #general brings each
// occurrence's draft there (posted with the bot token: no interaction is behind an occurrence), and
// Approve on that message publishes it; an unapproved draft expires and is refunded; a click from
// another server naming the post is refused.
import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { ComponentType, InteractionResponseType, InteractionType, MessageFlags, PermissionFlagsBits, type APIInteraction } from 'discord-api-types/v10';
import { ensureAccount } from '../../core/accounts';
import { seriesScheduleId } from '../../core/temporal';
import type { PostDoc } from '../../core/records';
import { startDiscordStandin, type DiscordMessage, type DiscordStandin } from '../standins/discord';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

const APP = '100000000000000001';
const GUILD = '310000000000000001';
const OTHER_GUILD = '310000000000000002';
const GENERAL = '410000000000000001';
const OTHER_CHANNEL = '410000000000000009';
const ALICE = '510000000000000001';
const BOB = '510000000000000002';
const MALLORY = '510000000000000003';
const ACCOUNT = `discord:${GUILD}`;

const bits = (...b: bigint[]) => String(b.reduce((a, x) => a | x, 0n));
const MEMBER = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages);
const MANAGER = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.ManageGuild);
const BOT_HERE = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks);

let stack: Stack;
let rest: DiscordStandin;
let privateKey: KeyObject;
let seq = 0;

beforeAll(async () => {
  const keys = generateKeyPairSync('ed25519');
  privateKey = keys.privateKey;
  const publicHex = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  rest = await startDiscordStandin({
    applicationId: APP,
    channels: [
      { id: GENERAL, guildId: GUILD, name: 'general' },
      { id: OTHER_CHANNEL, guildId: OTHER_GUILD, name: 'elsewhere' },
    ],
  });
  stack = await startStack('discordseries', {
    config: {
      DISCORD_APP_ID: APP,
      DISCORD_PUBLIC_KEY: publicHex,
      DISCORD_BOT_TOKEN: 'standin-token',
      DISCORD_API_URL: rest.apiUrl,
      DISCORD_TIMEZONE: 'Europe/Berlin',
      DISCORD_TRANSPORT: 'http',
    },
  });
  await ensureAccount(stack.db, { _id: ACCOUNT, kind: 'discord', name: GUILD }, stack.config.FREE_CREDITS);
}, 120_000);

afterAll(async () => {
  if (stack) {
    await expectLedgersConsistent(stack.db);
    await stack.stop();
  }
  await rest?.close();
});

// --- interactions as Discord sends them ------------------------------------------------------

const snowflake = () => String(700000000000000000n + BigInt(++seq));

interface As {
  user?: string;
  perms?: string;
  guild?: string;
  channel?: string;
}

function interaction(type: InteractionType, data: unknown, o: As & { message?: unknown } = {}): APIInteraction {
  const id = snowflake();
  const guild = o.guild ?? GUILD;
  const channel = o.channel ?? GENERAL;
  return {
    id,
    application_id: APP,
    type,
    data,
    guild_id: guild,
    channel_id: channel,
    channel: { id: channel, type: 0, name: 'general' },
    member: {
      user: { id: o.user ?? ALICE, username: 'member', discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions: o.perms ?? MANAGER,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    token: `token-${id}-${'x'.repeat(60)}`,
    version: 1,
    app_permissions: BOT_HERE,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guild },
    context: 0,
    attachment_size_limit: 8_388_608,
    ...(o.message ? { message: o.message } : {}),
  } as unknown as APIInteraction;
}

type Option = { name: string; type: number; value: string | boolean; focused?: boolean };
const str = (name: string, value: string): Option => ({ name, type: 3, value });

/** `/series <sub> …` or `/queue <sub> …`: options nested under the subcommand, as Discord sends them. */
const sub = (command: string, subcommand: string, options: Option[] = [], o: As = {}, type = InteractionType.ApplicationCommand) =>
  interaction(type, { id: snowflake(), name: command, type: 1, options: [{ name: subcommand, type: 1, options }] }, o);

const click = (customId: string, message: DiscordMessage | undefined, o: As = {}) =>
  interaction(
    InteractionType.MessageComponent,
    { custom_id: customId, component_type: ComponentType.Button },
    { ...o, message: { id: message?.id ?? snowflake(), channel_id: message?.channel_id ?? GENERAL, content: '', embeds: [], components: [] } },
  );

type Answer = { type: number; data?: Record<string, unknown> };

function signed(i: APIInteraction, timestamp = String(Math.floor(Date.now() / 1000))) {
  const body = JSON.stringify(i);
  return { body, timestamp, signature: edSign(null, Buffer.from(timestamp + body), privateKey).toString('hex') };
}

async function deliver(req: ReturnType<typeof signed>): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${stack.apiUrl}/discord/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': req.signature, 'x-signature-timestamp': req.timestamp },
    body: req.body,
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const send = async (i: APIInteraction): Promise<Answer> => {
  const res = await deliver(signed(i));
  expect(res.status).toBe(200);
  return res.body;
};

/** What the asker finally sees: the immediate ephemeral answer, or the deferred reply's last edit. */
async function answerTo(i: APIInteraction): Promise<string> {
  const first = await send(i);
  if (first.type === InteractionResponseType.ChannelMessageWithSource) return String(first.data?.content);
  expect(first).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  const edit = await eventually(async () => rest.originalEdits.filter((e) => e.token === i.token).at(-1), { what: `the answer to ${i.id}` });
  return String(edit.body.content);
}

const buttonIds = (m: DiscordMessage | undefined): string[] =>
  ((m?.body.components as Array<{ components: Array<{ custom_id?: string }> }> | undefined) ?? []).flatMap((r) => r.components.map((c) => c.custom_id ?? ''));

const embedTitle = (m: DiscordMessage | undefined): string => String((m?.body.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '');

async function createSeries(extra: Option[]): Promise<string> {
  const text = await answerTo(sub('series', 'create', [str('theme', 'Our engineering culture'), ...extra]));
  expect(text).toMatch(/Created series/);
  return /`(ser_[a-f0-9]{20})`/.exec(text)![1]!;
}

/** Runs an occurrence now and waits for its draft's message in #general, with its buttons. */
async function occurrenceDraft(seriesId: string, run = sub('series', 'run', [str('series', seriesId)])): Promise<{ post: PostDoc; message: DiscordMessage }> {
  expect(await answerTo(run)).toMatch(/Started an occurrence/);
  const link = await eventually(async () => stack.db.seriesPosts.findOne({ seriesId }), { what: 'the occurrence' });
  const shown = await eventually(async () => stack.db.discordMessages.findOne({ _id: link._id }), { what: 'the draft shown in #general', timeoutMs: 30_000 });
  const post = (await stack.db.posts.findOne({ _id: link._id }))!;
  const message = rest.messages.find((m) => m.id === shown.messageId);
  return { post, message: message! };
}

const statusOf = async (postId: string) => (await stack.db.posts.findOne({ _id: postId }))?.status;

// --- the tests ---------------------------------------------------------------------------------

describe('/series from Discord', () => {
  test('create (weekly, this channel, approve here), list, autocomplete by name, pause, resume, edit and delete, through services/series', async () => {
    const seriesId = await createSeries([str('days', 'mon'), str('time', '09:00'), str('tone', 'friendly'), str('name', 'Culture Monday')]);
    const doc = await stack.db.series.findOne({ _id: seriesId });
    expect(doc).toMatchObject({
      accountId: ACCOUNT,
      authorId: `discord:${GUILD}:${ALICE}`,
      source: 'discord',
      name: 'Culture Monday',
      tone: 'friendly',
      requireApproval: true,
      timeZone: 'Europe/Berlin',
      recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
      targets: [{ kind: 'discord', channelId: GENERAL }],
      notify: { kind: 'discordChannel', guildId: GUILD, channelId: GENERAL, userId: ALICE },
    });
    const schedule = stack.env.client.schedule.getHandle(seriesScheduleId(seriesId));
    expect((await schedule.describe()).spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
      hour: [{ start: 9, end: 9, step: 1 }],
    });

    const listed = await answerTo(sub('series', 'list', [], { user: BOB, perms: MEMBER }));
    expect(listed).toContain(seriesId);
    expect(listed).toMatch(/Culture Monday.*every mon at 09:00 \(Europe\/Berlin\).*next <t:\d+:f>/);

    const completion = await send(sub('series', 'pause', [{ ...str('series', 'cult'), focused: true }], {}, InteractionType.ApplicationCommandAutocomplete));
    expect(completion).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'Culture Monday — every mon at 09:00', value: seriesId }] },
    });

    // Bob is neither its creator nor a manager: refused by the service, in words.
    expect(await answerTo(sub('series', 'pause', [str('series', seriesId)], { user: BOB, perms: MEMBER }))).toMatch(/Only the creator/);
    // A name typed without picking works too.
    expect(await answerTo(sub('series', 'pause', [str('series', 'culture monday')]))).toMatch(/Paused series/);
    expect((await schedule.describe()).state.paused).toBe(true);
    expect(await answerTo(sub('series', 'resume', [str('series', seriesId)]))).toMatch(/Resumed/);
    expect((await schedule.describe()).state.paused).toBe(false);

    const edited = await answerTo(sub('series', 'edit', [str('series', seriesId), str('days', 'tue,thu'), str('time', '10:30')]));
    expect(edited).toMatch(/Changed series.*\n.*every tue, thu at 10:30/);
    expect((await schedule.describe()).spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 10, end: 10, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });

    // A cron the scheduler refuses leaves the series as it was.
    expect(await answerTo(sub('series', 'edit', [str('series', seriesId), str('cron', '0 9 * * FOO')]))).toMatch(/cron expression "0 9 \* \* FOO" was refused/);
    expect(await stack.db.series.findOne({ _id: seriesId })).toMatchObject({ recurrence: { kind: 'weekly', days: ['tue', 'thu'], time: '10:30' } });

    expect(await answerTo(sub('series', 'delete', [str('series', seriesId)]))).toMatch(/Deleted series/);
    expect(await stack.db.series.findOne({ _id: seriesId })).toBeNull();
    expect(await answerTo(sub('series', 'pause', [str('series', seriesId)]))).toMatch(/was not found/);
  }, 60_000);

  test('bad options are refused at once, saying what was wrong and how to fix it, and nothing is created', async () => {
    const before = await stack.db.series.countDocuments({ accountId: ACCOUNT });
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes')]))).toMatch(
      /Say when: days and time .* or cron[\s\S]*For example: `\/series create/,
    );
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('days', 'mon'), str('time', '25:00')]))).toMatch(/"25:00" is not a time/);
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('days', 'someday'), str('time', '09:00')]))).toMatch(
      /"someday" is not a day/,
    );
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '*/5 * * * *')]))).toMatch(/fixed minute/);
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '0 9 * * MON'), str('days', 'mon')]))).toMatch(/not both/);
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '0 9 * * MON'), str('timezone', 'Mars/Olympus')]))).toMatch(
      /Unknown time zone "Mars\/Olympus"/,
    );
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '0 9 * * MON'), str('expires', '2m')]))).toMatch(
      /between 15m and 14d/,
    );
    // A cron the pattern lets through but the scheduler refuses: said in words, not "something went wrong".
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '0 9 * * FOO')]))).toMatch(
      /cron expression "0 9 \* \* FOO" was refused/,
    );
    // Publishing into a channel needs the manager permission, as /post does.
    expect(await answerTo(sub('series', 'create', [str('theme', 'Release notes'), str('cron', '0 9 * * MON')], { user: BOB, perms: MEMBER }))).toMatch(
      /needs the \*\*Manage Server\*\* permission/,
    );
    expect(await stack.db.series.countDocuments({ accountId: ACCOUNT })).toBe(before);
  });

  test("an occurrence posts its draft in the channel with the bot token; Approve there publishes it once; another server's click and a replay are refused", async () => {
    const seriesId = await createSeries([str('cron', '0 9 * * MON'), str('name', 'Approve me')]);
    const run = sub('series', 'run', [str('series', seriesId)]);
    const runSigned = signed(run);
    const { post, message } = await occurrenceDraft(seriesId, run);
    // The same signed "run now" sent again inside the signature window starts (and charges) nothing.
    expect((await deliver(runSigned)).body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    await eventually(
      async () => (/already carried out/.test(String(rest.originalEdits.filter((e) => e.token === run.token).at(-1)?.body.content)) ? true : undefined),
      {
        what: 'the answer to the repeated run',
      },
    );
    expect(post.status).toBe('draft');
    expect(message).toMatchObject({ channel_id: GENERAL, via: 'bot' });
    expect(message.content).toMatch(new RegExp(`^<@${ALICE}> \\*\\*Series “Approve me”\\*\\*`));
    expect(message.allowed_mentions).toEqual({ users: [ALICE] });
    expect(buttonIds(message)).toEqual(expect.arrayContaining([`pf:post:approve:${post._id}`, `pf:post:edit:${post._id}`, `pf:post:discard:${post._id}`]));
    expect(await stack.db.ledger.findOne({ _id: `charge:${post._id}` })).toMatchObject({ amount: -1 });

    // A manager of another server names this post in a click of their own: not their server's post.
    const foreign = await send(click(`pf:post:approve:${post._id}`, message, { guild: OTHER_GUILD, channel: OTHER_CHANNEL, user: MALLORY }));
    expect(foreign).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(String(foreign.data?.content)).toMatch(/was not found/);
    // A member of this server who neither made the series nor manages the server may not approve it either.
    const member = await send(click(`pf:post:approve:${post._id}`, message, { user: BOB, perms: MEMBER }));
    expect(String(member.data?.content)).toMatch(/Only the post's author or someone with \*\*Manage Server\*\*/);
    expect(await statusOf(post._id)).toBe('draft');

    const approve = signed(click(`pf:post:approve:${post._id}`, message));
    expect((await deliver(approve)).body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    await eventually(async () => ((await statusOf(post._id)) === 'published' ? true : undefined), { what: 'the approved draft published', timeoutMs: 30_000 });
    // The draft's own message was edited in place by the worker (bot token), to show it published, without buttons.
    await eventually(async () => (embedTitle(rest.messages.find((m) => m.id === message.id)).includes('Published') ? true : undefined), {
      what: 'the channel message showing Published',
    });
    expect(buttonIds(rest.messages.find((m) => m.id === message.id))).toEqual([]);
    const published = rest.messages.filter((m) => m.channel_id === GENERAL && m.id !== message.id && m.nonce !== undefined && !buttonIds(m).length);
    expect(published.length).toBeGreaterThanOrEqual(1);

    // The same signed click delivered again, and a fresh second click: approved once, told so.
    const replay = await deliver(approve);
    expect(replay.status).toBe(200);
    expect(String(replay.body.data?.content)).toMatch(/already approved/);
    expect(String((await send(click(`pf:post:approve:${post._id}`, message))).data?.content)).toMatch(/already approved \(it is published now\)/);
    // A captured click replayed after the signature window is refused outright.
    const stale = signed(click(`pf:post:approve:${post._id}`, message), String(Math.floor(Date.now() / 1000) - 600));
    expect((await deliver(stale)).status).toBe(401);
    expect(await stack.db.ledger.countDocuments({ postId: post._id })).toBe(1);
    expect(await stack.db.seriesPosts.countDocuments({ seriesId })).toBe(1);
    await answerTo(sub('series', 'delete', [str('series', seriesId)]));
  }, 90_000);

  test('a draft nobody approves expires after the series’ expiry, is refunded, and a late Approve says so', async () => {
    const create = sub('series', 'create', [
      str('theme', 'Our engineering culture'),
      str('cron', '0 9 * * MON'),
      str('expires', '15m'),
      str('name', 'Let me expire'),
    ]);
    const createSigned = signed(create);
    const seriesId = /`(ser_[a-f0-9]{20})`/.exec(await answerTo(create))![1]!;
    // Sent again inside the signature window: no second series.
    await deliver(createSigned);
    await eventually(
      async () => (/already carried out/.test(String(rest.originalEdits.filter((e) => e.token === create.token).at(-1)?.body.content)) ? true : undefined),
      {
        what: 'the answer to the repeated create',
      },
    );
    expect(await stack.db.series.countDocuments({ accountId: ACCOUNT, name: 'Let me expire' })).toBe(1);
    expect(await stack.db.series.findOne({ _id: seriesId })).toMatchObject({ draftExpiryMs: 15 * 60_000 });
    // The shortest expiry a user may choose is 15 minutes; the test shortens it underneath.
    await stack.db.series.updateOne({ _id: seriesId }, { $set: { draftExpiryMs: 6_000 } });
    const { post, message } = await occurrenceDraft(seriesId);
    // It was posted as a draft, with Approve (the expiry may already have edited it since).
    const sent = rest.requests.find(
      (r) => r.method === 'POST' && r.path === `/api/v10/channels/${GENERAL}/messages` && (r.body as { nonce?: unknown }).nonce === message.nonce,
    );
    expect((sent?.body as { content?: string }).content).toMatch(new RegExp(`^<@${ALICE}> \\*\\*Series “Let me expire”\\*\\* · Draft ready`));
    const expired = await eventually(
      async () => {
        const p = await stack.db.posts.findOne({ _id: post._id });
        return p?.status === 'canceled' ? p : undefined;
      },
      { what: 'the draft expired', timeoutMs: 30_000 },
    );
    expect(expired.reason).toMatch(/^expired/);
    expect(await stack.db.ledger.findOne({ _id: `refund:${post._id}` })).toMatchObject({ amount: 1 });
    await eventually(async () => (JSON.stringify(rest.messages.find((m) => m.id === message.id)?.body).includes('refunded') ? true : undefined), {
      what: 'the channel message showing the refund',
    });
    const late = await send(click(`pf:post:approve:${post._id}`, message));
    expect(String(late.data?.content)).toMatch(/expired before anyone approved it.*credit was refunded/);
    await answerTo(sub('series', 'delete', [str('series', seriesId)]));
  }, 90_000);
});

describe('/queue from Discord', () => {
  test('set (managers only) and show the posting schedule', async () => {
    expect(await answerTo(sub('queue', 'set', [str('days', 'weekdays'), str('times', '12:00 8:30')], { user: BOB, perms: MEMBER }))).toMatch(
      /needs the \*\*Manage Server\*\* permission/,
    );
    expect(await answerTo(sub('queue', 'set', [str('days', 'weekdays'), str('times', '8:30 25:00')]))).toMatch(/"25:00" is not a time[\s\S]*\/queue set/);
    const set = await answerTo(sub('queue', 'set', [str('days', 'weekdays'), str('times', '12:00 8:30'), str('timezone', 'Europe/Berlin')]));
    expect(set).toMatch(/Posting schedule set: mon, tue, wed, thu, fri at 08:30, 12:00 \(Europe\/Berlin\)\.\nNext free slots: <t:\d+:f>/);
    expect(await stack.db.postingSchedules.findOne({ _id: ACCOUNT })).toMatchObject({
      timeZone: 'Europe/Berlin',
      slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['08:30', '12:00'] }],
      updatedBy: `discord:${GUILD}:${ALICE}`,
    });
    expect(await answerTo(sub('queue', 'show', [], { user: BOB, perms: MEMBER }))).toMatch(
      /\*\*Posting schedule\*\* \(Europe\/Berlin\): mon, tue, wed, thu, fri at 08:30, 12:00/,
    );
  });
});
