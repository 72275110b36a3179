// When an armed send takes its claim. The claim (an insert into publish_arms) is what makes a send
// exclusive with a change that withdraws it; taken at the due instant, a burst's claims were the due
// second's only database writes and still held 5,000 sends behind FerretDB's one writer (~330 claims
// a second: p99 14.7 s). So each worker keeps a book of the sends armed in it and takes a burst's
// claims ahead of its due time, early enough that the database has written them all before it: a
// lone post claims ARM_CLAIM_MARGIN before its time, 5,000 due in the same second about 20 s before.
// A change that comes after the claim is refused as too late, as one coming after the send would be.

export interface ArmBook {
  /** Counts a send armed in this worker, due at `fireAt` (epoch ms), until the returned function is called. */
  add(fireAt: number): () => void;
  /** The epoch ms at which a send due at `fireAt` takes its claim. */
  claimAt(fireAt: number): number;
}

/** Sends due within this far of each other count as one crowd, whose claims are written together. */
const CROWD_SPAN_MS = 1_000;

export function createArmBook(opts: { claimsPerSecond: number; marginMs: number }): ArmBook {
  const perSecond = new Map<number, number>();
  const second = (at: number) => Math.floor(at / CROWD_SPAN_MS);
  const crowd = (fireAt: number) => {
    const s = second(fireAt);
    return (perSecond.get(s - 1) ?? 0) + (perSecond.get(s) ?? 0) + (perSecond.get(s + 1) ?? 0);
  };
  return {
    add(fireAt) {
      const s = second(fireAt);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        const left = (perSecond.get(s) ?? 1) - 1;
        if (left > 0) perSecond.set(s, left);
        else perSecond.delete(s);
      };
    },
    claimAt(fireAt) {
      const writing = opts.claimsPerSecond > 0 ? (crowd(fireAt) * 1000) / opts.claimsPerSecond : 0;
      return fireAt - opts.marginMs - Math.ceil(writing);
    },
  };
}
