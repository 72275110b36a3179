// Suggestions while someone types /post's `when` or `timezone`. Each `when` choice shows the time it
// resolves to, so "friday 3pm" is confirmed before anything is charged.
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { DateTime } from 'luxon';
import { TONES, type Tone } from '../../core/domain';
import { isValidTimeZone, parseWhen } from '../../core/time';
import { formatInZone } from '../../core/time/format';
import { bestTimeFor } from '../../core/generation/offline';

const MAX_CHOICES = 25;
const NAME_MAX = 100;

const STOCK = ['in 1 hour', 'in 3 hours', 'tomorrow 09:00', 'tomorrow 12:30', 'next monday 09:00'];

const label = (text: string): string => (text.length > NAME_MAX ? `${text.slice(0, NAME_MAX - 1)}…` : text);

/** "next free slot (Tue 08:30)", when the server has a posting schedule with a free slot. */
export function queueChoice(typed: string, next: { at: Date; timeZone: string } | undefined): APIApplicationCommandOptionChoice<string>[] {
  if (!next) return [];
  const text = typed.trim().toLowerCase();
  if (text && !'next free slot queue'.includes(text) && !text.startsWith('queue')) return [];
  const local = DateTime.fromJSDate(next.at, { zone: next.timeZone }).toFormat('ccc HH:mm');
  return [{ name: label(`next free slot (${local})`), value: 'queue' }];
}

export function suggestWhen(typed: string, opts: { timeZone: string; now: Date; tone?: string | undefined }): APIApplicationCommandOptionChoice<string>[] {
  const tone: Tone = (TONES as readonly string[]).includes(opts.tone ?? '') ? (opts.tone as Tone) : 'professional';
  const text = typed.trim();
  const resolve = (v: string) => parseWhen(v, { timeZone: opts.timeZone, now: opts.now });
  const choice = (v: string, hint?: string): APIApplicationCommandOptionChoice<string>[] => {
    const r = resolve(v);
    return r.ok ? [{ name: label(`${v} → ${formatInZone(r.at, opts.timeZone)}${hint ? ` (${hint})` : ''}`), value: v.slice(0, NAME_MAX) }] : [];
  };
  const typedChoice = !text
    ? []
    : resolve(text).ok
      ? choice(text)
      : [{ name: label(`"${text}" is not a time I understand; try "tomorrow 09:00"`), value: text.slice(0, NAME_MAX) }];
  const stock = [{ v: bestTimeFor(tone), hint: `suggested best time for a ${tone} post` }, ...STOCK.map((v) => ({ v, hint: undefined }))].filter(
    (s) => s.v.toLowerCase() !== text.toLowerCase(),
  );
  // Narrow the stock to what was typed; if nothing matches, show all of it rather than nothing.
  const matching = stock.filter((s) => s.v.toLowerCase().includes(text.toLowerCase()));
  const rest = (matching.length ? matching : stock).flatMap((s) => choice(s.v, s.hint));
  return [...typedChoice, ...rest].slice(0, MAX_CHOICES);
}

const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Warsaw',
  'Europe/Istanbul',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
];

const ALL_ZONES: readonly string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return COMMON_ZONES;
  }
})();

export function suggestTimeZone(typed: string): APIApplicationCommandOptionChoice<string>[] {
  const q = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const pool = q ? [...new Set([...COMMON_ZONES, ...ALL_ZONES])].filter((z) => z.toLowerCase().includes(q)) : COMMON_ZONES;
  const exact = typed.trim() && isValidTimeZone(typed.trim()) && !pool.includes(typed.trim()) ? [typed.trim()] : [];
  return [...exact, ...pool].slice(0, MAX_CHOICES).map((z) => ({ name: z, value: z }));
}
