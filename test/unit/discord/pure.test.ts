// The Discord bot's pure parts: custom ids, option parsing, permissions, rendering.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { EXAMPLES, parsePostOptions } from '../../../bots/discord/commands';
import { parseCustomId, postButtonId } from '../../../bots/discord/ids';
import { channelPermissions, has, isGuildAdmin, isManager } from '../../../bots/discord/permissions';
import { escapeMarkdown, renderCredits, renderPost, renderPostList, type PostView } from '../../../bots/discord/render';
import { verifyInteraction, publicKeyFromHex } from '../../../bots/discord/verify';
import { generateKeyPairSync, sign } from 'node:crypto';

const NOW = new Date('2026-11-23T10:00:00Z');
const s = (name: string, value: string) => ({ name, type: 3, value });

describe('custom ids', () => {
  test('round-trip, and anything else is not ours', () => {
    expect(parseCustomId(postButtonId('list', 'cancel', 'abc123'))).toEqual({ kind: 'post', scope: 'list', action: 'cancel', postId: 'abc123' });
    expect(parseCustomId('pf:post:editm:abc')).toEqual({ kind: 'modal', scope: 'post', modal: 'editm', postId: 'abc' });
    expect(parseCustomId('pf:buy:starter')).toEqual({ kind: 'buy', packId: 'starter' });
    for (const bad of ['', 'pf', 'pf:post:explode:abc', 'pf:room:approve:abc', 'xx:post:approve:abc', 'pf:post:approve:'])
      expect(parseCustomId(bad)).toBeUndefined();
  });
});

describe('/post options', () => {
  const defaults = { timeZone: 'Europe/Berlin', now: NOW };
  test('reads a full request; when is read in the time zone option', () => {
    const r = parsePostOptions(
      [
        s('topic', '  Our roadmap  '),
        s('tone', 'witty'),
        s('language', 'de'),
        s('when', '2026-12-01 09:00'),
        s('timezone', 'America/New_York'),
        { name: 'linkedin', type: 5, value: true },
      ],
      defaults,
    );
    expect(r).toEqual({
      ok: true,
      at: new Date('2026-12-01T14:00:00Z'),
      request: { topic: 'Our roadmap', tone: 'witty', language: 'de', when: '2026-12-01 09:00', linkedin: true, timeZone: 'America/New_York' },
    });
  });
  test('each mistake is named, with an example', () => {
    const fail = (options: Array<{ name: string; type: number; value: string }>) => {
      const r = parsePostOptions(options, defaults);
      if (r.ok) throw new Error('expected a rejection');
      return r;
    };
    expect(fail([])).toMatchObject({ error: expect.stringContaining('topic'), example: EXAMPLES.post });
    expect(fail([s('topic', 'x'.repeat(501))]).error).toContain('at most 500');
    expect(fail([s('topic', 'Roadmap'), s('language', 'klingon')]).error).toContain('Unknown language');
    expect(fail([s('topic', 'Roadmap'), s('when', 'yesterday')]).error).toMatch(/past/);
  });
});

describe('permissions', () => {
  const guildId = '1'.repeat(18);
  const everyone = { id: guildId, permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages) };
  const botRole = { id: '2'.repeat(18), permissions: String(PermissionFlagsBits.EmbedLinks) };
  const args = { guildId, userId: '9'.repeat(18), memberRoles: [botRole.id], roles: [everyone, botRole] };
  const SEND = PermissionFlagsBits.SendMessages;

  test('base from @everyone and roles; overwrites in Discord order: @everyone, roles, member', () => {
    expect(has(channelPermissions({ ...args, overwrites: [] }), SEND)).toBe(true);
    const denyEveryone = { id: guildId, type: 0 as const, allow: '0', deny: String(SEND) };
    expect(has(channelPermissions({ ...args, overwrites: [denyEveryone] }), SEND)).toBe(false);
    const allowRole = { id: botRole.id, type: 0 as const, allow: String(SEND), deny: '0' };
    expect(has(channelPermissions({ ...args, overwrites: [denyEveryone, allowRole] }), SEND)).toBe(true);
    const denyMember = { id: args.userId, type: 1 as const, allow: '0', deny: String(SEND) };
    expect(has(channelPermissions({ ...args, overwrites: [denyEveryone, allowRole, denyMember] }), SEND)).toBe(false);
  });
  test('Administrator overrides every overwrite', () => {
    const admin = { ...botRole, permissions: String(PermissionFlagsBits.Administrator) };
    const deny = { id: args.userId, type: 1 as const, allow: '0', deny: String(SEND) };
    expect(has(channelPermissions({ ...args, roles: [everyone, admin], overwrites: [deny] }), SEND)).toBe(true);
  });
  test('the manager permission is configurable, and "none" lets everyone', () => {
    const manage = String(PermissionFlagsBits.ManageGuild);
    expect(isManager({ DISCORD_MANAGER_PERMISSION: 'ManageGuild' }, manage)).toBe(true);
    expect(isManager({ DISCORD_MANAGER_PERMISSION: 'ManageGuild' }, String(SEND))).toBe(false);
    expect(isManager({ DISCORD_MANAGER_PERMISSION: 'ManageChannels' }, manage)).toBe(false);
    expect(isManager({ DISCORD_MANAGER_PERMISSION: 'ManageGuild' }, String(PermissionFlagsBits.Administrator))).toBe(true);
    expect(isManager({ DISCORD_MANAGER_PERMISSION: 'none' }, '0')).toBe(true);
  });
  test('changing someone else\'s post needs the manager permission, and Manage Server even when that is "none"', () => {
    const manage = String(PermissionFlagsBits.ManageGuild);
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'ManageGuild' }, manage)).toBe(true);
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'ManageGuild' }, String(SEND))).toBe(false);
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'ManageChannels' }, String(PermissionFlagsBits.ManageChannels))).toBe(true);
    // Anyone may publish and buy, but not everyone may edit or cancel everyone's posts.
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'none' }, String(SEND))).toBe(false);
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'none' }, manage)).toBe(true);
    expect(isGuildAdmin({ DISCORD_MANAGER_PERMISSION: 'none' }, String(PermissionFlagsBits.Administrator))).toBe(true);
  });
});

describe('rendering', () => {
  const post: PostView = {
    _id: 'p1',
    status: 'draft',
    topic: 'Weekly demos',
    content: 'We *love* demos_',
    hashtags: ['community'],
    bestTime: 'tuesday 09:00',
    generator: { kind: 'offline' },
    targets: [{ kind: 'discord', channelId: '4'.repeat(18) }],
    scheduledAt: new Date('2026-11-24T08:00:00Z'),
    timeZone: 'Europe/Berlin',
    results: [],
  };
  test('a draft: escaped text, Discord timestamps, best time, offline note, five buttons', () => {
    const v = renderPost(post, { now: NOW });
    const e = v.embeds[0]!;
    expect(e.description).toBe('We \\*love\\* demos\\_\n\n#community');
    expect(JSON.stringify(e.fields)).toContain('<t:1795507200:F>');
    expect(JSON.stringify(e.fields)).toContain('tuesday 09:00');
    expect(e.footer?.text).toContain('offline generator');
    expect(v.components[0]!.components).toHaveLength(5);
  });
  test('an ending has no buttons and says when the credit came back', () => {
    const failed = renderPost(
      {
        ...post,
        status: 'failed',
        reason: 'LinkedIn revoked the token',
        results: [{ target: post.targets[0]!, outcome: 'failed', error: 'Missing Access', attempts: 1 } as never],
      },
      { now: NOW, refunded: true },
    );
    expect(failed.components).toEqual([]);
    expect(failed.content).toContain('Your credit was refunded.');
    expect(JSON.stringify(failed.embeds)).toContain('LinkedIn revoked the token');
  });
  test('lists give buttons to at most five open posts; credits hide Buy from non-managers', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ ...post, _id: `p${i}`, status: 'scheduled' as const }));
    expect(renderPostList(many, NOW).components).toHaveLength(5);
    expect(renderPostList([], NOW).content).toContain('/post');
    const packs = [{ id: 'starter', name: 'Starter', credits: 50, price: '€5.00' }];
    expect(renderCredits({ balance: 3, movements: [], packs, canBuy: true }).components).toHaveLength(1);
    expect(renderCredits({ balance: 3, movements: [], packs, canBuy: false, buyPermission: 'Manage Server' })).toMatchObject({
      components: [],
      embeds: [{ footer: { text: expect.stringContaining('Manage Server') } }],
    });
    expect(escapeMarkdown('a|b>c`d')).toBe('a\\|b\\>c\\`d');
  });
});

describe('signatures', () => {
  test('Ed25519 over timestamp + body, with the public key as the portal shows it (hex)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const key = publicKeyFromHex(publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'));
    const body = Buffer.from('{"type":1}');
    const sig = sign(null, Buffer.concat([Buffer.from('1700000000'), body]), privateKey).toString('hex');
    const at = 1_700_000_000_000;
    expect(verifyInteraction(key, sig, '1700000000', body, at)).toBe(true);
    expect(verifyInteraction(key, sig, '1700000001', body, at)).toBe(false);
    expect(verifyInteraction(key, undefined, '1700000000', body, at)).toBe(false);
    // Correctly signed, but captured and replayed later (or sent from the future): refused.
    expect(verifyInteraction(key, sig, '1700000000', body, at + 301_000)).toBe(false);
    expect(verifyInteraction(key, sig, '1700000000', body, at - 301_000)).toBe(false);
    expect(verifyInteraction(key, sig, '1700000000', body, at + 299_000)).toBe(true);
    expect(() => publicKeyFromHex('abcd')).toThrow(/64 hex characters/);
  });
});
