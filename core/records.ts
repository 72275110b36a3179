// The shapes of the documents PostForge keeps in MongoDB.
import type { Draft, PostStatus, Target, TargetResult, Tone } from './domain';

export interface PostHistoryEntry {
  at: Date;
  status: PostStatus;
  event: string;
  detail?: string;
}

export interface DiscordLink {
  applicationId: string;
  interactionToken: string;
  tokenIssuedAt: Date;
  guildId: string;
  userId: string;
  /** Where /post ran: the fallback for late updates when DMs are closed or configured off. */
  channelId?: string;
}

export interface PostDoc {
  /** The post id; its workflow id is `post-<_id>`. */
  _id: string;
  accountId: string;
  authorId: string;
  source: 'api' | 'slack' | 'discord' | 'extension' | 'web';
  topic?: string;
  tone?: Tone;
  language?: string;
  instructions?: string;
  content?: string;
  hashtags: string[];
  bestTime?: string;
  generator?: Draft['generator'];
  targets: Target[];
  /** UTC instant; `timeZone` is the author's, for showing it back to them. */
  scheduledAt: Date;
  timeZone: string;
  status: PostStatus;
  /** Why a post failed or was canceled, in words for the author. */
  reason?: string;
  results: TargetResult[];
  history: PostHistoryEntry[];
  /** The Slack message that is this post's live status page, once one was posted. */
  slack?: { teamId: string; channel: string; ts: string };
  /**
   * The Discord interaction whose (ephemeral) reply is this post's live status page. Each click on
   * the post's buttons brings a fresh token (they live 15 minutes), so the newest one is kept here.
   */
  discord?: DiscordLink;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One publish of one post to one target, `_id` = its idempotency key. Written before the
 * request goes out, so a crash between "sent" and "recorded" is seen as `attempting`.
 */
/**
 * Who got an armed send first (`arm:<postId>:<version>`, inserted, never updated): the worker
 * about to send (`fired`) or a reschedule/edit/cancel withdrawing it (`withdrawn`). The unique
 * `_id` makes the two exclusive, even on FerretDB whose updates are not atomic.
 */
/**
 * Who won an armed send (`arm:<postId>:<version>`): `fired` (its send may go out from `at`),
 * `withdrawn` (a change took it back first), or `released` (claimed, then the worker stopped before
 * the send: nothing went out, and the claim still stands against a change).
 */
export interface PublishArmDoc {
  _id: string;
  postId: string;
  state: 'fired' | 'withdrawn' | 'released';
  at: Date;
}

export interface PublishAttemptDoc {
  _id: string;
  postId: string;
  targetKey: string;
  /**
   * `armed`: written during the lead, before an armed send (arm `armVersion`). Whether that send
   * went out is its arm's claim (`publish_arms`): `fired` reads as `attempting` since the claim,
   * anything else as a fresh `retry`. So the due second costs one write per post, the claim.
   */
  state: 'armed' | 'attempting' | 'retry' | 'published' | 'failed' | 'unconfirmed';
  armVersion?: number;
  attempts: number;
  /**
   * When the first send whose outcome is unknown went out (a lost answer, or a worker that died
   * mid-request). A destination that drops repeats does so only for a while (Discord's nonce: a few
   * minutes), so past that window a retry could post twice and the target becomes unconfirmed.
   */
  uncertainSince?: Date;
  externalId?: string;
  url?: string;
  error?: string;
  updatedAt: Date;
}

export interface AccountDoc {
  /** `slack:<team>`, `discord:<guild>` or `person:<id>`. */
  _id: string;
  kind: 'slack' | 'discord' | 'person';
  name: string;
  createdAt: Date;
}

/**
 * One credit movement. `_id` is its idempotency key; `seq` numbers the account's entries 1, 2, 3…
 * under a unique index, so two writers can never both append entry n: that is what keeps the
 * balance from going below zero on FerretDB, whose updates are not atomic.
 */
export interface LedgerEntryDoc {
  _id: string;
  accountId: string;
  seq: number;
  amount: number;
  balanceAfter: number;
  /** `reinstate`: credits a clawback took, given back (a dispute the merchant won). */
  kind: 'grant' | 'purchase' | 'charge' | 'refund' | 'clawback' | 'reinstate';
  reason: string;
  postId?: string;
  /** The Checkout Session a purchase or clawback belongs to. */
  purchaseId?: string;
  at: Date;
}

/** A member's OAuth connection to a destination; `_id` = `<provider>:<accountId>:<memberId>`. */
export interface ConnectionDoc {
  _id: string;
  provider: 'linkedin';
  accountId: string;
  memberId: string;
  /** LinkedIn's member URN, e.g. urn:li:person:abc. */
  externalUrn: string;
  name?: string;
  token: import('./crypto').Sealed;
  expiresAt: Date;
  updatedAt: Date;
}

/** An API key, stored only as its SHA-256; `_id` is that hash. */
export interface ApiKeyDoc {
  _id: string;
  /** The first characters, to recognise a key in lists without storing it. */
  prefix: string;
  accountId: string;
  memberId: string;
  label: string;
  /**
   * 'admin' may change any post of the account, like a workspace admin; a member key (the default,
   * and every key minted before roles existed) only its own member's posts. Fixed when minted.
   */
  role?: 'admin' | 'member';
  /** Set for the token the browser extension got from "Sign in with LinkedIn" (revocable like any key). */
  session?: 'extension';
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

/** One Checkout Session for one credit pack; `_id` is the Checkout Session id. */
export interface PurchaseDoc {
  _id: string;
  accountId: string;
  memberId: string;
  packId: string;
  credits: number;
  amount: number;
  currency: string;
  url: string;
  /** `mismatch`: paid, but not what the pack costs (amount, currency or metadata); nothing granted. */
  status: 'open' | 'awaiting_payment' | 'granted' | 'expired' | 'failed' | 'refunded' | 'compensated' | 'mismatch';
  paymentIntentId?: string;
  /** Credits taken back so far by refunds and disputes (less what won disputes gave back). */
  clawedBack: number;
  /**
   * Set once the workflow keeps `clawedBack` current (on every mark), so a later run reads its
   * progress from this document by `_id` instead of scanning the ledger.
   */
  clawedBackKept?: boolean;
  expiresAt: Date;
  history: { at: Date; event: string; detail?: string }[];
  createdAt: Date;
  updatedAt: Date;
}

/** A Stripe event we have seen; `_id` is Stripe's event id, unique, so each is handled once. */
export interface WebhookEventDoc {
  _id: string;
  type: string;
  sessionId?: string;
  /** `unroutable`: can never belong to one of our purchases (another product, no metadata of ours). */
  state: 'received' | 'delivered' | 'ignored' | 'unroutable';
  /** Why it was not routed, for whoever looks. */
  reason?: string;
  receivedAt: Date;
}

/**
 * A verified Stripe event answered but not yet routed and signalled: the webhook's one write (the
 * relay's to-do list, deleted once handled, so the sweeper reads only what is left). A duplicate
 * `_id` means the event is already waiting. Entries from before the one-write ack carry the
 * resolved `sessionId` and `signal`; newer ones carry what the relay needs to route the event.
 */
export interface StripeRelayDoc {
  /** The Stripe event id. */
  _id: string;
  type?: string;
  /** The event's own facts (services/purchases.ts toSignal), routed to a purchase by the relay. */
  routed?: {
    sessionId?: string;
    paymentIntentId?: string;
    metadata?: Record<string, string>;
    signal: { id: string; type: string };
  };
  /** Resolved purchase (entries written before the relay did the routing). */
  sessionId?: string;
  /** The workflow signal's payload (workflows/creditPurchase.ts StripeEventSignal). */
  signal?: { id: string; type: string };
  at: Date;
}

/** A pending OAuth authorization; `_id` is the `state` parameter, used once. */
/**
 * A LinkedIn connection in progress. `<state>` is made when a member asks for a link; `open:<state>`
 * when a browser opens that link (with the hash of the nonce cookie it was given), `used:<state>` when
 * the callback completes: each an insert under a unique `_id`, so each step happens once.
 */
export interface OAuthStateDoc {
  _id: string;
  /** linkedin: connecting a member's LinkedIn for publishing; linkedin-signin: the extension's sign-in (no account yet). */
  provider: 'linkedin' | 'linkedin-signin';
  /** linkedin-signin: the extension page the token is handed to, checked when the flow starts. */
  redirect?: string;
  accountId: string;
  memberId: string;
  createdAt: Date;
  /** sha256 (hex) of the nonce in the cookie of the browser that opened the link (on `open:` documents). */
  nonceHash?: string;
  usedAt?: Date;
}
