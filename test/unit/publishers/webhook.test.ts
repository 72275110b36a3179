import { createWebhookPublisher, PublishError, signWebhook, verifyWebhookSignature, type WebhookPublisher } from '../../../worker/publishers';
import { closedPortUrl, rawBodyApp, startServer } from '../../standins/http';
import { startWebhookSink, type WebhookSink } from '../../standins/webhookSink';

const SECRET = 'whsec_test_secret';
/** The sink listens on 127.0.0.1, as a self-hosted receiver would (ALLOW_PRIVATE_WEBHOOK_HOSTS=true). */
const LOCAL = { allowPrivate: true };
const KEY = 'publish:p1:webhook:https://hooks.example/x';

async function rejection(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

let sink: WebhookSink;
let publisher: WebhookPublisher;
const publish = (text: string, opts: { url?: string; secret?: string; p?: WebhookPublisher; key?: string } = {}) =>
  (opts.p ?? publisher).publish({
    target: { kind: 'webhook', url: opts.url ?? sink.hookUrl },
    text,
    idempotencyKey: opts.key ?? KEY,
    credentials: { signingSecret: opts.secret ?? SECRET },
    postId: 'p1',
  });

beforeEach(async () => {
  sink = await startWebhookSink({ secret: SECRET });
  publisher = createWebhookPublisher({ timeoutMs: 2_000, outbound: LOCAL });
});
afterEach(() => sink.close());

describe('verifyWebhookSignature', () => {
  const now = 1_760_000_000_000;
  const ts = String(now / 1000);
  const body = '{"idempotencyKey":"k","text":"hi","sentAt":"2025-10-09T08:53:20.000Z"}';
  const headers = { 'x-postforge-timestamp': ts, 'x-postforge-signature': signWebhook(SECRET, ts, body) };

  it('accepts a good signature', () => {
    expect(verifyWebhookSignature(body, headers, SECRET, 300, now)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), new Headers(headers), SECRET, 300, now)).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyWebhookSignature(body.replace('hi', 'ho'), headers, SECRET, 300, now)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifyWebhookSignature(body, headers, 'another-secret', 300, now)).toBe(false);
  });

  it('rejects a stale or far-future timestamp, and accepts one just inside the tolerance', () => {
    expect(verifyWebhookSignature(body, headers, SECRET, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(body, headers, SECRET, 300, now - 301_000)).toBe(false);
    expect(verifyWebhookSignature(body, headers, SECRET, 300, now + 299_000)).toBe(true);
  });

  it('rejects a timestamp changed after signing, and missing headers', () => {
    const later = String(Number(ts) + 1);
    expect(verifyWebhookSignature(body, { ...headers, 'x-postforge-timestamp': later }, SECRET, 300, now)).toBe(false);
    expect(verifyWebhookSignature(body, { 'x-postforge-timestamp': ts }, SECRET, 300, now)).toBe(false);
  });

  it('accepts any of several signatures, for secret rotation', () => {
    const both = `${signWebhook('old-secret', ts, body)}, ${signWebhook(SECRET, ts, body)}`;
    expect(verifyWebhookSignature(body, { ...headers, 'x-postforge-signature': both }, SECRET, 300, now)).toBe(true);
  });
});

describe('Webhook publisher against the sink', () => {
  it('delivers a signed JSON payload with the idempotency key and keeps the receiver id', async () => {
    const before = Math.floor(Date.now() / 1000);
    const out = await publish('Hello hooks');

    expect(out).toEqual({ externalId: 'dlv_1' });
    const req = sink.requests[0]!;
    expect(req.verified).toBe(true);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe(KEY);
    const ts = Number(req.headers['x-postforge-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 2);
    expect(req.headers['x-postforge-signature']).toBe(signWebhook(SECRET, ts, req.rawBody));
    expect(req.body).toEqual({ postId: 'p1', idempotencyKey: KEY, text: 'Hello hooks', sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect(req.rawBody).toBe(JSON.stringify(req.body));
  });

  it('sends sentAt as the ISO form of the signing time', async () => {
    const fixed = createWebhookPublisher({ timeoutMs: 2_000, outbound: LOCAL, now: () => Date.now() - 10_000 });
    await publish('hi', { p: fixed });
    const req = sink.requests[0]!;
    const sentAt = (req.body as { sentAt: string }).sentAt;
    expect(Math.floor(Date.parse(sentAt) / 1000)).toBe(Number(req.headers['x-postforge-timestamp']));
  });

  it('falls back to the idempotency key when the receiver answers without an id', async () => {
    const bare = await startWebhookSink({ secret: SECRET, respondWithId: false });
    try {
      expect(await publish('hi', { url: bare.hookUrl })).toEqual({ externalId: KEY });
    } finally {
      await bare.close();
    }
  });

  it('is deduplicated by the receiver: the same key twice is one delivery with one id', async () => {
    const a = await publish('once');
    const b = await publish('once');
    expect(b.externalId).toBe(a.externalId);
    expect(sink.deliveries).toHaveLength(1);
    expect(sink.deliveries[0]!.received).toBe(2);
  });

  it('treats a lost answer as retryable, and the retry lands on the same delivery', async () => {
    sink.hangNext(1, { afterRecording: true });
    const quick = createWebhookPublisher({ timeoutMs: 150, outbound: LOCAL });
    const err = await rejection(publish('hi', { p: quick }));
    expect(err).toMatchObject({ kind: 'retryable', code: 'timeout' });
    const out = await publish('hi', { p: quick });
    expect(out.externalId).toBe('dlv_1');
    expect(sink.deliveries).toHaveLength(1);
  });

  it('turns a rejected signature (wrong secret) into a permanent error', async () => {
    const err = await rejection(publish('hi', { secret: 'not-the-secret' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(err.message).toMatch(/signing secret/);
    expect(sink.deliveries).toHaveLength(0);
  });

  it('treats 429 as retryable with Retry-After and 500 as retryable', async () => {
    sink.failNext(429, { retryAfter: 4 });
    expect(await rejection(publish('hi'))).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 4000 });
    sink.failNext(500);
    expect(await rejection(publish('hi'))).toMatchObject({ kind: 'retryable', status: 500 });
  });

  it('treats other 4xx as permanent, without quoting what the receiver said', async () => {
    sink.failNext(422, { body: { error: 'text is not allowed' } });
    const err = await rejection(publish('hi'));
    expect(err).toMatchObject({ kind: 'permanent', status: 422 });
    expect(err.message).toContain('422');
    expect(err.message).not.toContain('text is not allowed');
  });

  it('does not follow a redirect', async () => {
    const app = rawBodyApp();
    app.post('/moved', (_req, res) => res.redirect(307, sink.hookUrl));
    const mover = await startServer(app);
    try {
      const err = await rejection(publish('hi', { url: `${mover.url}/moved` }));
      expect(err).toMatchObject({ kind: 'permanent', status: 307 });
      expect(err.message).toMatch(/redirects \(307\); redirects are not followed/);
      // Where it redirects is the receiver's answer, and answers are never quoted back.
      expect(err.message).not.toContain(sink.hookUrl);
      expect(sink.requests).toHaveLength(0);
    } finally {
      await mover.close();
    }
  });

  it('treats connection refused as retryable', async () => {
    expect(await rejection(publish('hi', { url: `${await closedPortUrl()}/hook` }))).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });

  it('refuses text over 10,000 characters before sending', async () => {
    expect((await rejection(publish('x'.repeat(10_001)))).kind).toBe('permanent');
    expect(sink.requests).toHaveLength(0);
  });
});
