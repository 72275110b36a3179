import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BOT_SCOPES } from '../../../bots/slack/scopes';
import { ACTIONS, chunk, renderCredits, renderPost, renderPostList, slackTime, type PostView } from '../../../bots/slack/blocks';

const now = new Date('2026-03-02T10:00:00Z');
const base: PostView = {
  _id: 'a1b2c3d4e5f6a1b2c3d4e5f6',
  status: 'draft',
  topic: 'Why we moved to <Temporal>',
  content: 'We moved our scheduler & never looked back.',
  hashtags: ['temporal', 'engineering'],
  bestTime: 'tuesday 09:00',
  generator: { kind: 'claude', model: 'claude-sonnet-5-5' },
  targets: [{ kind: 'linkedin' }, { kind: 'slack', channel: 'C0GENERAL' }],
  scheduledAt: new Date('2026-03-03T08:00:00Z'),
  timeZone: 'Europe/Berlin',
  results: [],
};

const actionIds = (r: { blocks: unknown[] }) =>
  r.blocks.flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: { action_id: string }[] }).elements.map((e) => e.action_id) : []));
const allText = (r: { blocks: unknown[] }) => JSON.stringify(r.blocks);

describe('Slack blocks for a post', () => {
  it('a draft shows the text, hashtags, best time and the five review buttons carrying the post id', () => {
    const r = renderPost(base, { now });
    expect(actionIds(r)).toEqual([ACTIONS.approve, ACTIONS.edit, ACTIONS.regenerate, ACTIONS.schedule, ACTIONS.discard]);
    const text = allText(r);
    expect(text).toContain('We moved our scheduler &amp; never looked back.');
    expect(text).toContain('#temporal #engineering');
    expect(text).toContain('Suggested best time: tuesday 09:00');
    expect(text).toContain('&lt;Temporal&gt;');
    expect(text).toContain('<#C0GENERAL>');
    const buttons = r.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { value: string }[] };
    expect(buttons.elements.every((e) => e.value === base._id)).toBe(true);
    expect(r.text).toMatch(/Draft ready/);
  });

  it('a hand-written draft has nothing to regenerate from', () => {
    const { topic: _t, ...own } = base;
    expect(actionIds(renderPost(own, { now }))).not.toContain(ACTIONS.regenerate);
  });

  it('scheduled shows the time for each viewer’s own zone, with the author’s zone as fallback', () => {
    const r = renderPost({ ...base, status: 'scheduled' }, { now });
    const unix = base.scheduledAt.getTime() / 1000;
    expect(allText(r)).toContain(`<!date^${unix}^{date_short_pretty} at {time}|Tue 3 Mar 2026, 09:00 GMT+1>`);
    expect(actionIds(r)).toEqual([ACTIONS.edit, ACTIONS.schedule, ACTIONS.cancel]);
    // The fallback text is markup too: the topic is escaped there as in the blocks.
    expect(r.text).toBe('Scheduled “Why we moved to &lt;Temporal&gt;” for Tue 3 Mar 2026, 09:00 GMT+1.');
  });

  it('published lists each target with its permalink and offers no buttons', () => {
    const r = renderPost(
      {
        ...base,
        status: 'published',
        results: [
          { key: 'linkedin', target: { kind: 'linkedin' }, outcome: 'published', url: 'https://www.linkedin.com/feed/update/urn:li:share:1' },
          { key: 'slack:C0GENERAL', target: { kind: 'slack', channel: 'C0GENERAL' }, outcome: 'failed', error: 'not_in_channel' },
        ],
      },
      { now },
    );
    expect(actionIds(r)).toEqual([]);
    expect(allText(r)).toContain('<https://www.linkedin.com/feed/update/urn:li:share:1|view post>');
    expect(allText(r)).toContain(':x: <#C0GENERAL> — not_in_channel');
  });

  it('failed shows the reason and, only when it happened, the refund', () => {
    const failed = { ...base, status: 'failed' as const, reason: 'publish_failed: linkedin: token revoked' };
    expect(allText(renderPost(failed, { now, refunded: true }))).toContain('Your credit was refunded.');
    expect(renderPost(failed, { now, refunded: true }).text).toMatch(/Credit refunded/);
    expect(allText(renderPost(failed, { now }))).not.toContain('refunded');
    expect(allText(renderPost(failed, { now }))).toContain('Reason: publish_failed: linkedin: token revoked');
  });

  it('splits a long draft over sections of at most 3,000 characters', () => {
    const long = 'word '.repeat(1900);
    const r = renderPost({ ...base, content: long, hashtags: [] }, { now });
    const sections = r.blocks.filter((b) => (b as { type: string }).type === 'section') as { text: { text: string } }[];
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(
      sections
        .map((s) => s.text.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ).toContain(long.trim().slice(0, 200));
    expect(chunk('a'.repeat(7000)).map((c) => c.length)).toEqual([2900, 2900, 1200]);
  });

  it('slackTime falls back to UTC text for an unknown zone rather than throwing', () => {
    expect(slackTime(new Date('2026-01-01T00:00:00Z'), 'Not/AZone')).toContain('|2026-01-01T00:00:00.000Z>');
  });

  it('the list offers Cancel for scheduled and Discard for drafts, none for finished posts', () => {
    const r = renderPostList(
      [
        { ...base, status: 'scheduled' },
        { ...base, _id: 'b'.repeat(24), status: 'draft' },
        { ...base, _id: 'c'.repeat(24), status: 'published' },
      ],
      { now },
    );
    expect(actionIds(r)).toEqual([ACTIONS.schedule, ACTIONS.cancel, ACTIONS.schedule, ACTIONS.discard]);
    expect(renderPostList([]).text).toBe('No posts yet.');
  });

  it('credits show the balance, movements and a Buy button per pack', () => {
    const r = renderCredits({
      balance: 7,
      movements: [{ amount: -1, reason: 'Post abc', at: now }],
      packs: [
        { id: 'starter', name: 'Starter', credits: 10, price: '$5.00' },
        { id: 'pro', name: 'Pro', credits: 150, price: '$50.00' },
      ],
    });
    expect(r.text).toBe('Credits: 7');
    expect(allText(r)).toContain('-1 · Post abc · 2 Mar 10:00');
    const buy = r.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(buy.elements.map((e) => [e.action_id, e.value])).toEqual([
      [ACTIONS.buy, 'starter'],
      [ACTIONS.buy, 'pro'],
    ]);
  });
});

describe('manifest.yml', () => {
  it('declares the command, the scopes the code asks for, and one events URL for everything', () => {
    const m = YAML.parse(fs.readFileSync(path.join(__dirname, '../../../bots/slack/manifest.yml'), 'utf8'));
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/postforge']);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    const urls = [m.features.slash_commands[0].url, m.settings.interactivity.request_url, m.settings.event_subscriptions.request_url];
    expect(new Set(urls)).toEqual(new Set(['https://postforge.example.com/slack/events']));
    expect(m.oauth_config.redirect_urls).toEqual(['https://postforge.example.com/slack/oauth_redirect']);
    expect(m.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });
});
