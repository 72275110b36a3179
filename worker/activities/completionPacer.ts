// Paces the completions of armed sends on one worker. A burst of armed posts all send in their due
// second; if their activities also completed then, thousands of completions and workflow tasks would
// reach Temporal at once and take the CPU from the sends (PERF-NOTES: 5,000 due → p99 6.7 s
// unpaced, 1.29 s spread over 30 s). So a completion first waits until its worker's burst has been
// sent (fewer than `quietBelow` armed sends still in flight, or `maxHoldMs` at most), then takes a
// slot at most `perSecond` apart: a lone post completes at once and only a crowd waits, in order.

export interface CompletionPacer {
  /** The epoch ms at which the caller may complete: now, or the next free slot after the crowd ahead of it. */
  slot(): number;
  /** Counts an armed send as in flight until the returned function is called (when it is answered). */
  sending(): () => void;
  /** Resolves when the caller may complete: its worker's burst is out, then its slot has come. */
  turn(): Promise<void>;
}

export interface PacerOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A burst is out once fewer sends than this are in flight (a few slow receivers do not hold everyone). */
  quietBelow?: number;
  /** The longest a completion waits for the burst to be out (a steady stream of sends never is). */
  maxHoldMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createCompletionPacer(perSecond: number, opts: PacerOptions = {}): CompletionPacer {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const quietBelow = opts.quietBelow ?? 32;
  const maxHoldMs = opts.maxHoldMs ?? 10_000;
  const gapMs = perSecond > 0 ? 1000 / perSecond : 0;
  let nextFree = 0;
  let inFlight = 0;
  let quiet: { promise: Promise<void>; resolve: () => void } | undefined;

  const slot = (): number => {
    if (gapMs === 0) return now();
    const at = Math.max(now(), nextFree);
    nextFree = at + gapMs;
    return at;
  };

  const whenQuiet = (): Promise<void> => {
    if (!quiet) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      quiet = { promise, resolve };
    }
    return quiet.promise;
  };

  return {
    slot,
    sending() {
      inFlight++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight--;
        if (inFlight < quietBelow && quiet) {
          quiet.resolve();
          quiet = undefined;
        }
      };
    },
    async turn() {
      if (gapMs === 0) return;
      if (inFlight >= quietBelow) await Promise.race([whenQuiet(), sleep(maxHoldMs)]);
      const at = slot();
      const wait = at - now();
      if (wait > 0) await sleep(wait);
    },
  };
}
