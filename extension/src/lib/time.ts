// Date and time in the browser's own zone, as <input type=date/time> want them, and back.

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const pad = (n: number) => String(n).padStart(2, '0');

export function toInputs(d: Date): { date: string; time: string } {
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** `new Date('YYYY-MM-DDTHH:mm')` is read in the local zone, which is the point. */
export function fromInputs(date: string, time: string): Date | null {
  const d = new Date(`${date}T${time}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Tomorrow at 09:00 local: a sensible first suggestion for a LinkedIn post. */
export function suggestedTime(now = new Date()): Date {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A queue slot as the picker shows it, in the browser's zone: "Tue 08:30", with the date when it is a week or more away. */
export function formatSlot(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString('en-US', { weekday: 'short' });
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getTime() - now.getTime() < 6 * 86_400_000) return `${day} ${time}`;
  return `${day} ${d.toLocaleDateString('en-US', { day: 'numeric', month: 'short' })} ${time}`;
}
