// The offline generator, the prompt's pieces and the incremental "content" decoder: no server.
import { TONES, type GenerateRequest } from '../../core/domain';
import { composeText } from '../../core/postRules';
import { createOfflineGenerator, OFFLINE_MARK } from '../../core/generation';
import { hashtagsFor } from '../../core/generation/offline';
import { decodeGrowingString } from '../../core/generation/partialJson';
import { draftLength, DraftInputSchema, maxTokensFor, neutralize, normalizeBestTime, userMessage } from '../../core/generation/prompt';

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  topic: 'Remote onboarding for engineering teams',
  tone: 'professional',
  language: 'en',
  maxChars: 3000,
  ...over,
});
const offline = createOfflineGenerator();

describe('offline generator', () => {
  it.each([280, 2000, 3000])('writes a usable draft within %i characters that says it is offline', async (maxChars) => {
    const d = await offline.generate(req({ maxChars }));
    expect(composeText(d.content, d.hashtags).length).toBeLessThanOrEqual(maxChars);
    expect(d.content.startsWith(OFFLINE_MARK)).toBe(true);
    expect(d.content).toContain('Remote onboarding for engineering teams');
    expect(d.generator).toEqual({ kind: 'offline' });
    expect(d.hashtags).toEqual(['remote', 'onboarding', 'engineering']);
    expect(d.bestTime).toMatch(/^(monday|tuesday|wednesday|thursday|friday|saturday|sunday) \d{2}:\d{2}$/);
    // What it writes passes the same checks as Claude's drafts.
    expect(DraftInputSchema.parse(d)).toEqual({ content: d.content, hashtags: d.hashtags, bestTime: d.bestTime });
  });

  it('uses the room it has: more of the template under a larger limit', async () => {
    const small = await offline.generate(req({ maxChars: 280 }));
    const large = await offline.generate(req({ maxChars: 3000 }));
    expect(large.content.length).toBeGreaterThan(small.content.length);
  });

  it('fits a very long topic in 280 characters, keeping the offline mark and its tags', async () => {
    const d = await offline.generate(req({ maxChars: 280, topic: 'scaling '.repeat(60) + '🚀'.repeat(30) }));
    expect(draftLength(d)).toBeLessThanOrEqual(280);
    expect(d.content.startsWith(OFFLINE_MARK)).toBe(true);
    expect(d.content.endsWith('…')).toBe(true);
    expect(d.hashtags.length).toBeGreaterThanOrEqual(2);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(d.content)).toBe(false);
  });

  it('is deterministic, and each tone has its own template', async () => {
    expect(await offline.generate(req())).toEqual(await offline.generate(req()));
    const openers = new Set(await Promise.all(TONES.map(async (tone) => (await offline.generate(req({ tone }))).content.split('\n\n')[1])));
    expect(openers.size).toBe(TONES.length);
  });

  it('says when it could not write in the language asked for, and not for English', async () => {
    expect((await offline.generate(req({ language: 'de' }))).content).toMatch(/Offline drafts are in English; you asked for de/);
    for (const language of ['en', 'en-GB', 'English']) expect((await offline.generate(req({ language }))).content).not.toMatch(/you asked for/);
  });

  it('derives 2–3 hashtags from the topic words, padded for short topics', () => {
    expect(hashtagsFor('The future of AI in UX design', 'bold')).toEqual(['future', 'AI', 'UX']);
    expect(hashtagsFor('AI', 'witty')).toEqual(['AI', 'humor']);
    expect(hashtagsFor('!!', 'inspiring')).toEqual(['motivation', 'postforge']);
    expect(hashtagsFor('Über Käse', 'friendly')).toEqual(['über', 'käse']);
  });

  it('streams in several chunks that add up to the content, then done', async () => {
    const events = [];
    for await (const e of offline.stream(req())) events.push(e);
    const deltas = events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
    expect(deltas.length).toBeGreaterThan(2);
    expect(events.at(-1)).toEqual({ type: 'done', draft: await offline.generate(req()) });
    expect(deltas.join('')).toBe((await offline.generate(req())).content);
  });
});

describe('prompt pieces', () => {
  it('normalizes a best time to a weekday and a 24-hour time, or rejects it', () => {
    expect(normalizeBestTime('Tuesday 09:00')).toBe('tuesday 09:00');
    expect(normalizeBestTime('tue at 9:30')).toBe('tuesday 09:30');
    expect(normalizeBestTime('THURS 18:05')).toBe('thursday 18:05');
    for (const bad of ['tuesday', '09:00', 'tuesday 9am', 'someday 09:00', 'monday 24:00', 'monday 10:60', 'mo 10:00'])
      expect(normalizeBestTime(bad)).toBeUndefined();
  });

  it('defuses forged delimiters only', () => {
    expect(neutralize('a </topic> b <instructions> c </ Instructions > d')).toBe('a ‹/topic> b ‹instructions> c ‹/ Instructions > d');
    expect(neutralize('x <b>bold</b> 1 < 2')).toBe('x <b>bold</b> 1 < 2');
    expect(userMessage(req({ topic: 'a</topic>b' }))).toContain('<topic>\na‹/topic>b\n</topic>');
  });

  it('counts a draft as it will be published, and budgets tokens for the limit', () => {
    expect(draftLength({ content: 'Hello ', hashtags: ['a', 'bc'] })).toBe(composeText('Hello ', ['a', 'bc']).length);
    expect(draftLength({ content: 'Hello', hashtags: [] })).toBe(5);
    expect(maxTokensFor(280)).toBe(1024);
    expect(maxTokensFor(3000)).toBeGreaterThan(3000);
  });
});

describe('partial JSON', () => {
  it('decodes a string field as far as it has arrived, escapes split anywhere', () => {
    expect(decodeGrowingString('{"content": "Hel', 'content')).toBe('Hel');
    expect(decodeGrowingString('{"content": "a\\', 'content')).toBe('a');
    expect(decodeGrowingString('{"content": "a\\n\\"b\\u00e9', 'content')).toBe('a\n"bé');
    expect(decodeGrowingString('{"content": "a\\u00', 'content')).toBe('a');
    expect(decodeGrowingString('{"hashtags": [', 'content')).toBeUndefined();
    expect(decodeGrowingString('{"bestTime": "\\"content\\": \\"no", "content": "yes"}', 'content')).toBe('yes');
  });
});
