// /series and /queue options read into the services' bodies: what is accepted, and every refusal in words.
import { parseDays, parseExpiry, parseQueueSet, parseSeriesCreate, parseSeriesEdit, subcommandOf } from '../../../bots/discord/seriesOptions';
import { readTimesOfDay as parseTimes } from '../../../core/time/slots';

const s = (name: string, value: string) => ({ name, type: 3, value });
const b = (name: string, value: boolean) => ({ name, type: 5, value });
const zone = { timeZone: 'Europe/Berlin' };

describe('days, times, expiry', () => {
  test('days in week order from names, prefixes and words; anything else named', () => {
    expect(parseDays('Fri, mon monday')).toEqual({ ok: true, days: ['mon', 'fri'] });
    expect(parseDays('weekdays')).toEqual({ ok: true, days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(parseDays('weekends,wed')).toEqual({ ok: true, days: ['wed', 'sat', 'sun'] });
    expect(parseDays('mo')).toMatchObject({ ok: false, error: expect.stringContaining('"mo" is not a day') });
    expect(parseDays(' ')).toMatchObject({ ok: false, error: expect.stringContaining('at least one day') });
  });
  test('times padded, sorted, deduplicated; 24:00 and 9.30 refused', () => {
    expect(parseTimes('12:00, 8:30 08:30')).toEqual({ ok: true, times: ['08:30', '12:00'] });
    expect(parseTimes('24:00')).toMatchObject({ ok: false, error: expect.stringContaining('"24:00" is not a time') });
    expect(parseTimes('9.30')).toMatchObject({ ok: false });
  });
  test('expiry between 15 minutes and 14 days', () => {
    expect(parseExpiry('24h')).toEqual({ ok: true, ms: 86_400_000 });
    expect(parseExpiry('15m')).toEqual({ ok: true, ms: 900_000 });
    expect(parseExpiry('14d')).toEqual({ ok: true, ms: 14 * 86_400_000 });
    for (const bad of ['14m', '15d', '1w', '', 'soon'])
      expect(parseExpiry(bad)).toMatchObject({ ok: false, error: expect.stringContaining('between 15m and 14d') });
  });
});

describe('/series create', () => {
  test('weekly, defaults filled by the service schema', () => {
    const r = parseSeriesCreate([s('theme', ' Our culture '), s('days', 'mon,wed'), s('time', '9:05'), b('linkedin', true)], zone);
    expect(r).toEqual({
      ok: true,
      value: {
        body: {
          theme: 'Our culture',
          tone: 'professional',
          language: 'en',
          recurrence: { kind: 'weekly', days: ['mon', 'wed'], time: '09:05' },
          timeZone: 'Europe/Berlin',
          requireApproval: true,
        },
        linkedin: true,
        approveInChannel: true,
      },
    });
  });
  test('cron, auto-publish, a channel and an expiry', () => {
    const r = parseSeriesCreate(
      [
        s('theme', 'Release notes'),
        s('cron', '30 8 * * MON-FRI'),
        s('timezone', 'America/New_York'),
        s('expires', '3d'),
        { name: 'channel', type: 7, value: '42' },
      ],
      zone,
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        body: { recurrence: { kind: 'cron', expression: '30 8 * * MON-FRI' }, timeZone: 'America/New_York' },
        channelId: '42',
        draftExpiryMs: 3 * 86_400_000,
      },
    });
    expect(parseSeriesCreate([s('theme', 'Release notes'), s('cron', '30 8 * * *'), s('approval', 'auto')], zone)).toMatchObject({
      ok: true,
      value: { body: { requireApproval: false }, approveInChannel: false },
    });
  });
  test.each([
    [[s('theme', 'Release notes')], /Say when/],
    [[s('theme', 'Release notes'), s('days', 'mon')], /needs both days .* and time/],
    [[s('theme', 'Release notes'), s('days', 'mon'), s('time', '09:00 12:00')], /give one time/],
    [[s('theme', 'Release notes'), s('cron', '0 9 * * MON'), s('time', '09:00')], /not both/],
    [[s('theme', 'Release notes'), s('cron', '* 9 * * MON')], /^a cron expression .*fixed minute/],
    [[s('theme', 'ab'), s('cron', '0 9 * * MON')], /theme needs at least 3 characters/],
    [[s('theme', 'Release notes'), s('cron', '0 9 * * MON'), s('tone', 'grumpy')], /tone/],
    [[s('theme', 'Release notes'), s('cron', '0 9 * * MON'), s('approval', 'auto'), s('expires', '24h')], /leave it out with approval:auto-publish/],
  ])('refuses %j', (options, message) => {
    const r = parseSeriesCreate(options, zone);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(message), example: expect.stringMatching(/^\/series create/) });
  });
});

describe('/series edit and /queue set', () => {
  test('an edit carries only what changes; nothing to change is refused', () => {
    expect(parseSeriesEdit([s('series', 'ser_x'), s('days', 'tue'), s('time', '10:00')])).toEqual({
      ok: true,
      value: { patch: { recurrence: { kind: 'weekly', days: ['tue'], time: '10:00' } } },
    });
    expect(parseSeriesEdit([s('series', 'ser_x'), s('approval', 'channel'), s('expires', '2h')])).toEqual({
      ok: true,
      value: { patch: { requireApproval: true }, approveInChannel: true, draftExpiryMs: 7_200_000 },
    });
    expect(parseSeriesEdit([s('series', 'ser_x')])).toMatchObject({ ok: false, error: expect.stringContaining('Nothing to change') });
    expect(parseSeriesEdit([s('series', 'ser_x'), s('timezone', 'Nowhere/Land')])).toMatchObject({
      ok: false,
      error: expect.stringContaining('Unknown time zone'),
    });
  });
  test('queue set reads days, times and a zone', () => {
    expect(parseQueueSet([s('days', 'daily'), s('times', '18:00 7:45')], zone)).toEqual({
      ok: true,
      value: { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], times: ['07:45', '18:00'] },
    });
    expect(parseQueueSet([s('days', 'mon'), s('times', '7:45pm')], zone)).toMatchObject({ ok: false, example: expect.stringMatching(/^\/queue set/) });
  });
  test('subcommands are read one level down', () => {
    expect(subcommandOf([{ name: 'create', type: 1, options: [s('theme', 'x')] }])).toEqual({ name: 'create', options: [s('theme', 'x')] });
    expect(subcommandOf([{ name: 'list', type: 1 }])).toEqual({ name: 'list', options: [] });
    expect(subcommandOf([s('theme', 'x')])).toBeUndefined();
  });
});
