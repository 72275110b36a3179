// "tomorrow 9am", "in 2 hours", "next monday 08:30" or an ISO time, read in the author's zone.
// chrono-node understands the words; luxon does the zone arithmetic, so the result is the same
// whatever zone the server runs in, and DST gaps and overlaps are handled on purpose.
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { formatInZone, isValidTimeZone } from './format';

export type WhenResult = { ok: true; at: Date; timeZone: string; description: string } | { ok: false; error: string };

export interface WhenOptions {
  timeZone: string;
  now?: Date;
  /** How far ahead a time must be; "now" means this far from now. Default one minute. */
  minLeadMs?: number;
  /** The latest acceptable time, from now. Default one year. */
  maxAheadMs?: number;
}

const EXAMPLES = 'Try "tomorrow 9am", "in 2 hours", "next monday 08:30" or "2026-12-01 09:00".';
const RELATIVE = /^\s*in\s+\d+(\.\d+)?\s*(s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** The UTC instant of a wall-clock time in `zone`; in a fall-back overlap, the earlier one. */
function wallToInstant(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  zone: string,
): { at: DateTime; note?: string } {
  const dt = DateTime.fromObject({ ...fields, second: fields.second ?? 0, millisecond: 0 }, { zone });
  if (dt.hour !== fields.hour || dt.minute !== fields.minute) {
    const asked = `${String(fields.hour).padStart(2, '0')}:${String(fields.minute).padStart(2, '0')}`;
    return { at: dt, note: `${asked} does not exist on that day in ${zone} (clocks spring forward), so it is ${dt.toFormat('HH:mm')}` };
  }
  const earlier = dt.minus({ hours: 1 });
  if (earlier.hour === dt.hour && earlier.minute === dt.minute) {
    return { at: earlier, note: `${dt.toFormat('HH:mm')} happens twice that day in ${zone}; this is the first one` };
  }
  return { at: dt };
}

export function parseWhen(text: string, opts: WhenOptions): WhenResult {
  const input = text.trim();
  const zone = opts.timeZone;
  if (!isValidTimeZone(zone)) return { ok: false, error: `Unknown time zone "${zone}". Use an IANA name like "Europe/Berlin".` };
  if (!input) return { ok: false, error: `No time given. ${EXAMPLES}` };
  const now = opts.now ?? new Date();
  const minLead = opts.minLeadMs ?? 60_000;
  const maxAhead = opts.maxAheadMs ?? 366 * 86_400_000;

  let at: DateTime | undefined;
  let note: string | undefined;
  if (/^now$/i.test(input)) {
    at = DateTime.fromJSDate(new Date(now.getTime() + minLead), { zone });
  } else if (ISO_INSTANT.test(input)) {
    const d = DateTime.fromISO(input, { setZone: true });
    if (d.isValid) at = d.setZone(zone);
  } else if (LOCAL_DATETIME.test(input)) {
    const m = LOCAL_DATETIME.exec(input)!;
    ({ at, note } = wallToInstant({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: m[6] ? +m[6] : 0 }, zone));
  } else if (RELATIVE.test(input)) {
    // A duration is the same number of real hours whatever the clocks do, so no wall-clock detour.
    const parsed = chrono.parseDate(input, now, { forwardDate: true });
    if (parsed) at = DateTime.fromJSDate(parsed, { zone });
  } else {
    // chrono reads words against a reference; give it the author's wall clock dressed as UTC, then
    // read its answer's fields back as wall-clock fields in the author's zone.
    const wall = DateTime.fromJSDate(now, { zone });
    const reference = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
    const [result] = chrono.parse(input, { instant: reference, timezone: 0 }, { forwardDate: true });
    if (result && result.text.trim().length >= Math.min(input.length, Math.max(3, input.length - 3))) {
      const s = result.start;
      ({ at, note } = wallToInstant(
        {
          year: s.get('year')!,
          month: s.get('month')!,
          day: s.get('day')!,
          hour: s.get('hour') ?? 9,
          minute: s.get('minute') ?? 0,
          second: s.get('second') ?? 0,
        },
        zone,
      ));
    }
  }

  if (!at || !at.isValid) return { ok: false, error: `I couldn't understand "${input}" as a time. ${EXAMPLES}` };
  const instant = at.toJSDate();
  const description = formatInZone(instant, zone) + (note ? ` — ${note}` : '');
  if (instant.getTime() < now.getTime() + minLead - 1) {
    return { ok: false, error: `That time is in the past (${formatInZone(instant, zone)}). Pick a time at least a minute from now, e.g. "in 2 hours".` };
  }
  if (instant.getTime() > now.getTime() + maxAhead) {
    return { ok: false, error: `That is more than a year ahead (${formatInZone(instant, zone)}). Schedule posts within the next 12 months.` };
  }
  return { ok: true, at: instant, timeZone: zone, description };
}
