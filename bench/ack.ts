// How fast the edges acknowledge: Slack gives a slash command 3 s, Stripe retries a webhook that
// is slow to answer. Each request is signed exactly as the sender signs it and goes to the API
// process over HTTP; the time is from sending the request to the whole answer.
import { createHmac, sign as edSign } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../core/stripe';
import { ensureAccount } from '../core/accounts';
import { appendToLedger } from '../core/ledger';
import { pool } from './drive';
import { progress } from './progress';
import {
  DISCORD_ACCOUNT,
  DISCORD_APP_ID,
  DISCORD_CHANNELS,
  DISCORD_GUILD,
  DISCORD_SIGNING_KEY,
  SLACK_CHANNELS,
  SLACK_SIGNING_SECRET,
  STRIPE_WEBHOOK_SECRET,
  type BenchStack,
} from './stack';
import { summarize, type Summary } from './stats';

export interface AckResult {
  edge: 'Slack /postforge write' | 'Discord /post' | 'Stripe checkout.session.completed';
  concurrency: number;
  latency: Summary;
  /** Answers that were not the success the sender needs (Slack: 200; Discord: 200 with a deferred reply; Stripe: 2xx). */
  failures: number;
}

const TEAM = 'T0BENCH';

/**
 * Requests per level's warm-up: one per connection the level keeps open, so that connection setup
 * is not in the sample (with 10 at 50 concurrent, 40 connections were opened inside the sample).
 */
const warmUp = (concurrency: number): number => Math.max(concurrency, 10);
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

/** Discord's permission bits: View Channel, Send Messages, Embed Links, Manage Server. */
const MANAGER_PERMS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 5n));
const BOT_PERMS = String((1n << 10n) | (1n << 11n) | (1n << 14n));

/** A `/post` interaction as Discord sends it to the HTTP endpoint, signed with the application's key. */
function discordPost(n: number): { body: string; headers: Record<string, string> } {
  const id = String(700000000000000000n + BigInt(n) + BigInt(process.pid) * 1_000_000n);
  const body = JSON.stringify({
    id,
    application_id: DISCORD_APP_ID,
    type: 2,
    data: { id: '800000000000000001', name: 'post', type: 1, options: [{ name: 'topic', type: 3, value: `Benchmarks that tell the truth, number ${n}` }] },
    guild_id: DISCORD_GUILD,
    channel_id: DISCORD_CHANNELS.ok,
    channel: { id: DISCORD_CHANNELS.ok, type: 0, name: 'bench' },
    member: {
      user: { id: `5000000000000${String(n % 20).padStart(5, '0')}`, username: 'bench', discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions: MANAGER_PERMS,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    token: `bench-token-${id}-${'x'.repeat(60)}`,
    version: 1,
    app_permissions: BOT_PERMS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': DISCORD_GUILD },
    context: 0,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = edSign(null, Buffer.from(ts + body), DISCORD_SIGNING_KEY).toString('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts } };
}

function checkoutCompleted(n: number, accountId: string): { body: string; headers: Record<string, string> } {
  const session = `cs_bench_${process.pid}_${Date.now()}_${n}`;
  const body = JSON.stringify({
    id: `evt_bench_${session}`,
    object: 'event',
    api_version: STRIPE_API_VERSION,
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
        // What a paid session of the default Starter pack carries, so the purchase is granted
        // (the relay checks amount, currency and metadata against the pack) and the drain below counts it.
        amount_total: 500,
        currency: 'usd',
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
  ok: (status: number, body: string) => boolean,
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
      const text = await res.text();
      const took = performance.now() - t0;
      if (!ok(res.status, text)) failures++;
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
  await ensureAccount(stack.db, { _id: DISCORD_ACCOUNT, kind: 'discord', name: 'bench' }, 0);
  await appendToLedger(stack.db, DISCORD_ACCOUNT, 'bench-grant:discord-acks', { amount: 1_000_000, kind: 'grant', reason: 'bench credits' });
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
      warmUp(c),
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
    slackSent += warmUp(c) + opts.requests;
    // Each acked command goes on working (preview, post, draft): let that drain before the next
    // level, or the next level measures this one's backlog.
    await drained(`Slack c=${c} backlog`, slackSent, () => stack.db.posts.countDocuments({ accountId: `slack:${TEAM}`, status: 'draft' }));
  }
  let discordSent = 0;
  // Answered "deferred" (type 5) once the command is handed off; the worker then edits the reply.
  const deferred = (status: number, body: string) => status === 200 && body.includes('"type":5');
  for (const c of opts.levels) {
    await measure(
      stack,
      '/discord/interactions',
      warmUp(c),
      c,
      () => discordPost(1_000_000 + seq++),
      () => true,
      `warm-up Discord c=${c}`,
    );
    const s = await measure(stack, '/discord/interactions', opts.requests, c, () => discordPost(seq++), deferred, `Discord ack c=${c}`);
    out.push({ edge: 'Discord /post', concurrency: c, ...s });
    discordSent += warmUp(c) + opts.requests;
    await drained(`Discord c=${c} backlog`, discordSent, () => stack.db.posts.countDocuments({ accountId: DISCORD_ACCOUNT, status: 'draft' }));
  }
  let stripeSent = 0;
  for (const c of opts.levels) {
    await measure(
      stack,
      '/webhooks/stripe',
      warmUp(c),
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
    stripeSent += warmUp(c) + opts.requests;
    await drained(`Stripe c=${c} backlog`, stripeSent, () => stack.db.purchases.countDocuments({ status: 'granted' }));
  }
  return out;
}
