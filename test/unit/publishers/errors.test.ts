import { checkText, parseRetryAfter, PublishError, statusError, transportError, type TransportContext } from '../../../worker/publishers';

const plain: TransportContext = { service: 'LinkedIn', dedupes: false, timeoutMs: 1000 };
const dedupes: TransportContext = { service: 'Discord', dedupes: true, timeoutMs: 1000 };
const socketError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('parseRetryAfter', () => {
  it('reads delta-seconds, fractions included', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('1.25')).toBe(1250);
  });
  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  });
  it('ignores missing, negative and garbage values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('transportError', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT'])('%s never reached the server: retryable even without dedupe', (code) => {
    expect(transportError(plain, 'network', socketError(code))).toMatchObject({ kind: 'retryable', code });
  });
  it('a dropped connection or timeout is unknown without dedupe, retryable with it', () => {
    expect(transportError(plain, 'network', socketError('ECONNRESET')).kind).toBe('unknown_outcome');
    expect(transportError(plain, 'timeout', new Error('aborted')).kind).toBe('unknown_outcome');
    expect(transportError(dedupes, 'network', socketError('UND_ERR_SOCKET')).kind).toBe('retryable');
    expect(transportError(dedupes, 'timeout', new Error('aborted')).kind).toBe('retryable');
  });
});

describe('statusError', () => {
  it.each([
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [408, 'retryable'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
  ] as const)('%i is %s', (status, kind) => {
    expect(statusError(plain, status, '')).toMatchObject({ kind, status });
  });
  it('504 follows dedupe like a timeout', () => {
    expect(statusError(plain, 504, '').kind).toBe('unknown_outcome');
    expect(statusError(dedupes, 504, '').kind).toBe('retryable');
  });
});

describe('checkText', () => {
  it('counts code points, so an emoji is one character', () => {
    expect(() => checkText('X', '😀'.repeat(10), 10)).not.toThrow();
    expect(() => checkText('X', '😀'.repeat(11), 10)).toThrow(PublishError);
  });
  it('refuses empty text', () => {
    expect(() => checkText('X', '  \n', 10)).toThrow(/empty/);
  });
});
