import { formatInZone, isValidTimeZone, parseWhen } from '../../core/time';

// Monday 2026-11-23 10:00 UTC (11:00 in Berlin, 05:00 in New York, 15:30 in Kolkata, 23:00 Monday in Auckland).
const now = new Date('2026-11-23T10:00:00Z');
const at = (text: string, timeZone: string, n = now) => {
  const r = parseWhen(text, { timeZone, now: n });
  if (!r.ok) throw new Error(r.error);
  return r.at.toISOString();
};
const err = (text: string, timeZone = 'UTC', n = now) => {
  const r = parseWhen(text, { timeZone, now: n });
  if (r.ok) throw new Error(`expected an error, got ${r.at.toISOString()}`);
  return r.error;
};

describe('parseWhen', () => {
  it.each([
    ['tomorrow 9am', 'UTC', '2026-11-24T09:00:00.000Z'],
    ['tomorrow 9am', 'Europe/Berlin', '2026-11-24T08:00:00.000Z'],
    ['tomorrow 9am', 'America/New_York', '2026-11-24T14:00:00.000Z'],
    ['tomorrow 9am', 'Asia/Kolkata', '2026-11-24T03:30:00.000Z'],
    // In Auckland (UTC+13 in summer) it is Monday 23:00: tomorrow 09:00 there is 20:00 UTC today.
    ['tomorrow 9am', 'Pacific/Auckland', '2026-11-23T20:00:00.000Z'],
    ['next monday 08:30', 'Europe/Berlin', '2026-11-30T07:30:00.000Z'],
    ['friday 17:00', 'America/New_York', '2026-11-27T22:00:00.000Z'],
    ['tonight', 'UTC', '2026-11-23T22:00:00.000Z'],
  ])('%s in %s', (text, zone, expected) => {
    expect(at(text, zone)).toBe(expected);
  });

  it('reads a bare weekday as the next one in the future, in the author’s zone', () => {
    // Monday 05:00 in New York: "monday 09:00" is still today there.
    expect(at('monday 09:00', 'America/New_York')).toBe('2026-11-23T14:00:00.000Z');
    // Monday 11:00 in Berlin: "monday 09:00" has passed, so it is next week.
    expect(at('monday 09:00', 'Europe/Berlin')).toBe('2026-11-30T08:00:00.000Z');
    expect(at('tuesday 09:00', 'UTC')).toBe('2026-11-24T09:00:00.000Z');
  });

  it('treats durations as real elapsed time, across a DST change too', () => {
    expect(at('in 2 hours', 'Europe/Berlin')).toBe('2026-11-23T12:00:00.000Z');
    expect(at('in 30 minutes', 'UTC')).toBe('2026-11-23T10:30:00.000Z');
    // 2027-03-28 00:30 UTC in Berlin: clocks jump at 01:00 UTC; 3 hours later is still 03:30 UTC.
    expect(at('in 3 hours', 'Europe/Berlin', new Date('2027-03-28T00:30:00Z'))).toBe('2027-03-28T03:30:00.000Z');
  });

  it('accepts ISO instants and local date-times in the author’s zone', () => {
    expect(at('2026-12-01T09:00:00Z', 'Europe/Berlin')).toBe('2026-12-01T09:00:00.000Z');
    expect(at('2026-12-01T09:00:00+05:30', 'UTC')).toBe('2026-12-01T03:30:00.000Z');
    expect(at('2026-12-01 09:00', 'Europe/Berlin')).toBe('2026-12-01T08:00:00.000Z');
    expect(at('2026-12-01 09:00', 'Pacific/Auckland')).toBe('2026-11-30T20:00:00.000Z');
  });

  it('moves a time in the spring-forward gap to after it, and says so', () => {
    const r = parseWhen('2027-03-14 02:30', { timeZone: 'America/New_York', now });
    expect(r.ok && r.at.toISOString()).toBe('2027-03-14T07:30:00.000Z'); // 03:30 EDT
    expect(r.ok && r.description).toMatch(/02:30 does not exist on that day.*so it is 03:30/);
    const berlin = parseWhen('2027-03-28 02:15', { timeZone: 'Europe/Berlin', now });
    expect(berlin.ok && berlin.at.toISOString()).toBe('2027-03-28T01:15:00.000Z'); // 03:15 CEST
  });

  it('picks the first of two identical wall times in the fall-back overlap', () => {
    const r = parseWhen('2027-11-07 01:30', { timeZone: 'America/New_York', now });
    expect(r.ok && r.at.toISOString()).toBe('2027-11-07T05:30:00.000Z'); // 01:30 EDT, not EST
    expect(r.ok && r.description).toMatch(/happens twice.*first one/);
    const berlin = parseWhen('2027-10-31 02:30', { timeZone: 'Europe/Berlin', now });
    expect(berlin.ok && berlin.at.toISOString()).toBe('2027-10-31T00:30:00.000Z'); // 02:30 CEST
  });

  it('describes the time in the author’s zone', () => {
    const r = parseWhen('tomorrow 9am', { timeZone: 'Europe/Berlin', now });
    expect(r.ok && r.description).toBe('Tue, Nov 24, 2026, 09:00 (Europe/Berlin)');
  });

  it('explains what is wrong, with examples that work', () => {
    expect(err('')).toMatch(/No time given\. Try "tomorrow 9am"/);
    expect(err('blah')).toBe('I couldn\'t understand "blah" as a time. Try "tomorrow 9am", "in 2 hours", "next monday 08:30" or "2026-12-01 09:00".');
    expect(err('tomorrow blah blah')).toMatch(/couldn't understand/);
    expect(err('tomorrow 9am', 'Mars/Base')).toBe('Unknown time zone "Mars/Base". Use an IANA name like "Europe/Berlin".');
    expect(err('yesterday')).toMatch(/^That time is in the past \(Sun, Nov 22, 2026/);
    expect(err('2020-01-01T00:00:00Z')).toMatch(/in the past/);
    expect(err('in 30 seconds')).toMatch(/in the past.*at least a minute/);
    expect(err('2028-06-01 09:00')).toMatch(/more than a year ahead/);
  });

  it('"now" means a minute from now', () => {
    expect(at('now', 'UTC')).toBe('2026-11-23T10:01:00.000Z');
  });
});

describe('time zone helpers', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
  });
  it('checks a zone with Intl once (a Discord /post checks its zone before the ack); invalid names are checked every time', () => {
    const made = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      for (let i = 0; i < 20; i++) expect(isValidTimeZone('America/Sao_Paulo')).toBe(true);
      expect(made.mock.calls.filter(([, o]) => o?.timeZone === 'America/Sao_Paulo')).toHaveLength(1);
      for (let i = 0; i < 3; i++) expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(made.mock.calls.filter(([, o]) => o?.timeZone === 'Mars/Olympus_Mons')).toHaveLength(3);
    } finally {
      made.mockRestore();
    }
  });
  it('formats in the zone, falling back to UTC for a bad one', () => {
    expect(formatInZone(new Date('2026-12-01T08:00:00Z'), 'Europe/Berlin')).toBe('Tue, Dec 1, 2026, 09:00 (Europe/Berlin)');
    expect(formatInZone(new Date('2026-12-01T08:00:00Z'), 'Nope/Nope')).toBe('Tue, Dec 1, 2026, 08:00 (UTC)');
  });
});
