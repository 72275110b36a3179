// Reading /series and /queue options into the services' own bodies, checked by the services' zod
// schemas. Pure (no Discord, no database): every refusal is decided before anything is created.
import { isValidTimeZone } from '../../core/time';
import { WEEKDAYS, readTimesOfDay, type Weekday } from '../../core/time/slots';
import { CreateSeriesSchema, PatchSeriesSchema, type CreateSeriesBody, type PatchSeriesBody } from '../../services/series';
import { EXAMPLES, type Options } from './commands';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; example: string };

/** A subcommand's name and its own options (Discord nests them one level down). */
export function subcommandOf(options: Options | undefined): { name: string; options: Options } | undefined {
  const sub = options?.[0];
  if (!sub || !('options' in sub) || sub.type !== 1) return sub && sub.type === 1 ? { name: sub.name, options: [] } : undefined;
  return { name: sub.name, options: (sub.options ?? []) as Options };
}

export function text(options: Options, name: string): string | undefined {
  const o = options.find((x) => x.name === name);
  const v = o && 'value' in o && typeof o.value === 'string' ? o.value.trim() : undefined;
  return v === '' ? undefined : v;
}

export function flag(options: Options, name: string): boolean | undefined {
  const o = options.find((x) => x.name === name);
  return o && 'value' in o && typeof o.value === 'boolean' ? o.value : undefined;
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_WORDS: Record<string, readonly Weekday[]> = { weekdays: WEEKDAYS.slice(0, 5), weekends: ['sat', 'sun'], daily: WEEKDAYS, everyday: WEEKDAYS };

/** "mon,wed", "weekdays", "Friday" → days in week order. */
export function parseDays(input: string): { ok: true; days: Weekday[] } | { ok: false; error: string } {
  const days = new Set<Weekday>();
  for (const word of input
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const named = DAY_WORDS[word] ?? WEEKDAYS.filter((_, i) => word.length >= 3 && DAY_NAMES[i]!.startsWith(word));
    if (!named.length) return { ok: false, error: `"${word}" is not a day. Use mon, tue, wed, thu, fri, sat, sun, weekdays, weekends or daily.` };
    for (const d of named) days.add(d);
  }
  if (!days.size) return { ok: false, error: 'Give at least one day, like mon,wed or weekdays.' };
  return { ok: true, days: WEEKDAYS.filter((d) => days.has(d)) };
}

export const EXPIRY_MIN_MS = 15 * 60_000;
export const EXPIRY_MAX_MS = 14 * 86_400_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90m", "24h", "3d" → ms, within 15 minutes and 14 days. */
export function parseExpiry(input: string): { ok: true; ms: number } | { ok: false; error: string } {
  const m = /^(\d{1,4})\s*([mhd])$/i.exec(input.trim());
  const bad = { ok: false as const, error: `expires:${input} is not a duration; use minutes, hours or days between 15m and 14d, like 24h or 3d.` };
  if (!m) return bad;
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  return ms < EXPIRY_MIN_MS || ms > EXPIRY_MAX_MS ? bad : { ok: true, ms };
}

type Recurrence = CreateSeriesBody['recurrence'];

/** days+time or cron, one of the two; undefined when neither is given (an edit that keeps it). */
function readRecurrence(options: Options): { ok: true; recurrence?: Recurrence } | { ok: false; error: string } {
  const days = text(options, 'days');
  const time = text(options, 'time');
  const cron = text(options, 'cron');
  if (cron !== undefined && (days !== undefined || time !== undefined)) return { ok: false, error: 'Give either days and time, or cron, not both.' };
  if (cron !== undefined) return { ok: true, recurrence: { kind: 'cron', expression: cron } };
  if (days === undefined && time === undefined) return { ok: true };
  if (days === undefined || time === undefined) return { ok: false, error: 'A weekly series needs both days (like mon,wed) and time (like 09:00).' };
  const d = parseDays(days);
  if (!d.ok) return d;
  const t = readTimesOfDay(time);
  if (!t.ok) return t;
  if (t.times.length !== 1) return { ok: false, error: 'A series runs once at each of its days: give one time, like 09:00.' };
  return { ok: true, recurrence: { kind: 'weekly', days: d.days, time: t.times[0]! } };
}

export interface SeriesCreateRequest {
  /** The body for services/series, except its targets (the adapter decides where those are). */
  body: Omit<CreateSeriesBody, 'targets'>;
  channelId?: string;
  linkedin: boolean;
  /** Each draft waits for approval in the channel the command ran in. */
  approveInChannel: boolean;
  draftExpiryMs?: number;
}

const OPTION_OF: Record<string, (path: PropertyKey[]) => string> = {
  recurrence: (path) => ({ expression: 'cron', time: 'time', days: 'days' })[String(path[1])] ?? 'recurrence',
  timeZone: () => 'timezone',
};

const firstIssue = (err: { issues: ReadonlyArray<{ message: string; path: PropertyKey[] }> }): string => {
  const issue = err.issues[0];
  if (!issue) return 'That series could not be read.';
  // Named as the options are, not as the service's body is.
  const field = OPTION_OF[String(issue.path[0])]?.(issue.path) ?? issue.path.join('.');
  return field && !issue.message.includes(field) ? `${field}: ${issue.message}` : issue.message;
};

function readZone(options: Options, fallback: string): { ok: true; timeZone: string } | { ok: false; error: string } {
  const timeZone = text(options, 'timezone') ?? fallback;
  return isValidTimeZone(timeZone)
    ? { ok: true, timeZone }
    : { ok: false, error: `Unknown time zone "${timeZone}". Use a name like Europe/Berlin or America/New_York.` };
}

function readApproval(options: Options): { approval?: boolean; expiry?: { ok: true; ms: number } | { ok: false; error: string } } {
  const approval = text(options, 'approval');
  const expires = text(options, 'expires');
  return {
    ...(approval !== undefined ? { approval: approval !== 'auto' } : {}),
    ...(expires !== undefined ? { expiry: parseExpiry(expires) } : {}),
  };
}

export function parseSeriesCreate(options: Options, defaults: { timeZone: string }): Parsed<SeriesCreateRequest> {
  const fail = (error: string, example: string = EXAMPLES.series): Parsed<SeriesCreateRequest> => ({ ok: false, error, example });
  const rec = readRecurrence(options);
  if (!rec.ok) return fail(rec.error);
  if (!rec.recurrence) return fail('Say when: days and time (like days:mon time:09:00) or cron (like cron:0 9 * * MON).');
  const zone = readZone(options, defaults.timeZone);
  if (!zone.ok) return fail(zone.error);
  const { approval = true, expiry } = readApproval(options);
  if (expiry && !expiry.ok) return fail(expiry.error);
  if (expiry && !approval) return fail('expires is for drafts waiting for approval; leave it out with approval:auto-publish.');
  const parsed = CreateSeriesSchema.omit({ targets: true }).safeParse({
    theme: text(options, 'theme') ?? '',
    ...(text(options, 'name') ? { name: text(options, 'name') } : {}),
    ...(text(options, 'tone') ? { tone: text(options, 'tone') } : {}),
    ...(text(options, 'language') ? { language: text(options, 'language') } : {}),
    recurrence: rec.recurrence,
    timeZone: zone.timeZone,
    requireApproval: approval,
  });
  if (!parsed.success) return fail(firstIssue(parsed.error), rec.recurrence.kind === 'cron' ? EXAMPLES.seriesCron : EXAMPLES.series);
  const channel = options.find((o) => o.name === 'channel');
  const channelId = channel && 'value' in channel && typeof channel.value === 'string' ? channel.value : undefined;
  return {
    ok: true,
    value: {
      body: parsed.data,
      ...(channelId ? { channelId } : {}),
      linkedin: flag(options, 'linkedin') ?? false,
      approveInChannel: approval,
      ...(expiry?.ok ? { draftExpiryMs: expiry.ms } : {}),
    },
  };
}

export interface SeriesEditRequest {
  patch: Partial<PatchSeriesBody>;
  /** approval:channel moves approval to the channel the edit ran in. */
  approveInChannel?: boolean;
  draftExpiryMs?: number;
}

export function parseSeriesEdit(options: Options): Parsed<SeriesEditRequest> {
  const fail = (error: string): Parsed<SeriesEditRequest> => ({ ok: false, error, example: '/series edit series:<pick one> days:tue,thu time:10:00' });
  const rec = readRecurrence(options);
  if (!rec.ok) return fail(rec.error);
  const zoneText = text(options, 'timezone');
  if (zoneText !== undefined && !isValidTimeZone(zoneText)) return fail(`Unknown time zone "${zoneText}". Use a name like Europe/Berlin or America/New_York.`);
  const { approval, expiry } = readApproval(options);
  if (expiry && !expiry.ok) return fail(expiry.error);
  const patch = {
    ...(text(options, 'theme') ? { theme: text(options, 'theme') } : {}),
    ...(text(options, 'name') ? { name: text(options, 'name') } : {}),
    ...(text(options, 'tone') ? { tone: text(options, 'tone') } : {}),
    ...(text(options, 'language') ? { language: text(options, 'language') } : {}),
    ...(rec.recurrence ? { recurrence: rec.recurrence } : {}),
    ...(zoneText ? { timeZone: zoneText } : {}),
    ...(approval !== undefined ? { requireApproval: approval } : {}),
  };
  if (!Object.keys(patch).length && !expiry) return fail('Nothing to change: give at least one option, like theme, days and time, tone or approval.');
  const parsed = Object.keys(patch).length ? PatchSeriesSchema.safeParse(patch) : ({ success: true, data: {} } as const);
  if (!parsed.success) return fail(firstIssue(parsed.error));
  return {
    ok: true,
    value: { patch: parsed.data, ...(approval === true ? { approveInChannel: true } : {}), ...(expiry?.ok ? { draftExpiryMs: expiry.ms } : {}) },
  };
}

export function parseQueueSet(options: Options, defaults: { timeZone: string }): Parsed<{ timeZone: string; days: Weekday[]; times: string[] }> {
  const fail = (error: string) => ({ ok: false as const, error, example: EXAMPLES.queue });
  const days = parseDays(text(options, 'days') ?? '');
  if (!days.ok) return fail(days.error);
  const times = readTimesOfDay(text(options, 'times') ?? '');
  if (!times.ok) return fail(times.error);
  const zone = readZone(options, defaults.timeZone);
  if (!zone.ok) return fail(zone.error);
  return { ok: true, value: { timeZone: zone.timeZone, days: days.days, times: times.times } };
}
