// Sign-in to the web dashboard: a one-time link handed out where the member already is (Slack,
// Discord, the extension), exchanged once for a session cookie. Tokens are stored only as SHA-256
// hashes, so a copy of the database opens no session.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../core/db';
import { isValidTimeZone } from '../core/time';
import type { ServiceContext } from './context';
import type { Actor } from './posts';

export const LINK_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface DashboardLinkDoc {
  /** SHA-256 of the token in the link. */
  _id: string;
  accountId: string;
  memberId: string;
  isAdmin: boolean;
  /** The member's zone where the link was asked for (Slack profile, Discord default, browser). */
  timeZone: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Inserted under the link's `_id` when it is used: the unique index makes "first use wins" race-safe. */
export interface DashboardLinkUseDoc {
  _id: string;
  at: Date;
}

export interface DashboardSessionDoc {
  /** SHA-256 of the session cookie's value. */
  _id: string;
  accountId: string;
  memberId: string;
  isAdmin: boolean;
  timeZone: string;
  /** SHA-256 of the CSRF token the client must echo in X-CSRF-Token on every change. */
  csrfHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface DashboardSession extends Actor {
  sessionHash: string;
  timeZone: string;
  csrfHash: string;
  expiresAt: Date;
}

// Kept out of core/db's Database: only this module reads or writes them.
const links = (ctx: ServiceContext): Collection<DashboardLinkDoc> => ctx.db.db.collection<DashboardLinkDoc>('dashboard_links');
const linkUses = (ctx: ServiceContext): Collection<DashboardLinkUseDoc> => ctx.db.db.collection<DashboardLinkUseDoc>('dashboard_link_uses');
const sessions = (ctx: ServiceContext): Collection<DashboardSessionDoc> => ctx.db.db.collection<DashboardSessionDoc>('dashboard_sessions');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
const now = (ctx: ServiceContext): Date => ctx.now?.() ?? new Date();

/** The URL a member opens to sign in; it works once, for LINK_TTL_MS. */
export function dashboardLoginUrl(ctx: ServiceContext, token: string): string {
  return `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/app/login?token=${encodeURIComponent(token)}`;
}

export async function issueDashboardLink(
  ctx: ServiceContext,
  who: Actor & { timeZone?: string | undefined },
): Promise<{ token: string; url: string; expiresAt: Date }> {
  const token = newToken();
  const at = now(ctx);
  const expiresAt = new Date(at.getTime() + LINK_TTL_MS);
  await links(ctx).insertOne({
    _id: sha256(token),
    accountId: who.accountId,
    memberId: who.memberId,
    isAdmin: who.isAdmin,
    timeZone: who.timeZone && isValidTimeZone(who.timeZone) ? who.timeZone : 'UTC',
    createdAt: at,
    expiresAt,
  });
  return { token, url: dashboardLoginUrl(ctx, token), expiresAt };
}

export type LinkRefusal = 'unknown' | 'expired' | 'used';

/**
 * Exchanges a link's token for a new session. The claim is an insert under the link's hash: of two
 * simultaneous uses exactly one inserts, the other gets a duplicate key (FerretDB's updates are
 * read-modify-write, so a "set used=true if false" would let both through).
 */
export async function consumeDashboardLink(
  ctx: ServiceContext,
  token: string,
): Promise<{ ok: true; sessionToken: string; csrfToken: string; session: DashboardSession } | { ok: false; reason: LinkRefusal }> {
  if (!/^[\w-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
  const hash = sha256(token);
  const link = await links(ctx).findOne({ _id: hash });
  if (!link) return { ok: false, reason: (await linkUses(ctx).findOne({ _id: hash })) ? 'used' : 'unknown' };
  const at = now(ctx);
  if (link.expiresAt.getTime() <= at.getTime()) return { ok: false, reason: 'expired' };
  try {
    await linkUses(ctx).insertOne({ _id: hash, at });
  } catch (err) {
    if (isDuplicateKey(err)) return { ok: false, reason: 'used' };
    throw err;
  }
  // The claim above is what counts; the link itself is no longer needed.
  await links(ctx)
    .deleteOne({ _id: hash })
    .catch(() => undefined);
  const sessionToken = newToken();
  const csrfToken = newToken();
  const doc: DashboardSessionDoc = {
    _id: sha256(sessionToken),
    accountId: link.accountId,
    memberId: link.memberId,
    isAdmin: link.isAdmin,
    timeZone: link.timeZone,
    csrfHash: sha256(csrfToken),
    createdAt: at,
    expiresAt: new Date(at.getTime() + SESSION_TTL_MS),
  };
  await sessions(ctx).insertOne(doc);
  return { ok: true, sessionToken, csrfToken, session: toSession(doc) };
}

const toSession = (d: DashboardSessionDoc): DashboardSession => ({
  accountId: d.accountId,
  memberId: d.memberId,
  isAdmin: d.isAdmin,
  timeZone: d.timeZone,
  csrfHash: d.csrfHash,
  sessionHash: d._id,
  expiresAt: d.expiresAt,
});

/** The live session behind a cookie's value, or undefined (unknown, expired or signed out). */
export async function findDashboardSession(ctx: ServiceContext, sessionToken: string): Promise<DashboardSession | undefined> {
  if (!/^[\w-]{20,100}$/.test(sessionToken)) return undefined;
  const doc = await sessions(ctx).findOne({ _id: sha256(sessionToken) });
  if (!doc) return undefined;
  if (doc.expiresAt.getTime() <= now(ctx).getTime()) {
    // No TTL indexes on FerretDB: an expired session is removed when it is next presented.
    await sessions(ctx)
      .deleteOne({ _id: doc._id })
      .catch(() => undefined);
    return undefined;
  }
  return toSession(doc);
}

/** Does the header carry this session's CSRF token? Compared in constant time. */
export function csrfMatches(session: DashboardSession, headerValue: string | undefined): boolean {
  if (!headerValue) return false;
  const a = Buffer.from(sha256(headerValue), 'hex');
  const b = Buffer.from(session.csrfHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function endDashboardSession(ctx: ServiceContext, session: DashboardSession): Promise<void> {
  await sessions(ctx).deleteOne({ _id: session.sessionHash });
}
