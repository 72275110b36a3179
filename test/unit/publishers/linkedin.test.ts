import { createLinkedInPublisher, escapeLittleText, linkedInPostUrl, PublishError, type LinkedInPublisher } from '../../../worker/publishers';
import { closedPortUrl } from '../../standins/http';
import { renderLittleText, startLinkedInStandin, type LinkedInStandin } from '../../standins/linkedin';

const TOKEN = 'AQVgood-token';
const SUB = 'abc123XYZ';
const VERSION = '202510';
const creds = { accessToken: TOKEN, authorUrn: `urn:li:person:${SUB}` };
const target = { kind: 'linkedin' as const };

async function rejection(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

let li: LinkedInStandin;
let publisher: LinkedInPublisher;
const publish = (text: string, over: Partial<typeof creds> = {}, signal?: AbortSignal) =>
  publisher.publish({ target, text, idempotencyKey: 'publish:p1:linkedin', credentials: { ...creds, ...over }, ...(signal ? { signal } : {}) });

beforeEach(async () => {
  li = await startLinkedInStandin({ validTokens: { [TOKEN]: SUB, 'AQVother-token': 'someoneElse' }, version: [VERSION] });
  publisher = createLinkedInPublisher({ apiBaseUrl: li.url, version: VERSION, timeoutMs: 2_000 });
});
afterEach(() => li.close());

describe('escapeLittleText', () => {
  it.each([
    ['plain words stay', 'Hello, world!', 'Hello, world!'],
    ['every reserved char gets a backslash', '\\|{}@[]()<>*_~', '\\\\\\|\\{\\}\\@\\[\\]\\(\\)\\<\\>\\*\\_\\~'],
    ['a hashtag stays clickable', 'Ship it #DevOps', 'Ship it #DevOps'],
    ['"C#" is not a hashtag', 'I write C# daily', 'I write C\\# daily'],
    ['a number is not a hashtag', 'see issue #42', 'see issue \\#42'],
    ['a lone # is escaped', '# heading', '\\# heading'],
    ['a hashtag in parentheses', '(#ai)', '\\(#ai\\)'],
    ['a hashtag stops at an underscore', '#snake_case', '#snake\\_case'],
  ])('%s', (_name, input, expected) => {
    expect(escapeLittleText(input)).toBe(expected);
  });

  it('escapes hashtags too when asked to keep them literal', () => {
    expect(escapeLittleText('#DevOps rocks', { keepHashtags: false })).toBe('\\#DevOps rocks');
  });

  it('survives LinkedIn rendering unchanged, whatever reserved characters the text holds', () => {
    const text = 'Q3 (final) results: 50% up [audited] <wow> a_b *bold* ~x~ {json} a|b @team \\o/ C# #growth #2024 ok';
    const shown = renderLittleText(escapeLittleText(text));
    expect(shown).toEqual({ text, truncated: false, hashtags: ['growth'] });
  });
});

describe('LinkedIn publisher against the stand-in', () => {
  it('creates the post with the documented headers and body and returns its URN and link', async () => {
    const text = 'Launch day (finally)! Thanks @everyone #Launch';
    const out = await publish(text);

    expect(li.posts).toHaveLength(1);
    const post = li.posts[0]!;
    expect(out).toEqual({ externalId: post.urn, url: linkedInPostUrl(post.urn) });
    expect(out.externalId).toMatch(/^urn:li:share:\d+$/);
    expect(out.url).toBe(`https://www.linkedin.com/feed/update/${post.urn}/`);

    const req = li.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/rest/posts');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['linkedin-version']).toBe(VERSION);
    expect(req.headers['x-restli-protocol-version']).toBe('2.0.0');
    expect(req.body).toEqual({
      author: `urn:li:person:${SUB}`,
      commentary: 'Launch day \\(finally\\)! Thanks \\@everyone #Launch',
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    });
    expect(post.rendered).toBe(text);
    expect(post.truncated).toBe(false);
    expect(post.hashtags).toEqual(['Launch']);
  });

  it('refuses more than 3,000 characters before sending anything', async () => {
    const err = await rejection(publish('a'.repeat(3001)));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/3001 characters.*at most 3000/);
    expect(li.requests).toHaveLength(0);
  });

  it('turns a revoked token (401) into a reconnect: the target waits for the author, nothing posted', async () => {
    const err = await rejection(publish('hi', { accessToken: 'AQVrevoked' }));
    expect(err).toMatchObject({ kind: 'reconnect', status: 401, code: 'INVALID_ACCESS_TOKEN' });
    expect(err.message).toMatch(/revoked or replaced\. Reconnect LinkedIn and the post will go out/);
    expect(li.posts).toHaveLength(0);
  });

  it('turns a token for another member (author mismatch) into a permanent 403', async () => {
    const err = await rejection(publish('hi', { accessToken: 'AQVother-token' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 403 });
    expect(err.message).toMatch(/reconnect LinkedIn/i);
  });

  it('says to update LINKEDIN_VERSION when the version has been retired (426) and there is no fallback', async () => {
    const old = createLinkedInPublisher({ apiBaseUrl: li.url, version: '202301', timeoutMs: 2_000 });
    const err = await rejection(old.publish({ target, text: 'hi', idempotencyKey: 'k', credentials: creds }));
    expect(err).toMatchObject({ kind: 'permanent', status: 426, code: 'NONEXISTENT_VERSION' });
    expect(err.message).toMatch(/202301.*LINKEDIN_VERSION/);
  });

  it('on a 426 retries once with the fallback version, warns the operator once, and keeps using the fallback', async () => {
    const warnings: string[] = [];
    const p = createLinkedInPublisher({ apiBaseUrl: li.url, version: '202611', fallbackVersion: VERSION, timeoutMs: 2_000, warn: (m) => warnings.push(m) });
    const first = await p.publish({ target, text: 'first', idempotencyKey: 'k1', credentials: creds });
    expect(first.externalId).toMatch(/^urn:li:share:/);
    expect(li.requests.map((r) => r.headers['linkedin-version'])).toEqual(['202611', VERSION]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/refused API version 202611 \(426\).*LINKEDIN_FALLBACK_VERSION 202510/);

    await p.publish({ target, text: 'second', idempotencyKey: 'k2', credentials: creds });
    expect(li.requests.map((r) => r.headers['linkedin-version'])).toEqual(['202611', VERSION, VERSION]);
    expect(li.posts.map((x) => x.rendered)).toEqual(['first', 'second']);
    expect(warnings).toHaveLength(1);
  });

  it('fails once, naming the version, when the fallback is refused too (no loop)', async () => {
    const p = createLinkedInPublisher({ apiBaseUrl: li.url, version: '202611', fallbackVersion: '202301', timeoutMs: 2_000, warn: () => {} });
    const err = await rejection(p.publish({ target, text: 'hi', idempotencyKey: 'k', credentials: creds }));
    expect(err).toMatchObject({ kind: 'permanent', status: 426 });
    expect(err.message).toMatch(/202301/);
    expect(li.requests).toHaveLength(2);
  });

  it('accepts a revision version (YYYYMM.RR) as LinkedIn publishes them', async () => {
    const rev = await startLinkedInStandin({ validTokens: { [TOKEN]: SUB }, version: ['202508.02'] });
    try {
      const p = createLinkedInPublisher({ apiBaseUrl: rev.url, version: '202508.02', timeoutMs: 2_000 });
      await p.publish({ target, text: 'hi', idempotencyKey: 'k', credentials: creds });
      expect(rev.posts).toHaveLength(1);
    } finally {
      await rev.close();
    }
  });

  it('checks the 3,000-character limit on the commentary as sent, escapes included, before sending', async () => {
    const text = `${'a'.repeat(2_990)}${'()'.repeat(5)}`;
    expect(Array.from(text)).toHaveLength(3_000);
    const err = await rejection(publish(text));
    expect(err).toMatchObject({ kind: 'permanent', code: 'too_long' });
    expect(err.message).toMatch(/3010 characters as LinkedIn receives it/);
    expect(li.requests).toHaveLength(0);
    await publish('a'.repeat(3_000));
    expect(li.posts).toHaveLength(1);
  });

  it('refuses an author that is not a member URN without sending', async () => {
    const err = await rejection(publish('hi', { authorUrn: 'urn:li:organization:5' }));
    expect(err.kind).toBe('permanent');
    expect(li.requests).toHaveLength(0);
  });

  it('treats 429 as retryable and honours Retry-After', async () => {
    li.failNext(429, { retryAfter: 7 });
    const err = await rejection(publish('hi'));
    expect(err).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 7000 });
  });

  it('treats 500 as retryable', async () => {
    li.failNext(500);
    const err = await rejection(publish('hi'));
    expect(err).toMatchObject({ kind: 'retryable', status: 500 });
  });

  it('treats 504 as an unknown outcome: the gateway may have forwarded it', async () => {
    li.failNext(504);
    expect((await rejection(publish('hi'))).kind).toBe('unknown_outcome');
  });

  it('treats a request that hangs past the deadline as an unknown outcome, not a retry', async () => {
    li.hangNext();
    const quick = createLinkedInPublisher({ apiBaseUrl: li.url, version: VERSION, timeoutMs: 150 });
    const started = Date.now();
    const err = await rejection(quick.publish({ target, text: 'hi', idempotencyKey: 'k', credentials: creds }));
    expect(err).toMatchObject({ kind: 'unknown_outcome', code: 'timeout' });
    expect(err.message).toMatch(/150 ms.*may or may not have been published/);
    expect(Date.now() - started).toBeLessThan(5_000); // gave up at its deadline instead of hanging
  });

  it('treats a cancellation mid-request as an unknown outcome and one before sending as retryable', async () => {
    li.hangNext();
    const ctl = new AbortController();
    const sent = li.requests.length;
    const pending = rejection(publish('hi', {}, ctl.signal));
    // Cancel once LinkedIn has the request (not after a fixed delay, which a loaded machine can outrun).
    while (li.requests.length === sent) await new Promise((r) => setTimeout(r, 5));
    ctl.abort();
    expect((await pending).kind).toBe('unknown_outcome');

    const before = li.requests.length;
    const err = await rejection(publish('hi', {}, AbortSignal.abort()));
    expect(err.kind).toBe('retryable');
    expect(li.requests).toHaveLength(before);
  });

  it('treats connection refused as retryable: nothing was sent', async () => {
    const down = createLinkedInPublisher({ apiBaseUrl: await closedPortUrl(), version: VERSION, timeoutMs: 2_000 });
    const err = await rejection(down.publish({ target, text: 'hi', idempotencyKey: 'k', credentials: creds }));
    expect(err).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });
});
