// A streamed draft pays one credit before its first word. That credit can be used once: for one
// post, or given back by the stream itself when the generator failed. Who used it is decided by an
// insert under the unique `_id` `draft:<draftId>` (the race-safe primitive on FerretDB), so of any
// number of concurrent claimants exactly one wins and all others read the winner's claim.
import { isDuplicateKey, type Database, type DraftClaimDoc } from './db';
import { draftChargeKey, draftRefundKey } from './ledgerKeys';

export const draftClaimId = (draftId: string): string => `draft:${draftId}`;

export type DraftClaimant = { postId: string } | { streamRefund: true };

/** Claims the draft's credit for `claimant` if nobody has; answers whoever holds it now. */
export async function claimDraftCredit(db: Database, accountId: string, draftId: string, claimant: DraftClaimant): Promise<DraftClaimDoc> {
  const claim: DraftClaimDoc =
    'postId' in claimant
      ? { _id: draftClaimId(draftId), accountId, postId: claimant.postId, by: 'post', at: new Date() }
      : { _id: draftClaimId(draftId), accountId, by: 'stream_refund', at: new Date() };
  try {
    await db.draftClaims.insertOne(claim);
    return claim;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const holder = await db.draftClaims.findOne({ _id: claim._id });
  if (!holder) throw new Error(`draft claim ${claim._id} vanished`);
  return holder;
}

export const claimIsFor = (claim: DraftClaimDoc, accountId: string, postId: string): boolean =>
  claim.accountId === accountId && claim.by === 'post' && claim.postId === postId;

/** Whether the draft's credit was charged to this account and not yet given back. */
export async function draftIsPaid(db: Database, accountId: string, draftId: string): Promise<boolean> {
  const [charge, refund] = await Promise.all([db.ledger.findOne({ _id: draftChargeKey(draftId) }), db.ledger.findOne({ _id: draftRefundKey(draftId) })]);
  return Boolean(charge && charge.accountId === accountId && charge.kind === 'charge' && !refund);
}
