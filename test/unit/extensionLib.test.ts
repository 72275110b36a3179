// The extension's pure parts, without a browser: how API failures read, and the SSE parser that
// must survive events split across network chunks.
import { parseSse } from '../../extension/src/lib/api';
import { ApiError, NotConfigured, toProblem } from '../../extension/src/lib/problems';

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
    expect(toProblem(new ApiError(400, 'Invalid request body', 'scheduledAt: must be in the future'))).toEqual({ kind: 'invalid', message: 'scheduledAt: must be in the future' });
  });

  test('a failed fetch names the URL; missing settings point at the options', () => {
    expect(toProblem(new TypeError('Failed to fetch'), 'http://api.test').message).toBe("Can't reach PostForge at http://api.test. Check the API URL in the options, or try again later.");
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
