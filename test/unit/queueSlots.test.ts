// Weekly slots in the account's zone, across Europe/Berlin's DST changes (2026: spring forward on
// Sunday March 29 at 02:00 → 03:00, fall back on Sunday October 25 at 03:00 → 02:00).
import { slotInstants, wallClockInstant } from '../../core/time/slots';

const take = (it: Iterable<Date>, n: number) => {
  const out: string[] = [];
  for (const d of it) {
    out.push(d.toISOString());
    if (out.length >= n) break;
  }
  return out;
};

describe('weekly slots in Europe/Berlin', () => {
  it('keeps 08:30 local across the March change: 07:30Z before, 06:30Z after', () => {
    const slots = take(slotInstants([{ days: ['fri', 'mon'], times: ['08:30'] }], 'Europe/Berlin', new Date('2026-03-26T00:00:00Z')), 3);
    expect(slots).toEqual(['2026-03-27T07:30:00.000Z', '2026-03-30T06:30:00.000Z', '2026-04-03T06:30:00.000Z']);
  });

  it('keeps 08:30 local across the October change: 06:30Z before, 07:30Z after', () => {
    const slots = take(slotInstants([{ days: ['fri', 'mon'], times: ['08:30'] }], 'Europe/Berlin', new Date('2026-10-22T00:00:00Z')), 2);
    expect(slots).toEqual(['2026-10-23T06:30:00.000Z', '2026-10-26T07:30:00.000Z']);
  });

  it('moves a slot in the spring-forward gap forward by the gap (02:30 → 03:30 CEST)', () => {
    expect(wallClockInstant({ year: 2026, month: 3, day: 29 }, '02:30', 'Europe/Berlin').toUTC().toISO()).toBe('2026-03-29T01:30:00.000Z');
    expect(wallClockInstant({ year: 2026, month: 3, day: 29 }, '02:30', 'Europe/Berlin').toFormat('HH:mm ZZ')).toBe('03:30 +02:00');
  });

  it('gives a gap slot that lands on another slot only once', () => {
    const slots = take(slotInstants([{ days: ['sun'], times: ['02:30', '03:30', '09:00'] }], 'Europe/Berlin', new Date('2026-03-28T12:00:00Z')), 3);
    expect(slots).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-29T07:00:00.000Z', '2026-04-05T00:30:00.000Z']);
  });

  it('takes the first occurrence of a time that happens twice (02:30 CEST, not CET)', () => {
    const at = wallClockInstant({ year: 2026, month: 10, day: 25 }, '02:30', 'Europe/Berlin');
    expect(at.toUTC().toISO()).toBe('2026-10-25T00:30:00.000Z');
    const slots = take(slotInstants([{ days: ['sun'], times: ['02:30'] }], 'Europe/Berlin', new Date('2026-10-24T12:00:00Z')), 2);
    expect(slots).toEqual(['2026-10-25T00:30:00.000Z', '2026-11-01T01:30:00.000Z']);
  });

  it('orders slots across rules and days and skips the ones not after the start', () => {
    const slots = take(
      slotInstants([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['12:00', '08:30'] }], 'Europe/Berlin', new Date('2026-12-04T08:00:00Z')),
      3,
    );
    // Friday Dec 4, 09:00 local: 08:30 has passed, 12:00 has not; then Monday.
    expect(slots).toEqual(['2026-12-04T11:00:00.000Z', '2026-12-07T07:30:00.000Z', '2026-12-07T11:00:00.000Z']);
  });
});
