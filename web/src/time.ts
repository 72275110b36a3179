// The calendar shows the account's time zone whatever the browser's is. react-big-calendar lays out
// JavaScript Dates in the browser's zone, so events go in as "wall-clock in the account's zone, read
// as browser-local" and dropped times come back out the same way.
import { DateTime } from 'luxon';

/** A UTC instant → a Date whose browser-local wall clock is the instant's wall clock in `zone`. */
export function toWall(iso: string | Date, zone: string): Date {
  const dt = typeof iso === 'string' ? DateTime.fromISO(iso, { zone }) : DateTime.fromJSDate(iso, { zone });
  return dt.setZone('local', { keepLocalTime: true }).toJSDate();
}

/** The inverse: a browser-local Date from the calendar → the UTC instant it means in `zone`. */
export function fromWall(d: Date, zone: string): string {
  return DateTime.fromJSDate(d).setZone(zone, { keepLocalTime: true }).toUTC().toISO() ?? d.toISOString();
}

/** For <input type="datetime-local">: "2026-12-01T09:00" in `zone`, and back to a UTC instant. */
export const toInput = (iso: string, zone: string): string => DateTime.fromISO(iso, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
export const fromInput = (value: string, zone: string): string | undefined => DateTime.fromISO(value, { zone }).toUTC().toISO() ?? undefined;

export const formatWhen = (iso: string, zone: string): string => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL yyyy, HH:mm');
