// Drafts without Claude: usable, deterministic, and plainly marked as offline so nobody mistakes
// them for AI writing. What the product does when no ANTHROPIC_API_KEY is set.
import type { Draft, GenerateRequest, Tone } from '../../core/domain';
import { draftLength } from './prompt';
import type { DraftEvent, Generator } from './types';

export const OFFLINE_MARK = '[Offline draft — set ANTHROPIC_API_KEY for AI writing]';

const OPENERS: Record<Tone, (topic: string) => string> = {
  professional: (t) => `A few thoughts on ${t}.`,
  friendly: (t) => `Let's talk about ${t}!`,
  bold: (t) => `Hot take: ${t} deserves more attention than it gets.`,
  witty: (t) => `Nobody asked, but here is my take on ${t}.`,
  informative: (t) => `Here is what you need to know about ${t}.`,
  inspiring: (t) => `Every big step starts small — including ${t}.`,
};

const BODY = [
  'What matters most is starting with the problem, not the tool.',
  'Small, steady improvements beat one big push.',
  'Share what you learn along the way; someone else is stuck where you were.',
];

const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'your', 'about', 'into', 'what', 'why', 'how', 'are', 'our', 'you']);

export function hashtagsFor(topic: string): string[] {
  const words = topic.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  const tags = [...new Set(words.filter((w) => !STOP.has(w)))].slice(0, 3);
  return tags.length ? tags : ['postforge'];
}

function fit(req: GenerateRequest): Draft {
  const topic = req.topic.trim().replace(/\s+/g, ' ');
  const lang = /^en\b|^english$/i.test(req.language) ? '' : ` (offline drafts are in English; asked for ${req.language})`;
  const lines = [`${OFFLINE_MARK}${lang}`, OPENERS[req.tone](topic), ...BODY, 'What is your experience?'];
  let hashtags = hashtagsFor(topic);
  // Drop body lines, then tags, then cut the topic until it fits: the mark always stays.
  let content = lines.join('\n\n');
  while (draftLength({ content, hashtags }) > req.maxChars && lines.length > 2) {
    lines.splice(lines.length - 2, 1);
    content = lines.join('\n\n');
  }
  while (draftLength({ content, hashtags }) > req.maxChars && hashtags.length) hashtags = hashtags.slice(0, -1);
  if (draftLength({ content, hashtags }) > req.maxChars) content = content.slice(0, Math.max(0, req.maxChars - 1)).trimEnd() + '…';
  return { content, hashtags, bestTime: 'tuesday 09:00', generator: { kind: 'offline' } };
}

export function createOfflineGenerator(): Generator {
  return {
    async generate(req) {
      return fit(req);
    },
    async *stream(req): AsyncIterable<DraftEvent> {
      const draft = fit(req);
      const words = draft.content.split(/(?<=\s)/);
      const chunk = Math.max(1, Math.ceil(words.length / 5));
      for (let i = 0; i < words.length; i += chunk) yield { type: 'delta', text: words.slice(i, i + chunk).join('') };
      yield { type: 'done', draft };
    },
  };
}
