// Weekly posting slots ("Mon–Fri 08:30 and 12:00" in Europe/Berlin) turned into UTC instants.
// Slots are wall-clock times in the account's zone, so a slot stays at 08:30 local across DST.
// The two edge cases, on purpose:
// - a time that does not exist that day (spring-forward gap, 02:30 in Berlin on the last Sunday
//   of March) moves forward by the length of the gap: 03:30 local;
// - a time that happens twice (fall-back overlap, 02:30 on the last Sunday of October) is the
//   first occurrence (02:30 CEST, 00:30 UTC); the second one is not a separate slot.
import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklySlots {
  days: Weekday[];
  /** "HH:MM", 24-hour, local to the zone. */
  times: string[];
}

/** The instant of `time` ("HH:MM") on a calendar day in `zone`, with the DST rules above. */
export function wallClockInstant(day: { year: number; month: number; day: number }, time: string, zone: string): DateTime {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  // luxon resolves a nonexistent time by moving it forward by the gap, which is the rule we want.
  const dt = DateTime.fromObject({ ...day, hour, minute, second: 0, millisecond: 0 }, { zone });
  if (dt.hour !== hour || dt.minute !== minute) return dt;
  // An overlap: the same wall time an offset-change earlier is the first occurrence.
  for (const back of [30, 60, 120]) {
    const earlier = dt.minus({ minutes: back });
    if (earlier.hour === hour && earlier.minute === minute && earlier.day === dt.day) return earlier;
  }
  return dt;
}

/**
 * Slot instants strictly after `after`, in order and without duplicates (two rules at one time,
 * or a gap time that lands on another slot), for at most `horizonDays` local days.
 */
export function* slotInstants(rules: WeeklySlots[], zone: string, after: Date, horizonDays = 366): Generator<Date> {
  const start = DateTime.fromJSDate(after, { zone }).startOf('day');
  let last = -Infinity;
  for (let i = 0; i <= horizonDays; i++) {
    const d = start.plus({ days: i });
    const weekday = WEEKDAYS[d.weekday - 1]!;
    const times = new Set(rules.filter((r) => r.days.includes(weekday)).flatMap((r) => r.times));
    const instants = [...times].map((t) => wallClockInstant({ year: d.year, month: d.month, day: d.day }, t, zone).toMillis()).sort((a, b) => a - b);
    for (const ms of instants) {
      if (ms <= after.getTime() || ms <= last) continue;
      last = ms;
      yield new Date(ms);
    }
  }
}

/** "8:30, 12:00" → ["08:30","12:00"] (sorted, once each), or the first thing that is not a time: how the bots read typed slot times. */
export function readTimesOfDay(text: string): { ok: true; times: string[] } | { ok: false; error: string } {
  const out = new Set<string>();
  for (const t of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(t);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return { ok: false, error: `"${t}" is not a time; use HH:MM on a 24-hour clock, like 08:30.` };
    out.add(`${m[1]!.padStart(2, '0')}:${m[2]}`);
  }
  if (!out.size) return { ok: false, error: 'Give at least one time, like 08:30.' };
  if (out.size > 24) return { ok: false, error: 'At most 24 times a day.' };
  return { ok: true, times: [...out].sort() };
}
