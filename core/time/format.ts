// Showing instants back to people in their own zone.
import { DateTime, IANAZone } from 'luxon';

/**
 * Zones already found valid (a few hundred exist; invalid names are not kept, so junk input cannot
 * grow it). The check builds an Intl.DateTimeFormat, ~0.2 ms, and a Discord /post makes it before
 * its ack.
 */
const validZones = new Set<string>();

export function isValidTimeZone(tz: string): boolean {
  if (validZones.has(tz)) return true;
  const valid = IANAZone.isValidZone(tz);
  if (valid) validZones.add(tz);
  return valid;
}

/** "Tue, Dec 1, 2026, 09:00 (Europe/Berlin)" */
export function formatInZone(at: Date, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  return `${DateTime.fromJSDate(at, { zone }).toFormat('ccc, LLL d, yyyy, HH:mm')} (${zone})`;
}
