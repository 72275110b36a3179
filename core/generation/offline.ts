// Drafts without Claude: usable, deterministic, and plainly marked as offline so nobody mistakes
// them for AI writing. What the product does when no ANTHROPIC_API_KEY is set.
import type { Draft, GenerateRequest, Tone } from '../domain';
import { draftLength } from './prompt';
import type { DraftEvent, Generator } from './types';

/** The rule-of-thumb best time for a tone, before any draft exists (Discord's `when` autocomplete). */
export const bestTimeFor = (tone: Tone): string => TEMPLATES[tone].bestTime;

export const OFFLINE_MARK = '[Offline draft — set ANTHROPIC_API_KEY for AI writing]';

interface Template {
  opener: (topic: string) => string;
  body: string[];
  closer: string;
  /** Pads the hashtags when the topic gives fewer than two. */
  tag: string;
  /** A simple rule: weekday mornings for work feeds, lunchtime for lighter tones. */
  bestTime: string;
}

const TEMPLATES: Record<Tone, Template> = {
  professional: {
    opener: (t) => `A few thoughts on ${t}.`,
    body: [
      'What matters most is starting with the problem, not the tool.',
      'Small, steady improvements beat one big push.',
      'Measure what changes, and share what you learn with the people it affects.',
    ],
    closer: 'How does your team approach it?',
    tag: 'leadership',
    bestTime: 'tuesday 09:00',
  },
  friendly: {
    opener: (t) => `Let's talk about ${t}!`,
    body: [
      'I have been thinking about it a lot lately, and a few things stand out.',
      'Starting small makes it far less daunting.',
      'And it is always better with good people around you.',
    ],
    closer: 'What is your experience? I would love to hear it.',
    tag: 'community',
    bestTime: 'thursday 12:30',
  },
  bold: {
    opener: (t) => `Hot take: ${t} deserves more attention than it gets.`,
    body: ['Most people wait for the perfect moment. It never comes.', 'The ones who move first learn fastest.', 'Stop planning the next step. Take it.'],
    closer: 'Agree or disagree?',
    tag: 'hottake',
    bestTime: 'wednesday 08:00',
  },
  witty: {
    opener: (t) => `Nobody asked, but here is my take on ${t}.`,
    body: [
      'Step one: read everything about it. Step two: realise step one was procrastination.',
      'Turns out the secret ingredient is doing the thing.',
      'Who knew.',
    ],
    closer: 'Tell me I am not the only one.',
    tag: 'humor',
    bestTime: 'thursday 12:30',
  },
  informative: {
    opener: (t) => `Here is what you need to know about ${t}.`,
    body: [
      '1. Start with the problem it solves, not the hype around it.',
      '2. Try it on something small before you commit.',
      '3. Write down what worked, so the next person starts ahead.',
    ],
    closer: 'What would you add?',
    tag: 'learning',
    bestTime: 'tuesday 09:00',
  },
  inspiring: {
    opener: (t) => `Every big step starts small — including ${t}.`,
    body: [
      'You do not need to have it all figured out to begin.',
      'Progress is quiet, then suddenly obvious.',
      'Keep going; someone is learning from watching you try.',
    ],
    closer: 'What small step will you take this week?',
    tag: 'motivation',
    bestTime: 'wednesday 08:00',
  },
};

const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'that',
  'this',
  'from',
  'your',
  'about',
  'into',
  'what',
  'why',
  'how',
  'are',
  'our',
  'you',
  'its',
  'not',
  'but',
  'can',
  'all',
  'new',
]);

/** Two or three tags: the topic's first distinctive words, padded with one for the tone. */
export function hashtagsFor(topic: string, tone: Tone): string[] {
  const words = topic.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const tags: string[] = [];
  for (const w of words) {
    // Acronyms ("AI", "UX") are worth a tag; other short words rarely are.
    const keep = w.length >= 3 ? w.toLowerCase() : /^\p{Lu}{2}$/u.test(w) ? w : undefined;
    if (keep && !STOP.has(keep) && !tags.some((t) => t.toLowerCase() === keep.toLowerCase())) tags.push(keep.slice(0, 40));
    if (tags.length === 3) return tags;
  }
  for (const pad of [TEMPLATES[tone].tag, 'postforge']) if (tags.length < 2 && !tags.includes(pad)) tags.push(pad);
  return tags;
}

const isEnglish = (language: string) => /^(en([-_][a-z0-9]+)*|english\b.*)$/i.test(language.trim());

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let s = text.slice(0, Math.max(0, max - 1));
  // Never end on half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(s)) s = s.slice(0, -1);
  return `${s.trimEnd()}…`;
}

function draftFor(req: GenerateRequest): Draft {
  const t = TEMPLATES[req.tone];
  const topic = req.topic.trim().replace(/\s+/g, ' ');
  const note = isEnglish(req.language) ? '' : `\n(Offline drafts are in English; you asked for ${req.language.trim()}.)`;
  const head = `${OFFLINE_MARK}${note}`;
  const body = [...t.body];
  let hashtags = hashtagsFor(topic, req.tone);
  const compose = () => [head, t.opener(topic), ...body, t.closer].join('\n\n');
  let content = compose();
  // Shed body lines first, then cut the text but keep the tags, and drop the tags only when the
  // limit is so small that they would crowd out the mark that says this is offline.
  while (draftLength({ content, hashtags }) > req.maxChars && body.length > 0) {
    body.pop();
    content = compose();
  }
  if (draftLength({ content, hashtags }) > req.maxChars) {
    const room = req.maxChars - draftLength({ content: '', hashtags });
    if (room < head.length + 20) hashtags = [];
    content = cut(content, hashtags.length ? room : req.maxChars);
  }
  return { content, hashtags, bestTime: t.bestTime, generator: { kind: 'offline' } };
}

export function createOfflineGenerator(): Generator {
  return {
    async generate(req, signal) {
      signal?.throwIfAborted();
      return draftFor(req);
    },
    // A few word-aligned chunks, so a streaming front end behaves as it does with Claude.
    async *stream(req, signal): AsyncIterable<DraftEvent> {
      const draft = draftFor(req);
      const words = draft.content.split(/(?<=\s)/);
      const size = Math.max(1, Math.ceil(words.length / 4));
      for (let i = 0; i < words.length; i += size) {
        signal?.throwIfAborted();
        yield { type: 'delta', text: words.slice(i, i + size).join('') };
      }
      yield { type: 'done', draft };
    },
  };
}
