// The end-of-run verdict, read from the destinations' own records and the ledger: each post arrived
// exactly once, or failed, arrived nowhere and was refunded exactly once; no post is left in a
// non-terminal state; every account's balance is the sum of its ledger and matches its posts.
import { balanceOf, checkLedger } from '../../core/ledger';
import type { PostDoc } from '../../core/records';
import type { BenchStack } from '../stack';
import type { PlannedPost } from './plan';

export interface Verdict {
  counts: Record<string, number>;
  violations: string[];
}

const TERMINAL: PostDoc['status'][] = ['published', 'failed', 'canceled'];

/** How many times the post's text landed at its destination (distinct deliveries). */
function deliveries(stack: BenchStack, p: PlannedPost): { landed: number; sends: number } {
  switch (p.destination) {
    case 'linkedin': {
      const n = stack.linkedin.posts.filter((x) => x.commentary.includes(p.token)).length;
      return { landed: n, sends: n };
    }
    case 'slack': {
      const n = stack.slack.messages.filter((m) => typeof m.text === 'string' && m.text.includes(p.token)).length;
      return { landed: n, sends: n };
    }
    case 'discord-channel':
    case 'discord-webhook': {
      const via = p.destination === 'discord-channel' ? 'bot' : 'webhook';
      const landed = stack.discord.messages.filter((m) => m.via === via && m.content.includes(p.token)).length;
      const sends = stack.discord.requests.filter((r) => r.method === 'POST' && r.rawBody.includes(p.token)).length;
      return { landed, sends };
    }
    case 'webhook': {
      const landed = stack.sink.deliveries.filter((d) => String(d.payload.text ?? '').includes(p.token)).length;
      const sends = stack.sink.requests.filter((r) => r.rawBody.includes(p.token)).length;
      return { landed, sends };
    }
  }
}

export async function verify(
  stack: BenchStack,
  posts: Array<PlannedPost & { postId: string; accountId: string }>,
  credits: Map<string, number>,
): Promise<Verdict> {
  const violations: string[] = [];
  const counts: Record<string, number> = {
    posts: posts.length,
    'published, confirmed': 0,
    'published, unconfirmed (author told to check; it had arrived)': 0,
    'published, unconfirmed (author told to check; it had not arrived)': 0,
    'failed and refunded (made to fail)': 0,
    'failed and refunded (other causes)': 0,
    'sends repeated after a crash (deduped by the destination)': 0,
    'stuck (not terminal)': 0,
  };
  const publishedPerAccount = new Map<string, number>();
  for (const p of posts) {
    const doc = await stack.db.posts.findOne({ _id: p.postId });
    const where = `post ${p.i} (${p.postId}, ${p.destination}${p.doomed ? ', made to fail' : ''})`;
    if (!doc) {
      violations.push(`${where}: no document`);
      continue;
    }
    if (!TERMINAL.includes(doc.status)) {
      counts['stuck (not terminal)']!++;
      violations.push(`${where}: stuck in "${doc.status}"`);
      continue;
    }
    const { landed, sends } = deliveries(stack, p);
    if (sends > Math.max(1, landed)) counts['sends repeated after a crash (deduped by the destination)']!++;
    if (landed > 1) violations.push(`${where}: published ${landed} times`);
    const [charge, refund] = await Promise.all([
      stack.db.ledger.findOne({ _id: `charge:${p.postId}` }),
      stack.db.ledger.findOne({ _id: `refund:${p.postId}` }),
    ]);
    if (!charge) violations.push(`${where}: never charged`);
    const outcome = doc.results[0]?.outcome;
    if (doc.status === 'published') {
      publishedPerAccount.set(p.accountId, (publishedPerAccount.get(p.accountId) ?? 0) + 1);
      if (refund) violations.push(`${where}: published and refunded`);
      if (p.doomed) violations.push(`${where}: was made to fail but ended published`);
      if (outcome === 'published') {
        counts['published, confirmed']!++;
        if (landed !== 1) violations.push(`${where}: marked published but arrived ${landed} times`);
      } else if (outcome === 'unconfirmed') {
        counts[
          landed ? 'published, unconfirmed (author told to check; it had arrived)' : 'published, unconfirmed (author told to check; it had not arrived)'
        ]!++;
      } else violations.push(`${where}: published with target outcome ${outcome}`);
    } else if (doc.status === 'failed') {
      if (!refund) violations.push(`${where}: failed without a refund`);
      if (landed > 0) violations.push(`${where}: failed (and refunded) but arrived ${landed} time(s)`);
      counts[p.doomed ? 'failed and refunded (made to fail)' : 'failed and refunded (other causes)']!++;
      if (!p.doomed) violations.push(`${where}: failed without being made to (${doc.reason ?? 'no reason'})`);
    } else {
      violations.push(`${where}: canceled, which nobody asked for`);
    }
  }
  for (const [accountId, initial] of credits) {
    const check = await checkLedger(stack.db, accountId);
    for (const problem of check.problems) violations.push(`ledger ${accountId}: ${problem}`);
    if (check.balance !== check.sum) violations.push(`ledger ${accountId}: balance ${check.balance} is not the sum ${check.sum}`);
    // What every command and /v1/me show (head shortcut + seq markers, no scan) must be the chain's
    // balance too, after writers were killed between an entry and its marker.
    const shown = await balanceOf(stack.db, accountId);
    if (shown !== check.balance) violations.push(`ledger ${accountId}: balanceOf says ${shown}, the chain ${check.balance}`);
    const expected = initial - (publishedPerAccount.get(accountId) ?? 0);
    if (check.balance !== expected)
      violations.push(`ledger ${accountId}: balance ${check.balance}, expected ${expected} (${initial} minus one per published post)`);
  }
  return { counts, violations };
}
