// The Discord bot end to end: an unmodified discord.js client logged in to a local gateway, signed
// HTTP interactions to the API's /discord/interactions, the real worker and Temporal dev server
// behind both, and a Discord REST stand-in that records every callback, edit and message.
import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ComponentType, InteractionResponseType, InteractionType, MessageFlags, PermissionFlagsBits, type APIInteraction } from 'discord-api-types/v10';
import { createDiscordApi } from '../../bots/discord/api';
import { startDiscordGateway as connectGateway, type DiscordGateway } from '../../bots/discord/gateway';
import { notifyDiscord } from '../../bots/discord/notifier';
import { registerCommands } from '../../bots/discord/register';
import { ensureAccount } from '../../core/accounts';
import { balanceOf } from '../../core/ledger';
import type { PostDoc } from '../../core/records';
import { modalProblem, startDiscordStandin, type DiscordStandin } from '../standins/discord';
import { startDiscordGateway, type GatewayStandin } from '../standins/discordGateway';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

const APP = '100000000000000001';
const GUILD = '300000000000000001';
const GENERAL = '400000000000000001';
const ANNOUNCE = '400000000000000002';
const LOCKED = '400000000000000003';
const HIDDEN = '400000000000000004';
const ALICE = '500000000000000001';
const BOB = '500000000000000002';
const ACCOUNT = `discord:${GUILD}`;

const bits = (...b: bigint[]) => String(b.reduce((a, x) => a | x, 0n));
const MEMBER = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages);
const MANAGER = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.ManageGuild);
const BOT_HERE = bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks);

let stack: Stack;
let rest: DiscordStandin;
let gw: GatewayStandin;
let bot: DiscordGateway;
let privateKey: KeyObject;
let seq = 0;

beforeAll(async () => {
  const keys = generateKeyPairSync('ed25519');
  privateKey = keys.privateKey;
  const publicHex = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  rest = await startDiscordStandin({
    applicationId: APP,
    closedDms: [BOB],
    channels: [
      { id: GENERAL, guildId: GUILD, name: 'general' },
      { id: ANNOUNCE, guildId: GUILD, name: 'announcements' },
      { id: LOCKED, guildId: GUILD, name: 'locked', access: 'no_send' },
      { id: HIDDEN, guildId: GUILD, name: 'hidden', access: 'no_access' },
    ],
  });
  gw = await startDiscordGateway({ applicationId: APP, botUserId: rest.botUserId, guilds: [{ id: GUILD, name: 'Standin Guild' }] });
  rest.setGatewayUrl(gw.url);
  stack = await startStack('discord', {
    config: {
      DISCORD_APP_ID: APP,
      DISCORD_PUBLIC_KEY: publicHex,
      DISCORD_BOT_TOKEN: 'standin-token',
      DISCORD_API_URL: rest.apiUrl,
      DISCORD_TIMEZONE: 'Europe/Berlin',
      LINKEDIN_CLIENT_ID: 'li-client',
      LINKEDIN_CLIENT_SECRET: 'li-secret',
    },
  });
  // The server's account exists before the tests count its credits.
  await ensureAccount(stack.db, { _id: ACCOUNT, kind: 'discord', name: GUILD }, stack.config.FREE_CREDITS);
  bot = await connectGateway({ ctx: stack.ctx, api: createDiscordApi(stack.config), log: (m: string) => console.log(`[probe] ${m}`) }, stack.config);
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  if (stack) {
    await expectLedgersConsistent(stack.db);
    await stack.stop();
  }
  await gw?.close();
  await rest?.close();
});

// --- interactions as Discord sends them ------------------------------------------------------

const snowflake = () => String(600000000000000000n + BigInt(++seq));

interface As {
  user?: string;
  perms?: string;
  channel?: string;
  appPerms?: string;
}

function interaction(type: InteractionType, data: unknown, o: As & { message?: unknown } = {}): APIInteraction {
  const id = snowflake();
  const channel = o.channel ?? GENERAL;
  return {
    id,
    application_id: APP,
    type,
    data,
    guild_id: GUILD,
    channel_id: channel,
    channel: { id: channel, type: 0, name: 'general' },
    member: {
      user: { id: o.user ?? ALICE, username: o.user === BOB ? 'bob' : 'alice', discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions: o.perms ?? MANAGER,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    token: `token-${id}-${'x'.repeat(60)}`,
    version: 1,
    app_permissions: o.appPerms ?? BOT_HERE,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
    attachment_size_limit: 8_388_608,
    ...(o.message ? { message: o.message } : {}),
  } as unknown as APIInteraction;
}

type Option = { name: string; type: number; value: string | boolean; focused?: boolean };
const str = (name: string, value: string): Option => ({ name, type: 3, value });

const slash = (name: string, options: Option[] = [], o: As = {}) =>
  interaction(InteractionType.ApplicationCommand, { id: snowflake(), name, type: 1, options }, o);
const complete = (options: Option[], o: As = {}) =>
  interaction(InteractionType.ApplicationCommandAutocomplete, { id: snowflake(), name: 'post', type: 1, options }, o);
const click = (customId: string, o: As = {}) =>
  interaction(
    InteractionType.MessageComponent,
    { custom_id: customId, component_type: ComponentType.Button },
    { ...o, message: { id: snowflake(), channel_id: o.channel ?? GENERAL, flags: 64, content: '', embeds: [], components: [] } },
  );
/** A modal submission as Discord sends one for text inputs in Labels: `{ type: 18, id, component: { type: 4, id, custom_id, value } }`. */
const modal = (customId: string, fields: Record<string, string>, o: As = {}) =>
  interaction(
    InteractionType.ModalSubmit,
    {
      custom_id: customId,
      components: Object.entries(fields).map(([k, v], n) => ({ type: 18, id: 2 * n + 1, component: { type: 4, id: 2 * n + 2, custom_id: k, value: v } })),
    },
    { ...o, message: { id: snowflake(), channel_id: GENERAL, flags: 64, content: '', embeds: [], components: [] } },
  );

type Answer = { type: number; data?: Record<string, unknown> };

/** Over HTTP: signed as Discord signs, answered in the HTTP response. */
async function viaHttp(i: APIInteraction, opts: { signature?: string; timestamp?: string } = {}): Promise<{ status: number; body: Answer }> {
  const body = JSON.stringify(i);
  const ts = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? edSign(null, Buffer.from(ts + body), privateKey).toString('hex');
  const res = await fetch(`${stack.apiUrl}/discord/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts },
    body,
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** Over the gateway: dispatched to the discord.js client, answered by the interaction callback. */
async function viaGateway(i: APIInteraction): Promise<Answer> {
  gw.dispatch('INTERACTION_CREATE', i);
  const cb = await eventually(async () => rest.interactionCallbacks.find((c) => c.id === i.id), { what: `the callback of interaction ${i.id}` });
  return cb.body as Answer;
}

const json = (v: unknown): string => JSON.stringify(v) ?? '';
const editsOf = (i: APIInteraction) => rest.originalEdits.filter((e) => e.token === i.token).map((e) => e.body);
const lastEdit = (i: APIInteraction) => editsOf(i).at(-1);
const postOf = (filter: Partial<Record<'topic' | '_id', string>>) => stack.db.posts.findOne({ accountId: ACCOUNT, ...filter }) as Promise<PostDoc | null>;
const buttonIds = (body: Record<string, unknown> | undefined): string[] =>
  ((body?.components as Array<{ components: Array<{ custom_id?: string; label?: string }> }> | undefined) ?? []).flatMap((r) =>
    r.components.map((c) => c.custom_id ?? ''),
  );

/** /post and its draft: the post document once its reply shows the draft with its buttons. */
async function draft(topic: string, send: (i: APIInteraction) => Promise<Answer>, extra: Option[] = []): Promise<{ cmd: APIInteraction; doc: PostDoc }> {
  const cmd = slash('post', [str('topic', topic), ...extra]);
  const answer = await send(cmd);
  expect(answer).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  const doc = await eventually(
    async () => {
      const d = await postOf({ topic });
      return d?.status === 'draft' && buttonIds(lastEdit(cmd)).some((id) => id.startsWith('pf:post:approve:')) ? d : undefined;
    },
    { what: `the draft of "${topic}"` },
  );
  return { cmd, doc };
}

const http = async (i: APIInteraction) => (await viaHttp(i)).body;

function script(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join('node_modules', '.bin', 'tsx'),
      ['scripts/discord-register.ts', ...args],
      { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

// --- the tests ---------------------------------------------------------------------------------

describe('HTTP interactions endpoint', () => {
  test('answers PING, and refuses forged, unsigned and replayed-with-other-body requests with 401', async () => {
    const ping = { id: snowflake(), application_id: APP, type: InteractionType.Ping, token: 't', version: 1 } as unknown as APIInteraction;
    expect(await viaHttp(ping)).toEqual({ status: 200, body: { type: InteractionResponseType.Pong } });

    const forgedKey = generateKeyPairSync('ed25519').privateKey;
    const ts = String(Math.floor(Date.now() / 1000));
    const forged = edSign(null, Buffer.from(ts + JSON.stringify(ping)), forgedKey).toString('hex');
    expect((await viaHttp(ping, { signature: forged, timestamp: ts })).status).toBe(401);
    expect((await viaHttp(ping, { signature: 'not-hex' })).status).toBe(401);

    // A valid signature over one body does not carry over to another.
    const good = edSign(null, Buffer.from(ts + JSON.stringify(ping)), privateKey).toString('hex');
    const other = { ...ping, id: snowflake() } as APIInteraction;
    expect((await viaHttp(other, { signature: good, timestamp: ts })).status).toBe(401);

    const unsigned = await fetch(`${stack.apiUrl}/discord/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ping),
    });
    expect(unsigned.status).toBe(401);
  });
});

describe('command registration', () => {
  test('registers /post, /series, /queue, /posts, /credits, /connect and /dashboard to a guild and globally through @discordjs/rest', async () => {
    const guild = await registerCommands({ applicationId: APP, botToken: 'standin-token', apiUrl: rest.apiUrl, guildId: GUILD });
    expect(guild).toEqual({ scope: `guild ${GUILD}`, names: ['post', 'series', 'queue', 'posts', 'credits', 'connect', 'dashboard'] });
    const post = rest.commands.get(GUILD)?.find((c) => c.name === 'post') as { options: Array<Record<string, unknown>> };
    const byName = Object.fromEntries(post.options.map((o) => [o.name, o]));
    expect(byName.topic).toMatchObject({ type: 3, required: true, min_length: 3, max_length: 500 });
    expect(byName.tone?.choices).toEqual(expect.arrayContaining([{ name: 'witty', value: 'witty' }]));
    expect(byName.language?.choices).toEqual(expect.arrayContaining([{ name: 'Deutsch', value: 'de' }]));
    expect(byName.when).toMatchObject({ type: 3, autocomplete: true });
    expect(byName.channel).toMatchObject({ type: 7, channel_types: [0, 5] });
    expect(byName.linkedin).toMatchObject({ type: 5 });

    // The script, as a self-hoster runs it, registers globally with --global. (Run asynchronously:
    // the stand-in answering it lives in this process.)
    const run = await script(['--global'], { DISCORD_APP_ID: APP, DISCORD_BOT_TOKEN: 'standin-token', DISCORD_API_URL: rest.apiUrl });
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Registered /post, /series, /queue, /posts, /credits, /connect, /dashboard (global)'),
    });
    expect(rest.commands.get('global')?.map((c) => c.name)).toEqual(['post', 'series', 'queue', 'posts', 'credits', 'connect', 'dashboard']);

    const noToken = await script([], { DISCORD_APP_ID: APP, DISCORD_BOT_TOKEN: '', DISCORD_API_URL: rest.apiUrl });
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringContaining('DISCORD_BOT_TOKEN') });
    const badGuild = await script(['--guild', 'general'], { DISCORD_APP_ID: APP, DISCORD_BOT_TOKEN: 'standin-token', DISCORD_API_URL: rest.apiUrl });
    expect(badGuild).toMatchObject({ code: 2, stderr: expect.stringContaining('Copy Server ID') });
  }, 90_000);
});

describe('gateway transport', () => {
  test('an unmodified discord.js client logged in with the bot token', () => {
    expect(bot.client.isReady()).toBe(true);
    expect(gw.identifies.at(-1)?.token).toBe('standin-token');
  });

  test('asks for no intents and caches no server, member or user but itself (interactions need none)', () => {
    expect(gw.identifies.at(-1)?.intents).toBe(0);
    // READY names every server as unavailable; without the Guilds intent none of them is loaded.
    expect(bot.client.guilds.cache.filter((g) => g.available).size).toBe(0);
    expect(bot.client.channels.cache.size).toBe(0);
    expect([...bot.client.users.cache.keys()].filter((id) => id !== bot.client.user?.id)).toEqual([]);
  });

  test('/post goes from preview to published in a channel, its reply edited at every step', async () => {
    const topic = 'Why our community moved to weekly demos';
    const before = await balanceOf(stack.db, ACCOUNT);
    const { cmd, doc } = await draft(topic, viaGateway, [str('tone', 'witty'), { name: 'channel', type: 7, value: ANNOUNCE }]);
    expect(doc).toMatchObject({ source: 'discord', authorId: `discord:${GUILD}:${ALICE}`, targets: [{ kind: 'discord', channelId: ANNOUNCE }], tone: 'witty' });
    // The first edit said it was drafting; then came the preview with the draft and its buttons.
    expect(json(editsOf(cmd)[0])).toContain('Drafting');
    const preview = lastEdit(cmd)!;
    expect(json(preview)).toContain(doc.content!.slice(0, 40).replace(/"/g, '\\"').split('\n')[0]!.slice(0, 20));
    expect(buttonIds(preview)).toEqual([
      `pf:post:approve:${doc._id}`,
      `pf:post:edit:${doc._id}`,
      `pf:post:regen:${doc._id}`,
      `pf:post:sched:${doc._id}`,
      `pf:post:discard:${doc._id}`,
    ]);
    expect(await balanceOf(stack.db, ACCOUNT)).toBe(before - 1);

    const approve = click(`pf:post:approve:${doc._id}`);
    expect(await viaGateway(approve)).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const published = await eventually(
      async () => {
        const d = await postOf({ _id: doc._id });
        return d?.status === 'published' ? d : undefined;
      },
      { what: 'the post to be published' },
    );
    const sent = rest.messages.filter((m) => m.channel_id === ANNOUNCE && m.via === 'bot' && m.content.includes(published.content!.slice(0, 30)));
    expect(sent).toHaveLength(1);
    // The click's token edits the same message on: scheduled, then published with its link.
    await eventually(async () => json(lastEdit(approve)).includes('Published'), { what: 'the reply to show Published' });
    expect(json(lastEdit(approve))).toContain(`discord.com/channels/${GUILD}/${ANNOUNCE}/${sent[0]!.id}`);
    expect(buttonIds(lastEdit(approve))).toEqual([]);
    expect(await balanceOf(stack.db, ACCOUNT)).toBe(before - 1);
  }, 90_000);
});

describe('HTTP transport', () => {
  test('over the gateway too, the Edit modal is one Discord takes (Labels, not deprecated action-row inputs), and its submission saves', async () => {
    const topic = 'Modals in the documented shape';
    const { doc } = await draft(topic, http);
    const open = await viaGateway(click(`pf:post:edit:${doc._id}`));
    expect(open.type).toBe(InteractionResponseType.Modal);
    expect(modalProblem(open.data)).toBeUndefined();
    // The stand-in answers a modal in the old shape the way Discord answers a bad form.
    expect(
      modalProblem({ custom_id: 'x', title: 'x', components: [{ type: 1, components: [{ type: 4, custom_id: 'a', label: 'A', style: 1 }] }] }),
    ).toMatchObject({ field: 'data.components.0.type' });
    expect(
      modalProblem({ custom_id: 'x', title: 'x', components: [{ type: 18, label: 'A', component: { type: 4, custom_id: 'a', label: 'A', style: 1 } }] }),
    ).toMatchObject({ field: 'data.components.0.component.label' });
    await viaGateway(modal(`pf:post:editm:${doc._id}`, { content: 'Saved from a Label modal.', hashtags: '' }));
    await eventually(async () => (await postOf({ _id: doc._id }))?.content === 'Saved from a Label modal.', { what: 'the edit saved' });
  });

  test('a draft longer than one Discord text box (4,000 characters) is edited in parts, never cut short', async () => {
    // Only a webhook-only post may be this long (10,000 characters); Discord's own limit is 2,000.
    const { createPost } = await import('../../services/posts');
    const { postId } = await createPost(
      stack.ctx,
      { accountId: ACCOUNT, memberId: `${ACCOUNT}:${ALICE}`, source: 'discord' },
      {
        topic: 'A long webhook post',
        tone: 'professional',
        language: 'en',
        targets: [{ kind: 'webhook', url: 'https://hooks.example.com/in' }],
        timeZone: 'UTC',
        requireApproval: true,
      },
    );
    const doc = await eventually(async () => ((await postOf({ _id: postId }))?.status === 'draft' ? postOf({ _id: postId }) : undefined), {
      what: 'the webhook draft',
    });
    if (!doc) throw new Error('no draft');
    const para = (n: number) => `Paragraph ${n}: ${'word '.repeat(300).trim()}.`;
    const long = Array.from({ length: 5 }, (_, i) => para(i + 1)).join('\n\n');
    expect(long.length).toBeGreaterThan(4000);
    await stack.db.posts.updateOne({ _id: doc._id }, { $set: { content: long, hashtags: [] } });
    const open = await http(click(`pf:post:edit:${doc._id}`));
    expect(open.type).toBe(InteractionResponseType.Modal);
    expect(modalProblem(open.data)).toBeUndefined();
    const inputs = (open.data?.components as Array<{ component: { custom_id: string; value?: string } }>).map((c) => c.component);
    const parts = inputs.filter((c) => c.custom_id.startsWith('content'));
    expect(parts.length).toBe(3);
    for (const p of parts) expect((p.value ?? '').length).toBeLessThanOrEqual(4000);
    // Cut at paragraph breaks, so each part is whole paragraphs.
    expect(parts.map((p) => p.value ?? '').join('\n\n')).toBe(long);

    const fields = Object.fromEntries(parts.map((p, i) => [p.custom_id, i === parts.length - 1 ? `${p.value} The end.` : (p.value ?? '')]));
    await http(modal(`pf:post:editm:${doc._id}`, { ...fields, hashtags: '' }));
    await eventually(async () => (await postOf({ _id: doc._id }))?.content === `${long} The end.`, { what: 'the whole long text saved' });
  });

  test('Edit opens a modal whose submission changes the post; Regenerate redrafts; Discard refunds', async () => {
    const topic = 'Lessons from running a 5k-member server';
    const before = await balanceOf(stack.db, ACCOUNT);
    const { doc } = await draft(topic, http);

    const edit = await viaHttp(click(`pf:post:edit:${doc._id}`));
    expect(edit.body.type).toBe(InteractionResponseType.Modal);
    expect(edit.body.data).toMatchObject({ custom_id: `pf:post:editm:${doc._id}`, title: 'Edit post' });
    // Text inputs in Label components, as the Component Reference documents modals now.
    expect(modalProblem(edit.body.data)).toBeUndefined();
    expect(
      (edit.body.data?.components as Array<{ type: number; component?: { type: number; custom_id: string } }>).map((c) => [
        c.type,
        c.component?.type,
        c.component?.custom_id,
      ]),
    ).toEqual([
      [ComponentType.Label, ComponentType.TextInput, 'content'],
      [ComponentType.Label, ComponentType.TextInput, 'hashtags'],
    ]);
    expect(json(edit.body.data)).toContain(doc.content!.slice(0, 20).replace(/"/g, '\\"').split('\n')[0]);

    const submit = modal(`pf:post:editm:${doc._id}`, { content: 'Hand-written: five lessons from our server.', hashtags: '#community #discord' });
    expect((await viaHttp(submit)).body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const edited = await eventually(
      async () => {
        const d = await postOf({ _id: doc._id });
        return d?.content === 'Hand-written: five lessons from our server.' ? d : undefined;
      },
      { what: 'the edit to land' },
    );
    expect(edited.hashtags).toEqual(['community', 'discord']);
    await eventually(async () => json(lastEdit(submit)).includes('Hand-written: five lessons'), { what: 'the reply to show the edit' });

    const regen = click(`pf:post:regen:${doc._id}`);
    expect(await http(regen)).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    await eventually(
      async () => {
        const d = await postOf({ _id: doc._id });
        return d?.status === 'draft' && d.content !== edited.content && json(lastEdit(regen)).includes('Draft ready');
      },
      { what: 'a regenerated draft in the reply' },
    );

    const discard = click(`pf:post:discard:${doc._id}`);
    expect(await http(discard)).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    await eventually(async () => json(lastEdit(discard)).includes('refunded'), { what: 'the reply to say the credit was refunded' });
    expect(await balanceOf(stack.db, ACCOUNT)).toBe(before);
  }, 90_000);

  test('autocomplete suggests times it resolves, the best time for the tone, and time zones', async () => {
    const when = await http(complete([str('topic', 'x'), str('tone', 'bold'), { ...str('when', 'friday 15:00'), focused: true }]));
    expect(when.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const choices = (when.data as { choices: Array<{ name: string; value: string }> }).choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]).toMatchObject({ value: 'friday 15:00', name: expect.stringMatching(/^friday 15:00 → Fri.*15:00 \(Europe\/Berlin\)$/) });

    const empty = await http(complete([str('tone', 'bold'), { ...str('when', ''), focused: true }]));
    const names = (empty.data as { choices: Array<{ name: string; value: string }> }).choices.map((c) => c.name);
    expect(names.some((n) => n.includes('suggested best time for a bold post'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^tomorrow 09:00 → /)]));

    const nonsense = await http(complete([{ ...str('when', 'whenever'), focused: true }]));
    expect((nonsense.data as { choices: Array<{ name: string }> }).choices[0]!.name).toContain('not a time I understand');

    const zones = await http(complete([{ ...str('timezone', 'berl'), focused: true }]));
    expect((zones.data as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toContain('Europe/Berlin');
  });

  test('bad input gets an ephemeral error with an example that works, and charges nothing', async () => {
    const before = await balanceOf(stack.db, ACCOUNT);
    const posts = await stack.db.posts.countDocuments({ accountId: ACCOUNT });
    const cases: Array<[Option[], RegExp]> = [
      [[str('topic', 'hi')], /at least 3 characters/],
      [[str('topic', 'Our roadmap'), str('when', 'whenever you like')], /couldn't use when:whenever you like/],
      [[str('topic', 'Our roadmap'), str('when', '2020-01-01 09:00')], /in the past/],
      [[str('topic', 'Our roadmap'), str('tone', 'sarcastic')], /Unknown tone "sarcastic"/],
      [[str('topic', 'Our roadmap'), str('timezone', 'Mars/Olympus')], /Unknown time zone "Mars\/Olympus"/],
    ];
    for (const [options, message] of cases) {
      const answer = await http(slash('post', options));
      expect(answer.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(answer.data).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringMatching(message) });
      expect(String(answer.data?.content)).toMatch(/For example: `\/post topic:/);
    }
    // Old buttons and unknown commands get words, not "This interaction failed".
    expect((await http(click('pf:post:approve:doesnotexist'))).data?.content).toMatch(/was not found/);
    expect((await http(click('something-else'))).data?.content).toMatch(/older PostForge message/);
    expect((await http(slash('dance'))).data?.content).toMatch(/I don't know \/dance/);
    expect(await balanceOf(stack.db, ACCOUNT)).toBe(before);
    expect(await stack.db.posts.countDocuments({ accountId: ACCOUNT })).toBe(posts);
  });

  test('publishing to a channel and buying credits need Manage Server; the bot must be able to send there', async () => {
    const before = await balanceOf(stack.db, ACCOUNT);
    const member = await http(slash('post', [str('topic', 'Member post to a channel')], { user: BOB, perms: MEMBER }));
    expect(member.data?.content).toMatch(/needs the \*\*Manage Server\*\* permission/);
    expect(member.data?.content).toContain('linkedin:True');

    for (const [channel, message] of [
      [LOCKED, /PostForge can't post in <#400000000000000003>/],
      [HIDDEN, /PostForge can't see <#400000000000000004>/],
    ] as const) {
      const cmd = slash('post', [str('topic', 'Into a channel I cannot use'), { name: 'channel', type: 7, value: channel }]);
      expect(await http(cmd)).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
      await eventually(async () => message.test(json(lastEdit(cmd))), { what: `the refusal for ${channel}` });
      expect(json(lastEdit(cmd))).toContain('Nothing was charged');
    }
    // The invoking channel is judged by the permissions Discord sent with the interaction.
    const here = slash('post', [str('topic', 'Here, where I may not send')], { appPerms: bits(PermissionFlagsBits.ViewChannel) });
    await http(here);
    await eventually(async () => /can't post in <#400000000000000001>/.test(json(lastEdit(here))), { what: 'the refusal for this channel' });

    const credits = await http(slash('credits', [], { user: BOB, perms: MEMBER }));
    expect(buttonIds(credits.data)).toEqual([]);
    expect(json(credits.data)).toContain('Buying credits needs the Manage Server permission');
    const buy = await http(click('pf:buy:starter', { user: BOB, perms: MEMBER }));
    expect(buy.data?.content).toMatch(/Buying credits needs the \*\*Manage Server\*\* permission/);
    expect(await balanceOf(stack.db, ACCOUNT)).toBe(before);
    expect(
      await stack.db.posts.countDocuments({ topic: { $in: ['Member post to a channel', 'Into a channel I cannot use', 'Here, where I may not send'] } }),
    ).toBe(0);
  });

  test('/credits shows the balance and Buy buttons that open Stripe Checkout', async () => {
    const credits = await http(slash('credits'));
    expect(credits.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(json(credits.data)).toContain(`Credits: ${await balanceOf(stack.db, ACCOUNT)}`);
    const buy = buttonIds(credits.data).find((id) => id.startsWith('pf:buy:'))!;
    expect(buy).toBeDefined();
    const clickBuy = click(buy);
    expect(await http(clickBuy)).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    const reply = await eventually(async () => lastEdit(clickBuy), { what: 'the checkout link' });
    const link = (reply.components as Array<{ components: Array<{ url?: string; label?: string }> }>)[0]!.components[0]!;
    expect(link).toMatchObject({ label: 'Open Checkout', url: expect.stringMatching(/^https:\/\//) });
    expect(await stack.db.purchases.countDocuments({ accountId: ACCOUNT })).toBeGreaterThan(0);
  });

  test('/connect answers with a one-time link that binds the browser opening it, then goes on to LinkedIn', async () => {
    const answer = await http(slash('connect'));
    expect(answer.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    const link = (answer.data?.components as Array<{ components: Array<{ url: string }> }>)[0]!.components[0]!.url;
    expect(link).toMatch(/^http:\/\/localhost:3000\/v1\/connections\/linkedin\/open\/[\w-]+$/);
    const opened = await fetch(`${stack.apiUrl}${new URL(link).pathname}`, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('set-cookie')).toMatch(/^pf_linkedin_nonce=[\w-]+; .*HttpOnly; SameSite=Lax/);
    const url = opened.headers.get('location') ?? '';
    expect(url).toMatch(/\/oauth\/v2\/authorization\?/);
    expect(new URL(url).searchParams.get('client_id')).toBe('li-client');
  });

  test('/dashboard answers with a one-time link button that signs this member in, a manager as admin', async () => {
    const sessionOf = async (as: As) => {
      const answer = await http(slash('dashboard', [], as));
      expect(answer.data).toMatchObject({ flags: MessageFlags.Ephemeral });
      expect(String(answer.data?.content)).not.toContain('token=');
      const link = (answer.data?.components as Array<{ components: Array<{ url: string }> }>)[0]!.components[0]!.url;
      expect(link).toMatch(/^http:\/\/localhost:3000\/app\/login\?token=[\w-]+$/);
      const login = await fetch(`${stack.apiUrl}${new URL(link).pathname}${new URL(link).search}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return (await (await fetch(`${stack.apiUrl}/app/api/me`, { headers: { cookie } })).json()) as Record<string, unknown>;
    };
    expect(await sessionOf({ user: BOB, perms: MEMBER })).toMatchObject({
      account: { id: ACCOUNT },
      member: { id: `discord:${GUILD}:${BOB}`, role: 'member' },
    });
    expect(await sessionOf({ user: ALICE, perms: MANAGER })).toMatchObject({
      account: { id: ACCOUNT },
      member: { id: `discord:${GUILD}:${ALICE}`, role: 'admin' },
    });
  });

  test('/posts lists posts with Reschedule and Cancel; cancel refunds, reschedule moves the post', async () => {
    const before = await balanceOf(stack.db, ACCOUNT);
    const { doc } = await draft('Our meetup next month', http, [str('when', 'in 3 hours')]);
    await http(click(`pf:post:approve:${doc._id}`));
    await eventually(async () => (await postOf({ _id: doc._id }))?.status === 'scheduled', { what: 'the post to be scheduled' });

    const list = await http(slash('posts'));
    expect(json(list.data)).toContain('Our meetup next month');
    const ids = buttonIds(list.data);
    expect(ids).toEqual(expect.arrayContaining([`pf:list:sched:${doc._id}`, `pf:list:cancel:${doc._id}`]));

    const open = await http(click(`pf:list:sched:${doc._id}`));
    expect(open.type).toBe(InteractionResponseType.Modal);
    expect(open.data).toMatchObject({ custom_id: `pf:list:schedm:${doc._id}`, title: 'Reschedule post' });
    expect(modalProblem(open.data)).toBeUndefined();
    const resched = modal(`pf:list:schedm:${doc._id}`, { when: 'in 5 hours', timezone: 'Europe/Berlin' });
    expect(await http(resched)).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const moved = await eventually(
      async () => {
        const d = await postOf({ _id: doc._id });
        return d && Math.abs(d.scheduledAt.getTime() - (Date.now() + 5 * 3_600_000)) < 120_000 ? d : undefined;
      },
      { what: 'the post to move' },
    );
    expect(moved.status).toBe('scheduled');

    const cancel = click(`pf:list:cancel:${doc._id}`);
    expect(await http(cancel)).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    // The list is redrawn without the canceled post's buttons.
    await eventually(async () => lastEdit(cancel) !== undefined, { what: 'the list to be redrawn' });
    expect(buttonIds(lastEdit(cancel))).not.toContain(`pf:list:cancel:${doc._id}`);
    await eventually(async () => (await postOf({ _id: doc._id }))?.status === 'canceled', { what: 'the post to be canceled' });
    await eventually(async () => (await balanceOf(stack.db, ACCOUNT)) === before, { what: 'the refund' });
  }, 90_000);

  test("another member can't change someone's post without Manage Server", async () => {
    const { doc } = await draft('Alice only', http);
    const answer = await http(click(`pf:post:approve:${doc._id}`, { user: BOB, perms: MEMBER }));
    expect(answer.data?.content).toMatch(/Only the post's author or someone with \*\*Manage Server\*\*/);
    expect((await postOf({ _id: doc._id }))?.status).toBe('draft');
    await http(click(`pf:post:discard:${doc._id}`));
  }, 60_000);
});

describe('who may change a post', () => {
  test("a member can't cancel, edit or reschedule someone else's post by button or modal; Manage Server can", async () => {
    const { doc } = await draft('Alice keeps her own words', http);
    const asBob = { user: BOB, perms: MEMBER };
    const refusal = /Only the post's author or someone with \*\*Manage Server\*\* can change it/;
    for (const customId of [
      `pf:list:cancel:${doc._id}`,
      `pf:post:discard:${doc._id}`,
      `pf:post:regen:${doc._id}`,
      `pf:post:edit:${doc._id}`,
      `pf:list:sched:${doc._id}`,
    ]) {
      const answer = await http(click(customId, asBob));
      expect({ customId, type: answer.type, content: answer.data?.content }).toMatchObject({
        customId,
        type: InteractionResponseType.ChannelMessageWithSource,
        content: expect.stringMatching(refusal),
      });
    }
    // Submitting a modal Bob could never have opened (forged custom_id) is refused just the same.
    const edit = await http(modal(`pf:post:editm:${doc._id}`, { content: 'Words Alice never said.', hashtags: '' }, asBob));
    expect(edit.data?.content).toMatch(refusal);
    const sched = await http(modal(`pf:list:schedm:${doc._id}`, { when: 'in 5 hours', timezone: 'Europe/Berlin' }, asBob));
    expect(sched.data?.content).toMatch(refusal);
    expect(await postOf({ _id: doc._id })).toMatchObject({ status: 'draft', content: doc.content, scheduledAt: doc.scheduledAt });

    // Bob with Manage Server may: he discards it.
    expect(await http(click(`pf:post:discard:${doc._id}`, { user: BOB, perms: MANAGER }))).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    await eventually(async () => (await postOf({ _id: doc._id }))?.status === 'canceled', { what: 'the manager to discard it' });
  }, 60_000);
});

describe('late status updates', () => {
  test('after the token expires, an ending goes by DM once; closed DMs fall back to the channel', async () => {
    const { doc } = await draft('A post that ends late', http);
    const approve = click(`pf:post:approve:${doc._id}`);
    await http(approve);
    const done = await eventually(
      async () => {
        const d = await postOf({ _id: doc._id });
        return d?.status === 'published' ? d : undefined;
      },
      { what: 'the post to be published' },
    );
    // The workflow's own "published" edit lands after the document says published; count after it.
    await eventually(async () => json(lastEdit(approve)).includes('Published'), { what: 'the reply to show Published' });
    const deps = { db: stack.db, config: stack.config, generator: { generate: () => Promise.reject(new Error('not used')) } };
    const expired = new Date(Date.now() - 20 * 60_000);
    await stack.db.posts.updateOne({ _id: done._id }, { $set: { 'discord.tokenIssuedAt': expired } });
    // The approve click's token is the freshest one the notifier knows; age it too.
    expect(await stack.db.discordTokens.findOne({ _id: done._id })).toMatchObject({ interactionToken: approve.token });
    await stack.db.discordTokens.updateOne({ _id: done._id }, { $set: { tokenIssuedAt: expired } });
    const edits = rest.originalEdits.length;
    const notification = {
      postId: done._id,
      channel: {
        kind: 'discord' as const,
        applicationId: APP,
        interactionToken: 'expired',
        userId: ALICE,
        guildId: GUILD,
        channelId: GENERAL,
        tokenIssuedAt: expired.toISOString(),
      },
      milestone: 'published' as const,
      message: 'Published.',
    };
    await notifyDiscord(notification, deps);
    // A retried activity sends the same nonce, so Discord keeps one message.
    await notifyDiscord(notification, deps);
    const dms = rest.directMessages().filter((m) => m.recipientId === ALICE && json(m.body).includes('A post that ends late'));
    expect(dms).toHaveLength(1);
    expect(json(dms[0]!.body)).toContain('Published');
    expect(rest.originalEdits.length).toBe(edits);

    // Bob's DMs are closed: the channel the post was started in gets it, with a mention.
    await stack.db.posts.updateOne({ _id: done._id }, { $set: { 'discord.userId': BOB } });
    await notifyDiscord({ ...notification, channel: { ...notification.channel, userId: BOB } }, deps);
    const inChannel = rest.messages.filter((m) => m.channel_id === GENERAL && m.content.startsWith(`<@${BOB}>`));
    expect(inChannel).toHaveLength(1);
    expect(inChannel[0]!.allowed_mentions).toEqual({ users: [BOB] });

    // Milestones that are not endings are not worth a DM.
    const before = rest.directMessages().length;
    await notifyDiscord({ ...notification, milestone: 'scheduled' }, deps);
    expect(rest.directMessages().length).toBe(before);
  }, 90_000);
});
