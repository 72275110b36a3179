// How fast the edges acknowledge: Slack gives a slash command 3 s, Stripe retries a webhook that
// is slow to answer. Each request is signed exactly as the sender signs it and goes to the API
// process over HTTP; the time is from sending the request to the whole answer.
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { ensureAccount } from '../core/accounts';
import { appendToLedger } from '../core/ledger';
import { pool } from './drive';
import { progress } from './progress';
import { SLACK_CHANNELS, SLACK_SIGNING_SECRET, STRIPE_WEBHOOK_SECRET, type BenchStack } from './stack';
import { summarize, type Summary } from './stats';

export interface AckResult {
  edge: 'Slack /postforge write' | 'Stripe checkout.session.completed';
  concurrency: number;
  latency: Summary;
  /** Answers that were not the success the sender needs (Slack: 200; Stripe: 2xx). */
  failures: number;
}

const TEAM = 'T0BENCH';
const stripe = new Stripe('sk_test_bench');

function slashCommand(n: number): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'bench',
    channel_id: SLACK_CHANNELS.ok,
    channel_name: 'bench',
    user_id: `U0BENCH${n % 20}`,
    user_name: 'bench',
    command: '/postforge',
    text: `write Benchmarks that tell the truth, number ${n}`,
    api_app_id: 'A0BENCH',
    response_url: `http://127.0.0.1:9/never/${n}`,
    trigger_id: `trigger-${n}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature } };
}

function checkoutCompleted(n: number, accountId: string): { body: string; headers: Record<string, string> } {
  const session = `cs_bench_${process.pid}_${Date.now()}_${n}`;
  const body = JSON.stringify({
    id: `evt_bench_${session}`,
    object: 'event',
    api_version: '2025-10-29.clover',
    created: Math.floor(Date.now() / 1000),
    type: 'checkout.session.completed',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: session,
        object: 'checkout.session',
        mode: 'payment',
        status: 'complete',
        payment_status: 'paid',
        payment_intent: `pi_bench_${n}_${Date.now()}`,
        client_reference_id: accountId,
        metadata: { accountId, memberId: accountId, packId: 'starter' },
      },
    },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_WEBHOOK_SECRET }),
    },
  };
}

async function measure(
  stack: BenchStack,
  path: string,
  requests: number,
  concurrency: number,
  make: () => { body: string; headers: Record<string, string> },
  ok: (status: number) => boolean,
  label: string,
): Promise<{ latency: Summary; failures: number }> {
  const bar = progress(label, requests);
  let done = 0;
  let failures = 0;
  const times = await pool(
    Array.from({ length: requests }, (_, i) => i),
    concurrency,
    async () => {
      const { body, headers } = make();
      const t0 = performance.now();
      const res = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      const took = performance.now() - t0;
      if (!ok(res.status)) failures++;
      bar.update(++done);
      return took;
    },
  );
  const latency = summarize(times);
  bar.end(`p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms${failures ? `, ${failures} failed` : ''}`);
  return { latency, failures };
}

/**
 * Waits until `count()` reaches `want` (the work behind the acks is done), or stops moving for 20 s
 * (a command that ended otherwise, e.g. answered with an error, never counts), or 2 minutes pass.
 */
async function drained(label: string, want: number, count: () => Promise<number>): Promise<void> {
  const bar = progress(label, want);
  const deadline = Date.now() + 300_000;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const n = await count();
    bar.update(n);
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    if (n >= want || Date.now() > deadline || Date.now() - lastChange > 20_000) {
      bar.end(n >= want ? 'drained' : `settled at ${n}/${want}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function measureAcks(stack: BenchStack, opts: { levels: number[]; requests: number }): Promise<AckResult[]> {
  // The workspace has credits, so each command takes the full path: post the preview, start the post.
  await ensureAccount(stack.db, { _id: `slack:${TEAM}`, kind: 'slack', name: 'bench' }, 0);
  await appendToLedger(stack.db, `slack:${TEAM}`, 'bench-grant:slack', { amount: 1_000_000, kind: 'grant', reason: 'bench credits' });
  // Purchases spread over accounts as real ones are; one account would measure its ledger's contention.
  const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => stack.newAccount(`stripe-buyer-${i}`)));
  const buyer = () => buyers[seq % buyers.length]!.accountId;
  const out: AckResult[] = [];
  let seq = 0;
  let slackSent = 0;
  for (const c of opts.levels) {
    // A short warm-up per level so the first request's JIT and connection setup are not in the sample.
    await measure(
      stack,
      '/slack/events',
      Math.min(c, 10),
      c,
      () => slashCommand(1_000_000 + seq++),
      () => true,
      `warm-up Slack c=${c}`,
    );
    const s = await measure(
      stack,
      '/slack/events',
      opts.requests,
      c,
      () => slashCommand(seq++),
      (st) => st === 200,
      `Slack ack c=${c}`,
    );
    out.push({ edge: 'Slack /postforge write', concurrency: c, ...s });
    slackSent += Math.min(c, 10) + opts.requests;
    // Each acked command goes on working (preview, post, draft): let that drain before the next
    // level, or the next level measures this one's backlog.
    await drained(`Slack c=${c} backlog`, slackSent, () => stack.db.posts.countDocuments({ accountId: `slack:${TEAM}`, status: 'draft' }));
  }
  let stripeSent = 0;
  for (const c of opts.levels) {
    await measure(
      stack,
      '/webhooks/stripe',
      Math.min(c, 10),
      c,
      () => checkoutCompleted(1_000_000 + seq++, buyer()),
      () => true,
      `warm-up Stripe c=${c}`,
    );
    const s = await measure(
      stack,
      '/webhooks/stripe',
      opts.requests,
      c,
      () => checkoutCompleted(seq++, buyer()),
      (st) => st >= 200 && st < 300,
      `Stripe ack c=${c}`,
    );
    out.push({ edge: 'Stripe checkout.session.completed', concurrency: c, ...s });
    stripeSent += Math.min(c, 10) + opts.requests;
    await drained(`Stripe c=${c} backlog`, stripeSent, () => stack.db.purchases.countDocuments({ status: 'granted' }));
  }
  return out;
}
