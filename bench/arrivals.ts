// What the webhook sink saw, per idempotency key: when a delivery first arrived and how many
// times it was sent. Lateness and "lost / sent twice" are read from here, at the destination.
import type { WebhookSink } from '../test/standins/webhookSink';

export interface Arrivals {
  first: Map<string, number>;
  count: Map<string, number>;
}

export function arrivals(sink: WebhookSink, keyPrefix: string): Arrivals {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (const r of sink.requests) {
    const key = r.headers['idempotency-key'];
    if (!r.verified || !key?.startsWith(keyPrefix)) continue;
    if (!first.has(key)) first.set(key, r.at);
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return { first, count };
}

/** The key PostForge's publisher sends for one post to the sink (publish:<post>:<target key>). */
export const postKey = (postId: string, hookUrl: string): string => `publish:${postId}:webhook:${hookUrl}`;
