// The extension's pure parts, without a browser: how API failures read, and the SSE parser that
// must survive events split across network chunks.
import { parseSse } from '../../extension/src/lib/api';
import { ApiError, NotConfigured, toProblem } from '../../extension/src/lib/problems';
import { DEFAULT_SELECTORS, mergeSelectors } from '../../extension/src/lib/composer/selectors';
import { charCount, foldPreview } from '../../extension/src/lib/linkedin';

describe('extension: errors in words', () => {
  test.each([
    [401, 'unauthorized', /wrong, expired or was revoked/],
    [402, 'no_credits', /out of credits/],
    [429, 'rate_limited', /Wait 30 seconds/],
    [503, 'server', /on its side/],
  ])('HTTP %i reads as %s', (status, kind, message) => {
    const p = toProblem(new ApiError(status, 'x', 'raw detail', 30), 'http://api.test');
    expect(p.kind).toBe(kind);
    expect(p.message).toMatch(message);
  });

  test('a 400 passes on the API’s own explanation', () => {
    expect(toProblem(new ApiError(400, 'Invalid request body', 'scheduledAt: must be in the future'))).toEqual({
      kind: 'invalid',
      message: 'scheduledAt: must be in the future',
    });
  });

  test('a failed fetch names the URL; missing settings point at the options', () => {
    expect(toProblem(new TypeError('Failed to fetch'), 'http://api.test').message).toBe(
      "Can't reach PostForge at http://api.test. Check the API URL in the options, or try again later.",
    );
    expect(toProblem(new NotConfigured()).kind).toBe('not_configured');
  });
});

describe('extension: SSE parsing', () => {
  test('events split at any byte come out whole and in order', async () => {
    const text = 'event: charged\ndata: {"balance":9}\n\nevent: delta\ndata: {"text":"Hé "}\n\r\nevent: done\ndata: {"content":"Hé there","hashtags":[]}\n\n';
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
        c.close();
      },
    });
    const seen = [];
    for await (const e of parseSse(stream)) seen.push(e);
    expect(seen).toEqual([
      { event: 'charged', data: { balance: 9 } },
      { event: 'delta', data: { text: 'Hé ' } },
      { event: 'done', data: { content: 'Hé there', hashtags: [] } },
    ]);
  });
});

describe('extension: LinkedIn’s fold and limit', () => {
  test('the preview stops at ~210 characters on desktop and ~140 on mobile, or at the third line', () => {
    const long = 'word '.repeat(100).trim();
    expect(foldPreview(long, 'desktop')).toEqual({ visible: long.slice(0, 210).trimEnd(), folded: true });
    expect(foldPreview(long, 'mobile').visible).toHaveLength(139); // 140 with its trailing space trimmed
    expect(foldPreview('one\ntwo\nthree\nfour', 'desktop')).toEqual({ visible: 'one\ntwo\nthree', folded: true });
    expect(foldPreview('short post', 'mobile')).toEqual({ visible: 'short post', folded: false });
  });

  test('characters are counted as a person counts them (an emoji is one)', () => {
    expect(charCount('🚀 ship it')).toBe(9);
  });
});

describe('extension: selector table from the API', () => {
  const valid = (s: string) => !s.includes('((');
  test('remote entries go first, defaults stay, duplicates and junk are dropped', () => {
    const merged = mergeSelectors(
      { version: 7, editors: ['.new-editor', DEFAULT_SELECTORS.editors[0], 'bad((', 42], anchors: 'not a list' },
      DEFAULT_SELECTORS,
      valid,
    );
    expect(merged.version).toBe(7);
    expect(merged.editors).toEqual(['.new-editor', ...DEFAULT_SELECTORS.editors]);
    expect(merged.anchors).toEqual(DEFAULT_SELECTORS.anchors);
    expect(merged.shadowHosts).toEqual(DEFAULT_SELECTORS.shadowHosts);
  });

  test('no table (offline, old server) means the built-in defaults', () => {
    expect(mergeSelectors(null)).toBe(DEFAULT_SELECTORS);
    expect(mergeSelectors('<html>')).toBe(DEFAULT_SELECTORS);
  });
});
