// "Add to queue" as the chat front ends read it: Slack's `… when queue`, Discord's `when` choice.
import { queueChoice } from '../../bots/discord/autocomplete';
import { parsePostOptions } from '../../bots/discord/commands';
import { parseCommand, parseEvery } from '../../bots/slack/commands';
import { isQueueWhen } from '../../services/queueSlots';

describe('add to queue from Slack and Discord', () => {
  it('reads "/postforge write … when queue" and at:queue as the queue', () => {
    expect(parseCommand('write Our hiring process tone:friendly when queue')).toMatchObject({
      ok: true,
      command: { kind: 'write', topic: 'Our hiring process', when: 'queue', tone: 'friendly' },
    });
    expect(parseCommand('write Our hiring process when queue')).toMatchObject({ ok: true, command: { topic: 'Our hiring process', when: 'queue' } });
    expect(parseCommand('write Our hiring process at:queue')).toMatchObject({ ok: true, command: { when: 'queue' } });
    expect(parseCommand('write Our hiring process at:friday 9am when queue')).toMatchObject({ ok: false, error: expect.stringMatching(/not both/) });
    expect(parseCommand('write What to do when queue depth grows at:tomorrow 9am')).toMatchObject({
      ok: true,
      command: { topic: 'What to do when queue depth grows' },
    });
  });

  it('offers "next free slot (Tue 08:30)" in Discord\'s when autocomplete, with the value "queue"', () => {
    const next = { at: new Date('2026-12-01T07:30:00Z'), timeZone: 'Europe/Berlin' };
    expect(queueChoice('', next)).toEqual([{ name: 'next free slot (Tue 08:30)', value: 'queue' }]);
    expect(queueChoice('next', next)).toHaveLength(1);
    expect(queueChoice('queue', next)).toHaveLength(1);
    expect(queueChoice('tomorrow', next)).toEqual([]);
    expect(queueChoice('', undefined)).toEqual([]);
    expect(isQueueWhen('queue')).toBe(true);
    expect(isQueueWhen('next free slot (Tue 08:30)')).toBe(true);
    expect(isQueueWhen('tomorrow 9am')).toBe(false);
  });

  it('accepts when:queue in /post without reading it as a time', () => {
    const parsed = parsePostOptions(
      [
        { type: 3, name: 'topic', value: 'Our roadmap for next year' },
        { type: 3, name: 'when', value: 'queue' },
      ] as never,
      { timeZone: 'Europe/Berlin', now: new Date('2026-11-30T10:00:00Z') },
    );
    expect(parsed).toMatchObject({ ok: true, request: { when: 'queue' } });
    expect(parsed.ok && parsed.at).toBeFalsy();
  });
});

describe('/postforge series parsing', () => {
  it('reads days and a time, or a cron expression, and the approval rule', () => {
    expect(parseEvery('mon,wed 9:00')).toEqual({ ok: true, days: ['mon', 'wed'], time: '09:00' });
    expect(parseEvery('weekdays 08:30')).toEqual({ ok: true, days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '08:30' });
    expect(parseEvery('Friday 12:00')).toEqual({ ok: true, days: ['fri'], time: '12:00' });
    expect(parseEvery('month 09:00')).toMatchObject({ ok: false });
    expect(parseEvery('mon 25:00')).toMatchObject({ ok: false });
    expect(parseCommand('series Our culture every:mon 09:00 approve:no to:linkedin')).toEqual({
      ok: true,
      command: {
        kind: 'series-create',
        theme: 'Our culture',
        recurrence: { kind: 'weekly', days: ['mon'], time: '09:00' },
        requireApproval: false,
        targets: [{ kind: 'linkedin' }],
      },
    });
    expect(parseCommand('series Our culture cron:"0 9 * * MON"')).toMatchObject({
      ok: true,
      command: { recurrence: { kind: 'cron', expression: '0 9 * * MON' }, requireApproval: true },
    });
    expect(parseCommand('series Our culture every:mon 09:00 cron:"0 9 * * MON"')).toMatchObject({ ok: false });
    expect(parseCommand('queue')).toEqual({ ok: true, command: { kind: 'queue-show' } });
    expect(parseCommand('queue set mon wed fri 12:00 08:30')).toEqual({
      ok: true,
      command: { kind: 'queue-set', days: ['mon', 'wed', 'fri'], times: ['08:30', '12:00'] },
    });
    expect(parseCommand('queue set weekdays')).toMatchObject({ ok: false });
    expect(parseCommand('queue settings')).toEqual({ ok: true, command: { kind: 'queue-settings' } });
    expect(parseCommand('series list')).toEqual({ ok: true, command: { kind: 'series-list' } });
    expect(parseCommand('series pause ser_0123456789abcdef0123')).toEqual({
      ok: true,
      command: { kind: 'series-action', action: 'pause', seriesId: 'ser_0123456789abcdef0123' },
    });
    expect(parseCommand('series pause 42')).toMatchObject({ ok: false, error: expect.stringMatching(/not a series id/) });
  });
});
