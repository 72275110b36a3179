import { EXAMPLES, HELP_TEXT, parseCommand, parseTargets } from '../../../bots/slack/commands';

const ok = (text: string) => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.command;
};
const bad = (text: string) => {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r;
};

describe('/postforge parsing', () => {
  it('reads write with every option, values running to the next option', () => {
    expect(ok('write Why we moved to Temporal tone:witty lang:de at:tomorrow 9am to:<#C0GENERAL|general>,linkedin')).toEqual({
      kind: 'write',
      topic: 'Why we moved to Temporal',
      tone: 'witty',
      language: 'de',
      when: 'tomorrow 9am',
      targets: [{ kind: 'slack', channel: 'C0GENERAL', name: 'general' }, { kind: 'linkedin' }],
    });
  });

  it('defaults the target to LinkedIn and keeps "to: " with a space as topic text', () => {
    expect(ok('write How to: scale a team')).toEqual({ kind: 'write', topic: 'How to: scale a team', targets: [{ kind: 'linkedin' }] });
  });

  it('accepts options in any order, quoted values and upper-case tones', () => {
    expect(ok('write Launch notes to:#general at:"friday 14:30" tone:BOLD')).toEqual({
      kind: 'write',
      topic: 'Launch notes',
      tone: 'bold',
      when: 'friday 14:30',
      targets: [{ kind: 'slack', channel: 'general', name: 'general' }],
    });
  });

  it('hands Claude the topic as typed: Slack escapes &, <, > in slash-command text, and the parser undoes exactly that', () => {
    // What Slack sends for: /postforge write Q&A: <script> & "x > y" &lt;literal&gt; at:tomorrow 9am to:<#C0GENERAL|general>
    expect(ok('write Q&amp;A: &lt;script&gt; &amp; "x &gt; y" &amp;lt;literal&amp;gt; at:tomorrow 9am to:<#C0GENERAL|general>')).toEqual({
      kind: 'write',
      topic: 'Q&A: <script> & "x > y" &lt;literal&gt;',
      when: 'tomorrow 9am',
      targets: [{ kind: 'slack', channel: 'C0GENERAL', name: 'general' }],
    });
  });

  it('echoes a bad tone back escaped, so what was typed cannot become Slack markup', () => {
    expect(bad('write Launch tone:&lt;!channel&gt;').error).toContain('Unknown tone "&lt;!channel&gt;"');
  });

  it('reads simple subcommands case-insensitively, and help for nothing at all', () => {
    expect(ok('LIST')).toEqual({ kind: 'list' });
    expect(ok('credits')).toEqual({ kind: 'credits' });
    expect(ok('key')).toEqual({ kind: 'key' });
    expect(ok('Dashboard')).toEqual({ kind: 'dashboard' });
    expect(ok('connect LinkedIn')).toEqual({ kind: 'connect', provider: 'linkedin' });
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('help')).toEqual({ kind: 'help' });
  });

  it.each([
    ['publish now', /don't know the subcommand "publish"/],
    ['write', /Tell me what to write about/],
    ['write   tone:bold', /Tell me what to write about/],
    ['write ab', /at least 3 characters/],
    [`write ${'x'.repeat(501)}`, /too long: at most 500/],
    ['write Launch tone:sarcastic', /Unknown tone "sarcastic"/],
    ['write Launch to:myspace', /don't know the target "myspace"/],
    ['write Launch to:webhook:notaurl', /don't know the target/],
    ['write Launch at:monday at:tuesday', /at: is given twice/],
    ['connect myspace', /only LinkedIn/],
  ])('rejects %j with a reason and a working example', (text, reason) => {
    const r = bad(text);
    expect(r.error).toMatch(reason);
    expect(r.example.startsWith('/postforge ')).toBe(true);
    // The example itself must parse.
    expect(parseCommand(r.example.replace(/^\/postforge /, '')).ok).toBe(true);
  });

  it('reads every target form and drops duplicates', () => {
    expect(parseTargets('#general C0123456789 <#C0GENERAL> webhook:<https://example.com/hook> linkedin,linkedin')).toEqual({
      ok: true,
      targets: [
        { kind: 'slack', channel: 'general', name: 'general' },
        { kind: 'slack', channel: 'C0123456789' },
        { kind: 'slack', channel: 'C0GENERAL' },
        { kind: 'webhook', url: 'https://example.com/hook' },
        { kind: 'linkedin' },
      ],
    });
    expect(
      parseTargets(
        'a b c d e f'
          .split(' ')
          .map((x) => `#${x}`)
          .join(','),
      ),
    ).toEqual({ ok: false, error: 'At most 5 targets per post.' });
  });

  it('every example in the help parses', () => {
    for (const example of Object.values(EXAMPLES)) {
      expect(parseCommand(example.replace(/^\/postforge /, '')).ok).toBe(true);
      expect(HELP_TEXT).toContain(example);
    }
  });
});
