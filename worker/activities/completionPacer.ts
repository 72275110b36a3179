// Paces the completions of armed sends on one worker. A burst of armed posts all send in their due
// second; if their activities also completed then, thousands of completions and workflow tasks would
// reach Temporal at once and take the CPU from the sends (PERF-NOTES: 5,000 due → p99 6.7 s
// unpaced, 1.29 s spread over 30 s). Completions are handed slots at most `perSecond` apart, so a
// lone post completes at once and only a crowd waits, in arrival order.

export interface CompletionPacer {
  /** The epoch ms at which the caller may complete: now, or the next free slot after the crowd ahead of it. */
  slot(): number;
}

export function createCompletionPacer(perSecond: number, now: () => number = Date.now): CompletionPacer {
  if (perSecond <= 0) return { slot: () => now() };
  const gapMs = 1000 / perSecond;
  let nextFree = 0;
  return {
    slot() {
      const at = Math.max(now(), nextFree);
      nextFree = at + gapMs;
      return at;
    },
  };
}
