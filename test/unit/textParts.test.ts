import { joinParts, splitForInputs } from '../../core/textParts';

describe('a long draft in parts for chat-app text boxes', () => {
  it('keeps a short text whole', () => {
    expect(splitForInputs('short', 10)).toEqual({ parts: ['short'], joins: [] });
  });

  it('cuts at the last paragraph break, else line break, else space, else hard; joining gives the text back exactly', () => {
    const cases = [
      'aaaa bbbb\n\ncccc dddd eeee',
      'aaaa\nbbbb cccc\ndddd',
      'aaaa bbbb cccc dddd',
      'abcdefghijklmnopqrstuvwxyz',
      'x'.repeat(10) + '\n\n' + 'y'.repeat(10),
    ];
    for (const text of cases) {
      const { parts, joins } = splitForInputs(text, 10);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(10);
      expect(joinParts(parts, joins)).toBe(text);
    }
    expect(splitForInputs('aaaa bbbb\n\ncccc dddd eeee', 12).parts[0]).toBe('aaaa bbbb');
    expect(splitForInputs('abcdefghijklmnopqrstuvwxyz', 10).parts).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  });

  it('a part emptied by the editor takes its separator with it', () => {
    expect(joinParts(['one', '', 'three'], ['\n\n', ' '])).toBe('one three');
    expect(joinParts(['', 'two'], ['\n\n'])).toBe('two');
  });
});
