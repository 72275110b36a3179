// Every ledger entry's `_id` is its idempotency key, so the keys ARE the rules of "at most once":
// two code paths that must never both move a credit share one key. They are built here and only
// here. Pure string functions: the workflow bundle imports this file too.

/** The welcome credits of an account, granted once. */
export const welcomeKey = (accountId: string): string => `welcome:${accountId}`;

/** A post's own credit (a post with no paid draft). */
export const chargeKey = (postId: string): string => `charge:${postId}`;
/** The refund of a post's own credit. */
export const refundKey = (postId: string): string => `refund:${postId}`;

/** The credit a streamed draft paid before its first word. */
export const draftChargeKey = (draftId: string): string => `charge:draft:${draftId}`;
/**
 * The one refund a streamed draft's credit can ever get: the stream's own (the generator failed)
 * and the refund of the post the draft paid for use this same key, so they cannot both happen.
 */
export const draftRefundKey = (draftId: string): string => `refund:draft:${draftId}`;
/** The draft id inside a `draftChargeKey`, or undefined for any other key. */
export function draftIdOfChargeKey(key: string): string | undefined {
  return key.startsWith('charge:draft:') ? key.slice('charge:draft:'.length) : undefined;
}

/** The credits of one Checkout Session. */
export const purchaseKey = (sessionId: string): string => `purchase:${sessionId}`;
/** What a dispute took back. */
export const disputeClawbackKey = (disputeId: string): string => `clawback:dispute:${disputeId}`;
/** What a won dispute gave back (the reverse of `disputeClawbackKey`, once). */
export const disputeReinstateKey = (disputeId: string): string => `reinstate:dispute:${disputeId}`;
/** How a purchase's history records that `disputeReinstateKey` was counted (its detail starts so). */
export const disputeWonDetailPrefix = (disputeId: string): string => `dispute ${disputeId}:`;
/** What refunds took back, up to `owedTotal` credits of the session in all. */
export const refundClawbackKey = (sessionId: string, owedTotal: number): string => `clawback:${sessionId}:${owedTotal}`;
