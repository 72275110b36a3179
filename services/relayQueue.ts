// The work an edge hands over right after its ack (start a command's workflow, route a Stripe
// event) waits while acks keep arriving. On a small box the relay's reads, writes and Temporal
// calls, and the worker's work they set off, take the same cores and database the next acks need;
// an ack has a deadline (Slack and Discord 3 s, Stripe retries), the relay only "soon". So the
// relay's work is held until the edge has been quiet for `quietMs`, and never longer than
// `maxHoldMs` after it came, then run as one batch. Held work is only ever in memory on top of its
// inbox entry: a process that dies holding it leaves the entry to the sweeper.

export interface RelayQueue<T> {
  /** An ack is being handed off now: what is held waits for the edge to be quiet. */
  ackArriving(): void;
  /** Work for after an ack, under its inbox entry's id (a repeat of an id held already replaces it). */
  add(id: string, item: T): void;
  /** Whether this id is held (or being run) here: the sweeper leaves it to this relay. */
  holds(id: string): boolean;
  /** Runs everything held now, without waiting for quiet; resolves when it has run. */
  flush(): Promise<void>;
}

export interface RelayQueueOptions<T> {
  /** Run once no ack has arrived for this long... */
  quietMs: number;
  /** ...or once the oldest held item has waited this long, quiet or not. */
  maxHoldMs: number;
  /** At most this many items per run; the rest run next. */
  maxBatch?: number;
  /** Does the work; handles its own failures (the inbox entries stay for the sweeper). */
  run(items: T[]): Promise<void>;
  now?: () => number;
}

export function relayQueue<T>(opts: RelayQueueOptions<T>): RelayQueue<T> {
  const now = opts.now ?? (() => performance.now());
  const held = new Map<string, { item: T; since: number }>();
  const running = new Set<string>();
  let lastAck = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;

  const oldest = (): number => {
    for (const { since } of held.values()) return since; // a Map iterates in insertion order
    return Number.POSITIVE_INFINITY;
  };
  const dueAt = (): number => Math.min(lastAck + opts.quietMs, oldest() + opts.maxHoldMs);

  const schedule = () => {
    if (timer || pass || held.size === 0) return;
    timer = setTimeout(tick, Math.max(0, dueAt() - now()));
    timer.unref();
  };
  const tick = () => {
    timer = undefined;
    if (now() < dueAt()) return schedule();
    void runBatch();
  };
  const runBatch = (): Promise<void> => {
    const batch = [...held.entries()].slice(0, opts.maxBatch ?? 200);
    for (const [id] of batch) {
      held.delete(id);
      running.add(id);
    }
    pass = opts
      .run(batch.map(([, h]) => h.item))
      .catch((err: unknown) => console.warn(`[relay] a batch failed: ${(err as Error).message}; the sweeper tries again`))
      .finally(() => {
        for (const [id] of batch) running.delete(id);
        pass = undefined;
        schedule();
      });
    return pass;
  };

  return {
    ackArriving() {
      lastAck = now();
    },
    add(id, item) {
      held.delete(id);
      held.set(id, { item, since: now() });
      schedule();
    },
    holds: (id) => held.has(id) || running.has(id),
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (pass || held.size) {
        if (pass) await pass;
        else await runBatch();
      }
    },
  };
}

/**
 * Edge relays: run 200 ms after the last ack, or 1.5 s after the first held item, whichever is
 * first. With 50 ms, a burst's own gaps on a loaded 2-core box (a GC, another process's turn) let
 * the relay start its workflows in the middle of the burst (seen in a CPU profile of the API).
 */
export const EDGE_RELAY_QUIET_MS = 200;
export const EDGE_RELAY_MAX_HOLD_MS = 1_500;

/** Runs `fn` over `items` with at most `limit` at once. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
