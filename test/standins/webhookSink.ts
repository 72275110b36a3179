// A webhook receiver that behaves the way PostForge asks receivers to: verify the signature over
// the raw body, dedupe by Idempotency-Key (a repeat gets the first delivery's id back), answer
// `{ id }`. Every request is recorded, accepted or not.
import { IDEMPOTENCY_HEADER, verifyWebhookSignature } from '../../worker/publishers/webhook';
import { FailureQueue, obj, rawBodyApp, recordRequest, sendCanned, startServer, type CannedFailure, type RecordedRequest, type RunningServer } from './http';

export interface WebhookSinkOptions {
  /**
   * The receiver's secret, or the secrets it currently trusts (asked on every request: tests rotate
   * them). A delivery to `hookUrl?account=<id>` asks for that account's secrets only: one receiver
   * standing in for many customers' endpoints then verifies each delivery with one HMAC, as a real
   * endpoint does, instead of trying every account's secret.
   */
  secret: string | ((account?: string) => string[]);
  toleranceSec?: number;
  /** false: answer 204 with no body, so the sender has no id to keep. Default true. */
  respondWithId?: boolean;
  /** Answer accepted deliveries this much later, like a real endpoint doing its work (the delivery is taken at once). */
  delayMs?: number;
}

export interface SinkDelivery {
  id: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  /** How many times this key arrived (1 + repeats). */
  received: number;
  /** When it first arrived (epoch ms): lateness is measured from here. */
  firstAt: number;
}

export interface SinkRequest extends RecordedRequest {
  verified: boolean;
}

export interface WebhookSink extends RunningServer {
  /** Where to send deliveries: http://127.0.0.1:P/hook */
  hookUrl: string;
  /** One account's endpoint: its deliveries are verified with that account's secrets alone. */
  hookUrlFor(accountId: string): string;
  requests: SinkRequest[];
  deliveries: SinkDelivery[];
  failNext(status: number, opts?: { times?: number; body?: unknown; retryAfter?: number }): void;
  /** The next `times` requests get no answer; with afterRecording the delivery is still taken (the lost-answer case). */
  hangNext(times?: number, opts?: { afterRecording?: boolean }): void;
  setDelay(ms: number): void;
}

type SinkFailure = CannedFailure & { afterRecording?: boolean };

export async function startWebhookSink(opts: WebhookSinkOptions): Promise<WebhookSink> {
  const requests: SinkRequest[] = [];
  const deliveries: SinkDelivery[] = [];
  const failures = new FailureQueue<SinkFailure>();
  const byKey = new Map<string, SinkDelivery>();
  let delayMs = opts.delayMs ?? 0;
  const app = rawBodyApp();

  app.post('/hook', (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const account = typeof req.query.account === 'string' ? req.query.account : undefined;
    const secrets = typeof opts.secret === 'string' ? [opts.secret] : opts.secret(account);
    const verified = secrets.some((secret) => verifyWebhookSignature(raw, req.headers, secret, opts.toleranceSec ?? 300));
    const rec: SinkRequest = { ...recordRequest(req), verified };
    requests.push(rec);
    const failure = failures.take('hook');
    if (failure && !('hang' in failure && failure.afterRecording)) return sendCanned(res, failure);

    if (!verified) return void res.status(401).json({ error: 'invalid signature' });
    const key = rec.headers[IDEMPOTENCY_HEADER];
    if (!key) return void res.status(400).json({ error: 'Idempotency-Key header is required' });
    const payload = obj(rec.body);
    if (!payload) return void res.status(400).json({ error: 'body must be a JSON object' });

    // By key through a map: benchmarks send thousands, and a scan per delivery would time the sink.
    let delivery = byKey.get(key);
    if (delivery) delivery.received++;
    else {
      delivery = { id: `dlv_${deliveries.length + 1}`, idempotencyKey: key, payload, headers: rec.headers, received: 1, firstAt: Date.now() };
      deliveries.push(delivery);
      byKey.set(key, delivery);
    }
    if (failure) return; // hang after recording
    const answer = (d: SinkDelivery) => {
      if (opts.respondWithId === false) return void res.status(204).end();
      res.status(200).json({ id: d.id, duplicate: d.received > 1 });
    };
    if (delayMs > 0) setTimeout(answer, delayMs, delivery);
    else answer(delivery);
  });

  app.use((req, res) => {
    requests.push({ ...recordRequest(req), verified: false });
    res.status(404).json({ error: 'not found' });
  });

  const server = await startServer(app);
  return {
    ...server,
    hookUrl: `${server.url}/hook`,
    hookUrlFor: (accountId) => `${server.url}/hook?account=${encodeURIComponent(accountId)}`,
    requests,
    deliveries,
    failNext(status, { times = 1, body, retryAfter } = {}) {
      failures.add(
        'hook',
        { status, body: body ?? { error: `canned ${status}` }, ...(retryAfter !== undefined ? { headers: { 'Retry-After': String(retryAfter) } } : {}) },
        times,
      );
    },
    hangNext(times = 1, { afterRecording = false } = {}) {
      failures.add('hook', { hang: true, afterRecording }, times);
    },
    setDelay(ms) {
      delayMs = ms;
    },
  };
}
