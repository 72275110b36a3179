// `/postforge …` text → a typed command, or a message saying what was wrong with an example that
// works. Pure: no Slack, no database, so every rejection is decided before anything is charged.
import { z } from 'zod';
import { LanguageSchema, TONES, ToneSchema } from '../../core/domain';

export const COMMAND = '/postforge';

export const EXAMPLES = {
  write: `${COMMAND} write Why we moved our scheduler to Temporal tone:witty at:tomorrow 9am to:#general,linkedin`,
  list: `${COMMAND} list`,
  credits: `${COMMAND} credits`,
  connect: `${COMMAND} connect linkedin`,
  key: `${COMMAND} key`,
} as const;

/** Where a post goes, as typed in Slack; a channel is checked against the workspace later. */
export type TargetSpec =
  | { kind: 'linkedin' }
  | { kind: 'slack'; channel: string; name?: string }
  | { kind: 'webhook'; url: string };

export type SlackCommand =
  | { kind: 'help' }
  | { kind: 'write'; topic: string; tone?: (typeof TONES)[number]; language?: string; when?: string; targets: TargetSpec[] }
  | { kind: 'list' }
  | { kind: 'credits' }
  | { kind: 'connect'; provider: 'linkedin' }
  | { kind: 'key' };

export type ParseResult = { ok: true; command: SlackCommand } | { ok: false; error: string; example: string };

const TOPIC_MAX = 500;

const WriteSchema = z.object({
  topic: z
    .string()
    .trim()
    .min(1, 'Tell me what to write about.')
    .min(3, 'The topic needs at least 3 characters.')
    .max(TOPIC_MAX, `The topic is too long: at most ${TOPIC_MAX} characters.`),
  tone: ToneSchema.optional(),
  language: LanguageSchema.optional(),
  when: z.string().trim().min(1, 'at: needs a time, like at:tomorrow 9am.').max(100, 'at: is at most 100 characters.').optional(),
});

// An option is `key:value` with no space after the colon, so a topic like "How to: scale" stays text.
const OPTION = /(^|\s)(tone|lang|at|to):(?=\S)/gi;

/** Splits "topic words key:value words key:value" into the topic and each option's value. */
function splitOptions(text: string): { topic: string; options: Map<string, string>; repeated?: string } {
  const marks = [...text.matchAll(OPTION)].map((m) => ({ key: (m[2] ?? '').toLowerCase(), start: (m.index ?? 0) + (m[1] ?? '').length, valueStart: (m.index ?? 0) + m[0].length }));
  const options = new Map<string, string>();
  let repeated: string | undefined;
  marks.forEach((m, i) => {
    const end = marks[i + 1]?.start ?? text.length;
    if (options.has(m.key)) repeated ??= m.key;
    options.set(m.key, unquote(text.slice(m.valueStart, end).trim()));
  });
  const topic = text.slice(0, marks[0]?.start ?? text.length).trim();
  return { topic, options, ...(repeated ? { repeated } : {}) };
}

const unquote = (v: string): string => v.replace(/^["“'](.*)["”']$/s, '$1').trim();

/**
 * Slack escapes channels as <#C123|name> (with `should_escape`), links as <https://…>. Accepts
 * those, bare ids, #names, `linkedin` and `webhook:<url>`, separated by commas or spaces.
 */
export function parseTargets(text: string): { ok: true; targets: TargetSpec[] } | { ok: false; error: string } {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  const targets: TargetSpec[] = [];
  for (const raw of tokens) {
    const t = raw.trim();
    let m: RegExpExecArray | null;
    if (/^linkedin$/i.test(t)) targets.push({ kind: 'linkedin' });
    else if ((m = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/.exec(t))) targets.push({ kind: 'slack', channel: m[1] ?? '', ...(m[2] ? { name: m[2] } : {}) });
    else if ((m = /^#([a-z0-9][a-z0-9._-]{0,79})$/i.exec(t))) targets.push({ kind: 'slack', channel: m[1] ?? '', name: m[1] ?? '' });
    else if (/^[CG][A-Z0-9]{8,}$/.test(t)) targets.push({ kind: 'slack', channel: t });
    else if ((m = /^webhook:<?(https?:\/\/[^\s|>]+)(?:\|[^>]*)?>?$/i.exec(t))) {
      const url = m[1] ?? '';
      if (!URL.canParse(url)) return { ok: false, error: `"${url}" is not a valid webhook URL.` };
      targets.push({ kind: 'webhook', url });
    } else {
      return { ok: false, error: `I don't know the target "${t}". Use linkedin, a channel like #general, or webhook:https://…` };
    }
  }
  const seen = new Set<string>();
  const unique = targets.filter((t) => {
    const key = t.kind === 'slack' ? `slack:${t.channel}` : t.kind === 'webhook' ? `webhook:${t.url}` : 'linkedin';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return { ok: false, error: 'to: needs at least one target.' };
  if (unique.length > 5) return { ok: false, error: 'At most 5 targets per post.' };
  return { ok: true, targets: unique };
}

export function parseCommand(text: string): ParseResult {
  const trimmed = text.trim();
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const sub = head.toLowerCase();
  const args = trimmed.slice(head.length).trim();
  switch (sub) {
    case '':
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'list':
    case 'credits':
    case 'key':
      return { ok: true, command: { kind: sub } };
    case 'connect': {
      const provider = (rest[0] ?? '').toLowerCase();
      if (provider !== 'linkedin') {
        return { ok: false, error: provider ? `I can't connect "${rest[0]}" yet; only LinkedIn.` : 'Connect what? Only LinkedIn for now.', example: EXAMPLES.connect };
      }
      return { ok: true, command: { kind: 'connect', provider: 'linkedin' } };
    }
    case 'write':
      return parseWrite(args);
    default:
      return { ok: false, error: `I don't know the subcommand "${head}". Try write, list, credits, connect linkedin, key or help.`, example: EXAMPLES.write };
  }
}

function parseWrite(args: string): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error, example: EXAMPLES.write });
  // "… when queue" at the very end (or at:queue) puts the post in the workspace's next free slot.
  const queueWords = /\s+when\s+queue$/i;
  const queued = queueWords.test(args);
  const { topic, options, repeated } = splitOptions(queued ? args.replace(queueWords, '') : args);
  if (repeated) return fail(`${repeated}: is given twice; give it once.`);
  if (queued) {
    if (options.has('at')) return fail('Give either at:<time> or "when queue", not both.');
    options.set('at', 'queue');
  }
  const tone = options.get('tone')?.toLowerCase();
  if (tone !== undefined && !(TONES as readonly string[]).includes(tone)) return fail(`Unknown tone "${tone}". Pick one of: ${TONES.join(', ')}.`);
  const parsed = WriteSchema.safeParse({ topic, tone, language: options.get('lang'), when: options.get('at') });
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? 'That command could not be read.');
  let targets: TargetSpec[] = [{ kind: 'linkedin' }];
  const to = options.get('to');
  if (to !== undefined) {
    const t = parseTargets(to);
    if (!t.ok) return fail(t.error);
    targets = t.targets;
  }
  const v = parsed.data;
  return {
    ok: true,
    command: {
      kind: 'write',
      topic: v.topic,
      ...(v.tone ? { tone: v.tone } : {}),
      ...(v.language ? { language: v.language } : {}),
      ...(v.when ? { when: v.when } : {}),
      targets,
    },
  };
}

export const HELP_TEXT = [
  '*PostForge* writes a post with Claude for one credit, holds it until its time and publishes it. If it cannot be delivered, the credit comes back.',
  '',
  `• \`${COMMAND} write <topic> [tone:<tone>] [lang:<language>] [at:<when>] [to:<targets>]\` — draft a post; you review it before anything is published.`,
  `    add \`when queue\` (or \`at:queue\`) to take the next free slot of the posting schedule (\`PUT /v1/queue/schedule\`)`,
  `    tones: ${TONES.join(', ')} · when: "tomorrow 9am", "friday 14:30", "2026-12-01 09:00" in your Slack time zone · targets: linkedin (default), #channel, webhook:https://…`,
  `    e.g. \`${EXAMPLES.write}\``,
  `• \`${EXAMPLES.list}\` — scheduled and recent posts, with Cancel and Reschedule`,
  `• \`${EXAMPLES.credits}\` — your workspace's balance, last movements, and credit packs to buy`,
  `• \`${EXAMPLES.connect}\` — connect your LinkedIn so posts can go out as you`,
  `• \`${EXAMPLES.key}\` — an API key for the PostForge browser extension (shown once)`,
].join('\n');
