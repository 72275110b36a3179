// `/postforge …` text → a typed command, or a message saying what was wrong with an example that
// works. Pure: no Slack, no database, so every rejection is decided before anything is charged.
import { z } from 'zod';
import { LanguageSchema, TONES, ToneSchema } from '../../core/domain';
import { escapeSlackText, unescapeSlackText } from '../../core/slackText';
import { WEEKDAYS, type Weekday } from '../../core/time/slots';

export const COMMAND = '/postforge';

export const EXAMPLES = {
  write: `${COMMAND} write Why we moved our scheduler to Temporal tone:witty at:tomorrow 9am to:#general,linkedin`,
  list: `${COMMAND} list`,
  credits: `${COMMAND} credits`,
  connect: `${COMMAND} connect linkedin`,
  key: `${COMMAND} key`,
  dashboard: `${COMMAND} dashboard`,
  queue: `${COMMAND} queue set weekdays 08:30 12:00`,
  series: `${COMMAND} series Our engineering culture every:mon 09:00 tone:friendly to:#general`,
} as const;

/** Where a post goes, as typed in Slack; a channel is checked against the workspace later. */
export type TargetSpec = { kind: 'linkedin' } | { kind: 'slack'; channel: string; name?: string } | { kind: 'webhook'; url: string };

export type SlackCommand =
  | { kind: 'help' }
  | { kind: 'write'; topic: string; tone?: (typeof TONES)[number]; language?: string; when?: string; targets: TargetSpec[] }
  | { kind: 'list' }
  | { kind: 'credits' }
  | { kind: 'connect'; provider: 'linkedin' }
  | { kind: 'key' }
  | { kind: 'dashboard' }
  | { kind: 'queue-show' }
  | { kind: 'queue-settings' }
  | { kind: 'queue-set'; days: Weekday[]; times: string[] }
  | { kind: 'series-list' }
  | { kind: 'series-action'; action: 'pause' | 'resume' | 'run' | 'delete'; seriesId: string }
  | {
      kind: 'series-create';
      theme: string;
      tone?: (typeof TONES)[number];
      language?: string;
      recurrence: { kind: 'weekly'; days: Weekday[]; time: string } | { kind: 'cron'; expression: string };
      requireApproval: boolean;
      targets: TargetSpec[];
    };

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
const SERIES_OPTION = /(^|\s)(tone|lang|to|every|cron|approve):(?=\S)/gi;

/** Splits "topic words key:value words key:value" into the topic and each option's value. */
function splitOptions(text: string, pattern: RegExp = OPTION): { topic: string; options: Map<string, string>; repeated?: string } {
  const marks = [...text.matchAll(pattern)].map((m) => ({
    key: (m[2] ?? '').toLowerCase(),
    start: (m.index ?? 0) + (m[1] ?? '').length,
    valueStart: (m.index ?? 0) + m[0].length,
  }));
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
    case 'dashboard':
      return { ok: true, command: { kind: sub } };
    case 'connect': {
      const provider = (rest[0] ?? '').toLowerCase();
      if (provider !== 'linkedin') {
        return {
          ok: false,
          error: provider ? `I can't connect "${rest[0]}" yet; only LinkedIn.` : 'Connect what? Only LinkedIn for now.',
          example: EXAMPLES.connect,
        };
      }
      return { ok: true, command: { kind: 'connect', provider: 'linkedin' } };
    }
    case 'write':
      return parseWrite(args);
    case 'series':
      return parseSeries(args);
    case 'queue':
      return parseQueue(args);
    default:
      return {
        ok: false,
        error: `I don't know the subcommand "${head}". Try write, series, queue, list, credits, dashboard, connect linkedin, key or help.`,
        example: EXAMPLES.write,
      };
  }
}

function parseWrite(args: string): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error, example: EXAMPLES.write });
  // "… when queue" at the very end (or at:queue) puts the post in the workspace's next free slot.
  const queueWords = /\s+when\s+queue$/i;
  const queued = queueWords.test(args);
  const { topic: rawTopic, options, repeated } = splitOptions(queued ? args.replace(queueWords, '') : args);
  if (repeated) return fail(`${repeated}: is given twice; give it once.`);
  if (queued) {
    if (options.has('at')) return fail('Give either at:<time> or "when queue", not both.');
    options.set('at', 'queue');
  }
  // Slack sends what was typed with `&`, `<`, `>` escaped; Claude and the schedule parser get it as
  // typed. Targets stay escaped: Slack's channel and link markup is how they are read.
  const typed = (key: string) => {
    const v = options.get(key);
    return v === undefined ? undefined : unescapeSlackText(v);
  };
  const topic = unescapeSlackText(rawTopic);
  const tone = typed('tone')?.toLowerCase();
  if (tone !== undefined && !(TONES as readonly string[]).includes(tone))
    return fail(`Unknown tone "${escapeSlackText(tone)}". Pick one of: ${TONES.join(', ')}.`);
  const parsed = WriteSchema.safeParse({ topic, tone, language: typed('lang'), when: typed('at') });
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

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_WORDS: Record<string, Weekday[]> = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  daily: [...WEEKDAYS],
  everyday: [...WEEKDAYS],
};

/** "mon,wed 09:00", "weekdays 8:30", "friday 12:00" → days and HH:MM. */
export function parseEvery(text: string): { ok: true; days: Weekday[]; time: string } | { ok: false; error: string } {
  const m = /^(.+?)\s+(\d{1,2}):(\d{2})$/.exec(text.trim());
  const bad = { ok: false as const, error: `every: needs days and a time, like every:mon,wed 09:00 or every:weekdays 08:30.` };
  if (!m) return bad;
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59) return bad;
  const days = new Set<Weekday>();
  for (const word of m[1]!
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const named = DAY_WORDS[word] ?? WEEKDAYS.filter((d, i) => word.length >= 3 && DAY_NAMES[i]!.startsWith(word));
    if (!named.length) return { ok: false, error: `"${word}" is not a day. Use mon, tue, wed, thu, fri, sat, sun, weekdays or daily.` };
    for (const d of named) days.add(d);
  }
  return { ok: true, days: WEEKDAYS.filter((d) => days.has(d)), time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

/** `queue` shows the posting schedule and next free slots; `queue set <days> <HH:MM> [HH:MM…]` sets it. */
function parseQueue(args: string): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error, example: EXAMPLES.queue });
  const [verb = '', ...rest] = args.split(/\s+/).filter(Boolean);
  if (!verb || verb.toLowerCase() === 'show') return { ok: true, command: { kind: 'queue-show' } };
  if (verb.toLowerCase() === 'settings' && !rest.length) return { ok: true, command: { kind: 'queue-settings' } };
  if (verb.toLowerCase() !== 'set') return fail(`\`${COMMAND} queue\` shows the posting schedule; \`${COMMAND} queue set <days> <times>\` sets it.`);
  const times = rest.filter((t) => /^\d{1,2}:\d{2}$/.test(t));
  const days = rest.filter((t) => !/^\d{1,2}:\d{2}$/.test(t)).join(',');
  if (!days || !times.length) return fail('Give days and at least one time, like `queue set weekdays 08:30 12:00` or `queue set mon,wed,fri 09:00`.');
  const normalized: string[] = [];
  let parsedDays: Weekday[] = [];
  for (const t of times) {
    const e = parseEvery(`${days} ${t}`);
    if (!e.ok) return fail(e.error.replace('every:', 'queue set'));
    parsedDays = e.days;
    normalized.push(e.time);
  }
  return { ok: true, command: { kind: 'queue-set', days: parsedDays, times: [...new Set(normalized)].sort() } };
}

function parseSeries(args: string): ParseResult {
  const fail = (error: string): ParseResult => ({ ok: false, error, example: EXAMPLES.series });
  const [first = '', second = ''] = args.split(/\s+/);
  const verb = first.toLowerCase();
  if (verb === 'list' || verb === '') return { ok: true, command: { kind: 'series-list' } };
  if (['pause', 'resume', 'run', 'delete'].includes(verb) && args.split(/\s+/).length === 2) {
    if (!/^ser_[a-f0-9]{20}$/.test(second)) return fail(`"${second}" is not a series id; \`${COMMAND} series list\` shows them (ser_…).`);
    return { ok: true, command: { kind: 'series-action', action: verb as 'pause', seriesId: second } };
  }
  const { topic, options, repeated } = splitOptions(args, SERIES_OPTION);
  if (repeated) return fail(`${repeated}: is given twice; give it once.`);
  const parsed = WriteSchema.safeParse({ topic, tone: options.get('tone')?.toLowerCase(), language: options.get('lang') });
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? 'That series could not be read.');
  const every = options.get('every');
  const cron = options.get('cron');
  if ((every === undefined) === (cron === undefined))
    return fail('Say when with every:<days> <time> (like every:mon 09:00) or cron:"0 9 * * MON", one of the two.');
  let recurrence: Extract<SlackCommand, { kind: 'series-create' }>['recurrence'];
  if (every !== undefined) {
    const e = parseEvery(every);
    if (!e.ok) return fail(e.error);
    recurrence = { kind: 'weekly', days: e.days, time: e.time };
  } else {
    recurrence = { kind: 'cron', expression: cron! };
  }
  const approve = (options.get('approve') ?? 'yes').toLowerCase();
  if (!['yes', 'no'].includes(approve)) return fail('approve: is yes (each draft waits for approval here, the default) or no (published as written).');
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
      kind: 'series-create',
      theme: v.topic,
      ...(v.tone ? { tone: v.tone } : {}),
      ...(v.language ? { language: v.language } : {}),
      recurrence,
      requireApproval: approve === 'yes',
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
  `• \`${COMMAND} queue\` — the posting schedule and its next free slots; \`${COMMAND} queue settings\` (a form) or \`${EXAMPLES.queue}\` sets it (admins), in your Slack time zone`,
  `• \`${COMMAND} series <theme> every:<days> <HH:MM> [cron:"0 9 * * MON"] [tone:] [lang:] [to:] [approve:yes|no]\` — a post on that theme at every occurrence, drafts approved here (\`series list\`, \`series pause|resume|run|delete <id>\`)`,
  `    e.g. \`${EXAMPLES.series}\``,
  `• \`${EXAMPLES.list}\` — scheduled and recent posts, with Cancel and Reschedule`,
  `• \`${EXAMPLES.credits}\` — your workspace's balance, last movements, and credit packs to buy`,
  `• \`${EXAMPLES.connect}\` — connect your LinkedIn so posts can go out as you`,
  `• \`${EXAMPLES.dashboard}\` — a one-time link to the web dashboard: calendar, posts, credits`,
  `• \`${EXAMPLES.key}\` — an API key for the PostForge browser extension (shown once)`,
].join('\n');
