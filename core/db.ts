// MongoDB access. Code keeps to what both FerretDB v1 and MongoDB honour (no transactions, TTL,
// partial indexes or $lookup); concurrency safety comes from inserts under unique indexes.
import { Collection, Db, MongoClient, MongoServerError, type Filter } from 'mongodb';
import type { BotCommandDoc } from './botCommands';
import type { Target, Tone } from './domain';
import type {
  AccountDoc,
  ApiKeyDoc,
  ConnectionDoc,
  LedgerEntryDoc,
  OAuthStateDoc,
  PostDoc,
  PublishAttemptDoc,
  PublishArmDoc,
  StripeRelayDoc,
  PurchaseDoc,
  WebhookEventDoc,
} from './records';

/**
 * Where an account's ledger chain ends, as last written: a shortcut to the head by `_id`. It may lag
 * behind the chain (never run ahead of it), and appending checks it against the unique index.
 */
export interface LedgerHeadDoc {
  _id: string;
  seq: number;
  balanceAfter: number;
  at: Date;
}

/**
 * One ledger entry's place in its account's chain, `_id` = `<accountId>:<seq>`: written right after
 * the entry, never changed, so the head can be found by reads by `_id` (see core/ledger.ts).
 */
export interface LedgerSeqDoc {
  _id: string;
  accountId: string;
  seq: number;
  /** The entry's own `_id` (its idempotency key). */
  key: string;
  balanceAfter: number;
}

/**
 * An Idempotency-Key of a create, bound to the request it came with, `_id` = sha256(account, key).
 * Kept for good: the same key answers the same post forever, and a different body is refused.
 */
export interface IdempotencyKeyDoc {
  _id: string;
  accountId: string;
  /** sha256 of the request body, canonical JSON. */
  fingerprint: string;
  postId: string;
  createdAt: Date;
}

/**
 * Who used a streamed draft's credit, `_id` = `draft:<draftId>`: the one post it paid for, or the
 * stream itself (refunded when the generator failed). Inserted once, under the unique `_id`, so
 * of any racing claimants exactly one gets the credit.
 */
export interface DraftClaimDoc {
  _id: string;
  accountId: string;
  /** The post the draft paid for; absent when the stream refunded its own credit. */
  postId?: string;
  by: 'post' | 'stream_refund';
  at: Date;
}

/**
 * The newest Discord interaction token for a post (each click brings one; it lives 15 minutes).
 * Kept apart from the post's document, which only its workflow updates (see core/postRecords.ts).
 */
export interface DiscordTokenDoc {
  /** The post id. */
  _id: string;
  applicationId: string;
  interactionToken: string;
  tokenIssuedAt: Date;
}

/**
 * The bot's own message showing a post in a channel (a series draft to approve there), `_id` = the
 * post id. Inserted once, never updated: the post document itself is not touched, since FerretDB's
 * read-modify-write could undo a status the workflow wrote at the same moment.
 */
export interface DiscordMessageDoc {
  _id: string;
  channelId: string;
  messageId: string;
  at: Date;
}

/** A Discord interaction that changed something, `_id` = its id: inserted first, so a replay of it changes nothing twice. */
export interface DiscordInteractionDoc {
  _id: string;
  guildId: string;
  what: string;
  at: Date;
}

/** Which checkout session a Stripe payment intent paid: refund and dispute events name only the intent. */
export interface PaymentIntentDoc {
  /** The payment intent id. */
  _id: string;
  sessionId: string;
  at: Date;
}

export interface WeeklySlotRule {
  days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  /** "HH:MM", local to the schedule's zone. */
  times: string[];
}

/** An account's weekly posting slots, in its own zone (services/queue.ts). */
export interface PostingScheduleDoc {
  /** The account id. */
  _id: string;
  timeZone: string;
  slots: WeeklySlotRule[];
  /** Own slots for posts to exactly this one target (its targetKey), in their own lane of the queue. */
  targets?: { key: string; target: Target; slots: WeeklySlotRule[] }[];
  updatedAt: Date;
  updatedBy: string;
}

/**
 * One queue slot taken by one post. The `_id` `<lane>:<slot ISO instant>` is the lock: two
 * posts racing for a slot both insert, and the unique `_id` lets exactly one of them win.
 */
export interface QueueSlotDoc {
  _id: string;
  accountId: string;
  /** The queue lane: the account, or `<account>#<targetKey>` for a target with its own slots. */
  lane?: string;
  postId: string;
  at: Date;
  claimedAt: Date;
}

/** A recurring AI post (services/series.ts); its Temporal Schedule is `series-<_id>`. */
export interface SeriesDoc {
  _id: string;
  accountId: string;
  /** Who created it: its posts go out under their name, and they (or an admin) may change it. */
  authorId: string;
  source: PostDoc['source'];
  name: string;
  theme: string;
  tone: Tone;
  language: string;
  instructions?: string;
  targets: Target[];
  recurrence:
    | { kind: 'weekly'; days: PostingScheduleDoc['slots'][number]['days']; time: string }
    | { kind: 'cron'; expression: string }
    | { kind: 'interval'; every: string };
  timeZone: string;
  requireApproval: boolean;
  /** Where each occurrence's draft and milestones are shown (the channel it was created from). */
  notify:
    | { kind: 'none' }
    | { kind: 'webhook'; url: string }
    | { kind: 'slack'; channel: string; userId: string; teamId: string }
    | { kind: 'discordChannel'; guildId: string; channelId: string; userId: string };
  /** How long each occurrence's draft waits for approval before it expires (refunded); DRAFT_EXPIRY when absent. */
  draftExpiryMs?: number;
  /** Why the series paused itself (no credits), until someone resumes it. */
  pausedReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One post a series occurrence started; `_id` is the post id. */
export interface SeriesPostDoc {
  _id: string;
  seriesId: string;
  accountId: string;
  at: Date;
}

export interface Database {
  client: MongoClient;
  db: Db;
  accounts: Collection<AccountDoc>;
  ledger: Collection<LedgerEntryDoc>;
  ledgerHeads: Collection<LedgerHeadDoc>;
  ledgerSeqs: Collection<LedgerSeqDoc>;
  idempotencyKeys: Collection<IdempotencyKeyDoc>;
  draftClaims: Collection<DraftClaimDoc>;
  posts: Collection<PostDoc>;
  publishAttempts: Collection<PublishAttemptDoc>;
  publishArms: Collection<PublishArmDoc>;
  connections: Collection<ConnectionDoc>;
  apiKeys: Collection<ApiKeyDoc>;
  purchases: Collection<PurchaseDoc>;
  webhookEvents: Collection<WebhookEventDoc>;
  /**
   * The edges' inboxes' own database (see connectDatabase): what a Slack, Discord or Stripe ack
   * writes, and nothing else, lives here.
   */
  inbox: Db;
  /** The Stripe webhook's inbox, in `inbox`. */
  stripeRelay: Collection<StripeRelayDoc>;
  /** Slack/Discord commands acknowledged and not yet started, in `inbox`. */
  botCommands: Collection<BotCommandDoc>;
  oauthStates: Collection<OAuthStateDoc>;
  discordTokens: Collection<DiscordTokenDoc>;
  discordMessages: Collection<DiscordMessageDoc>;
  discordInteractions: Collection<DiscordInteractionDoc>;
  paymentIntents: Collection<PaymentIntentDoc>;
  postingSchedules: Collection<PostingScheduleDoc>;
  queueSlots: Collection<QueueSlotDoc>;
  series: Collection<SeriesDoc>;
  seriesPosts: Collection<SeriesPostDoc>;
  close(): Promise<void>;
}

/** FerretDB says so in buildInfo; MongoDB does not. */
export const isFerretDB = (buildInfo: Record<string, unknown>): boolean => 'ferretdbVersion' in buildInfo;

/** The inboxes' database when none is named: the main one's name with `_inbox` after it. */
export const defaultInboxDbName = (dbName: string): string => `${dbName}_inbox`;

/** The inbox collections' names (in the inbox database; older versions kept them in the main one). */
export const INBOX_COLLECTIONS = ['stripe_relay', 'bot_commands'] as const;

/**
 * `inboxDbName` (MONGODB_INBOX_DB) is where the edges' inboxes live; by default a database of their
 * own next to the main one. On FerretDB v1 (SQLite) each database is its own file with its own
 * single writer, so an ack's insert never queues behind the worker's writes (posts, ledger,
 * purchases) or the relays' routing; on MongoDB it is just another database. The main database's
 * name there puts them back in it.
 */
export async function connectDatabase(
  uri: string,
  opts: {
    dbName?: string;
    appName?: string;
    inboxDbName?: string | undefined;
    /** Emit the driver's command events on `client` (tests count a code path's operations with them). */
    monitorCommands?: boolean;
  } = {},
): Promise<Database> {
  const connect = async (retryWrites: boolean) => {
    const c = new MongoClient(uri, {
      appName: opts.appName ?? 'postforge',
      serverSelectionTimeoutMS: 10_000,
      retryWrites,
      monitorCommands: opts.monitorCommands === true,
    });
    await c.connect();
    return c;
  };
  // Real MongoDB keeps the driver's retryable writes (a failover mid-write is retried once). FerretDB v1
  // has no transactions behind its sessions, so writes there go without them: the embedded default is
  // asked what it is rather than guessed from the URI.
  let client = await connect(true);
  if (isFerretDB(await client.db('admin').command({ buildInfo: 1 }))) {
    await client.close();
    client = await connect(false);
  }
  const db = client.db(opts.dbName);
  const inbox = client.db(opts.inboxDbName || defaultInboxDbName(db.databaseName));
  const database: Database = {
    client,
    db,
    accounts: db.collection<AccountDoc>('accounts'),
    ledger: db.collection<LedgerEntryDoc>('ledger'),
    ledgerHeads: db.collection<LedgerHeadDoc>('ledger_heads'),
    ledgerSeqs: db.collection<LedgerSeqDoc>('ledger_seqs'),
    idempotencyKeys: db.collection<IdempotencyKeyDoc>('idempotency_keys'),
    draftClaims: db.collection<DraftClaimDoc>('draft_claims'),
    posts: db.collection<PostDoc>('posts'),
    publishAttempts: db.collection<PublishAttemptDoc>('publish_attempts'),
    publishArms: db.collection<PublishArmDoc>('publish_arms'),
    connections: db.collection<ConnectionDoc>('connections'),
    apiKeys: db.collection<ApiKeyDoc>('api_keys'),
    purchases: db.collection<PurchaseDoc>('purchases'),
    webhookEvents: db.collection<WebhookEventDoc>('webhook_events'),
    inbox,
    stripeRelay: inbox.collection<StripeRelayDoc>('stripe_relay'),
    botCommands: inbox.collection<BotCommandDoc>('bot_commands'),
    oauthStates: db.collection<OAuthStateDoc>('oauth_states'),
    discordTokens: db.collection<DiscordTokenDoc>('discord_tokens'),
    discordMessages: db.collection<DiscordMessageDoc>('discord_messages'),
    discordInteractions: db.collection<DiscordInteractionDoc>('discord_interactions'),
    paymentIntents: db.collection<PaymentIntentDoc>('payment_intents'),
    postingSchedules: db.collection<PostingScheduleDoc>('posting_schedules'),
    queueSlots: db.collection<QueueSlotDoc>('queue_slots'),
    series: db.collection<SeriesDoc>('series'),
    seriesPosts: db.collection<SeriesPostDoc>('series_posts'),
    close: () => client.close(),
  };
  await ensureIndexes(database);
  return database;
}

async function ensureIndexes(d: Database): Promise<void> {
  await d.ledger.createIndex({ accountId: 1, seq: 1 }, { unique: true });
  await d.posts.createIndex({ accountId: 1, createdAt: -1 });
  await d.posts.createIndex({ accountId: 1, status: 1, scheduledAt: 1 });
  // The dashboard's rescan of what changed (MongoDB uses it; FerretDB v1 scans regardless).
  await d.posts.createIndex({ accountId: 1, updatedAt: 1 });
  await d.apiKeys.createIndex({ accountId: 1 });
  await d.purchases.createIndex({ accountId: 1, createdAt: -1 });
  await d.purchases.createIndex({ paymentIntentId: 1 });
  await d.queueSlots.createIndex({ accountId: 1, at: 1 });
  await d.series.createIndex({ accountId: 1 });
  await d.seriesPosts.createIndex({ seriesId: 1, at: -1 });
}

/**
 * Moves what an older version left in the main database's inbox collections into the inbox
 * database (insert, then delete; a twin already there is kept): the relays then find it as usual.
 * Safe to run in several processes at once: every relay of an entry is idempotent. How many moved.
 */
export async function adoptLegacyInbox(d: Database, name: (typeof INBOX_COLLECTIONS)[number]): Promise<number> {
  if (d.inbox.databaseName === d.db.databaseName) return 0;
  const legacy = d.db.collection<{ _id: string }>(name);
  const target = d.inbox.collection<{ _id: string }>(name);
  let moved = 0;
  for (const doc of await legacy.find({}).limit(1000).toArray()) {
    try {
      await target.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await legacy.deleteOne({ _id: doc._id });
    moved++;
  }
  return moved;
}

/** True when a write failed only because a document with that unique key already exists. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/**
 * The document with this `_id` if it belongs to `accountId`. Filters by `_id` alone and checks the
 * owner here: FerretDB v1 reads by primary key only when the filter is exactly `{ _id }`, and
 * scans the whole collection for `{ _id, accountId }`.
 */
export async function findOwned<T extends { _id: string; accountId: string }>(collection: Collection<T>, id: string, accountId: string): Promise<T | null> {
  const doc = (await collection.findOne({ _id: id } as Filter<T>)) as T | null;
  return doc && doc.accountId === accountId ? doc : null;
}
