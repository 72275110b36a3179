// When an armed send takes its claim. The claim (an insert into publish_arms) is what makes a send
// exclusive with a change that withdraws it; taken at the due instant, a burst's claims were the due
// second's only database writes and still held 5,000 sends behind FerretDB's one writer (~330 claims
// a second: p99 14.7 s). So each worker keeps a book of the sends armed in it and takes a burst's
// claims ahead of its due time, early enough that the database has written them all before it: a
// lone post claims PUBLISH_CLAIM_MARGIN before its time, 5,000 due in the same second about 22 s before.
// A change that comes after the claim is refused as too late, as one coming after the send would be.

export interface ArmEntry {
  /** The claim was written (epoch ms). */
  claimed(at: number): void;
  /** The wait for the due instant ended and the send starts (epoch ms). */
  woke(at: number): void;
  /** Leaves the book (sent, withdrawn, stopped); once, however often it is called. */
  leave(): void;
}

/** What one due second's crowd did, told when its last send leaves the book. */
export interface CrowdReport {
  dueSecond: number;
  sends: number;
  claimed: number;
  /** Claims written after their send's due time, and the latest of them (ms after due). */
  lateClaims: number;
  worstClaimLagMs: number;
  /** Retries (a worker stopped before sending) that claimed after the due time: expected, not a sign of a crowded second. */
  retriedLate: number;
  /** When the crowd's last send armed and its first and last claims were written, in ms before the due second (negative: after). */
  lastArmedMs: number;
  firstClaimMs: number;
  lastClaimMs: number;
  /** How long after their due time the sends started (the in-process timers' lateness), p50 / p99 / max in ms. */
  wakeLagMs: { p50: number; p99: number; max: number };
}

export interface ArmBook {
  /** Counts a send armed in this worker, due at `fireAt` (epoch ms), until it leaves; `retry`: a later attempt of its activity. */
  add(fireAt: number, opts?: { retry?: boolean }): ArmEntry;
  /** The epoch ms at which a send due at `fireAt` takes its claim. */
  claimAt(fireAt: number): number;
}

/** Sends due within this far of each other count as one crowd, whose claims are written together. */
const CROWD_SPAN_MS = 1_000;

interface Crowd {
  armed: number;
  sends: number;
  claimed: number;
  lateClaims: number;
  worstClaimLagMs: number;
  retriedLate: number;
  lastArmedAt: number;
  firstClaimAt: number;
  lastClaimAt: number;
  wakeLags: number[];
}

const pick = (sorted: number[], q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);

export function createArmBook(opts: { claimsPerSecond: number; marginMs: number; onCrowdDone?: (r: CrowdReport) => void; now?: () => number }): ArmBook {
  const now = opts.now ?? Date.now;
  const crowds = new Map<number, Crowd>();
  const second = (at: number) => Math.floor(at / CROWD_SPAN_MS);
  const around = (fireAt: number) => {
    const s = second(fireAt);
    return (crowds.get(s - 1)?.armed ?? 0) + (crowds.get(s)?.armed ?? 0) + (crowds.get(s + 1)?.armed ?? 0);
  };
  return {
    add(fireAt, { retry = false } = {}) {
      const s = second(fireAt);
      let crowd = crowds.get(s);
      if (!crowd) {
        crowd = {
          armed: 0,
          sends: 0,
          claimed: 0,
          lateClaims: 0,
          worstClaimLagMs: 0,
          retriedLate: 0,
          lastArmedAt: 0,
          firstClaimAt: Infinity,
          lastClaimAt: -Infinity,
          wakeLags: [],
        };
        crowds.set(s, crowd);
      }
      const c = crowd;
      c.armed++;
      c.sends++;
      c.lastArmedAt = Math.max(c.lastArmedAt, now());
      let left = false;
      return {
        claimed(at) {
          c.claimed++;
          c.firstClaimAt = Math.min(c.firstClaimAt, at);
          c.lastClaimAt = Math.max(c.lastClaimAt, at);
          if (at > fireAt && retry) c.retriedLate++;
          else if (at > fireAt) {
            c.lateClaims++;
            c.worstClaimLagMs = Math.max(c.worstClaimLagMs, at - fireAt);
          }
        },
        woke(at) {
          c.wakeLags.push(at - fireAt);
        },
        leave() {
          if (left) return;
          left = true;
          if (--c.armed > 0) return;
          crowds.delete(s);
          const due = s * CROWD_SPAN_MS;
          const lags = c.wakeLags.sort((a, b) => a - b);
          opts.onCrowdDone?.({
            dueSecond: due,
            sends: c.sends,
            claimed: c.claimed,
            lateClaims: c.lateClaims,
            worstClaimLagMs: c.worstClaimLagMs,
            retriedLate: c.retriedLate,
            lastArmedMs: due - c.lastArmedAt,
            firstClaimMs: c.claimed ? due - c.firstClaimAt : 0,
            lastClaimMs: c.claimed ? due - c.lastClaimAt : 0,
            wakeLagMs: { p50: pick(lags, 0.5), p99: pick(lags, 0.99), max: lags.at(-1) ?? 0 },
          });
        },
      };
    },
    claimAt(fireAt) {
      const writing = opts.claimsPerSecond > 0 ? (around(fireAt) * 1000) / opts.claimsPerSecond : 0;
      return fireAt - opts.marginMs - Math.ceil(writing);
    },
  };
}
