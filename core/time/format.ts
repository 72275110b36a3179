// Showing instants back to people in their own zone.
import { DateTime, IANAZone } from 'luxon';

export function isValidTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

/** "Tue, Dec 1, 2026, 09:00 (Europe/Berlin)" */
export function formatInZone(at: Date, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return `${DateTime.fromJSDate(at, { zone }).toFormat('ccc, LLL d, yyyy, HH:mm')} (${zone})`;
}
