// Connecting a member's LinkedIn: OAuth 2 authorization code flow, the token sealed at rest, and
// posts paused on an expired connection resumed once it is back.
//
// The flow is bound to the browser that starts it. A member gets a link to our own API (from Slack,
// Discord or the API); opening it gives that browser a random nonce in an httpOnly cookie and only
// then sends it to LinkedIn. The callback needs the same cookie, so a LinkedIn authorization link
// (or a callback link) sent to someone else's browser attaches nothing: without this, an attacker
// could make a victim connect the victim's LinkedIn to the attacker's account.
//
// PKCE: LinkedIn offers PKCE (code_challenge S256) only for native apps with a loopback redirect URI,
// switched on per app by LinkedIn on request ("Authorization Code Flow with PKCE (Native Client)").
// The standard 3-legged web flow used here authenticates the client with its secret and takes no
// code_verifier, so PKCE is not sent; the state and the cookie nonce carry the binding instead.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isDuplicateKey } from '../core/db';
import { encryptionKey, seal } from '../core/crypto';
import type { ConnectionDoc, OAuthStateDoc } from '../core/records';
import { postWorkflowId } from '../core/temporal';
import { linkedInConnectionId } from '../core/connectionIds';
import { connectionRestoredSignal } from '../workflows/messages';
import type { ServiceContext } from './context';
import { linkedInMemberFromCode } from './linkedinOAuth';
import { UserError } from './errors';

const STATE_TTL_MS = 15 * 60_000;
/** LinkedIn member tokens live 60 days without refresh; warn a week ahead. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;

const base = (ctx: ServiceContext): string => ctx.config.PUBLIC_URL.replace(/\/$/, '');
export const linkedInRedirectUri = (ctx: ServiceContext): string => `${base(ctx)}/v1/connections/linkedin/callback`;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * A one-time link (15 minutes) to hand the member: our own start page, which binds the browser that
 * opens it and sends it on to LinkedIn. Slack's and Discord's /connect and the API all hand out this.
 */
export async function linkedInConnectUrl(ctx: ServiceContext, who: { accountId: string; memberId: string }): Promise<string> {
  if (!ctx.config.LINKEDIN_CLIENT_ID || !ctx.config.LINKEDIN_CLIENT_SECRET) {
    throw new UserError('LinkedIn is not set up on this server: the operator must set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET.', 409);
  }
  const state = randomBytes(24).toString('base64url');
  await ctx.db.oauthStates.insertOne({ _id: state, provider: 'linkedin', accountId: who.accountId, memberId: who.memberId, createdAt: new Date() });
  return `${base(ctx)}/v1/connections/linkedin/open/${state}`;
}

const linkGone = () => new UserError('This connection link has expired or was already used. Start connecting again.', 400);

async function pendingState(ctx: ServiceContext, state: string): Promise<OAuthStateDoc> {
  const pending = await ctx.db.oauthStates.findOne({ _id: state });
  if (!pending || state.includes(':') || Date.now() - pending.createdAt.getTime() > STATE_TTL_MS) throw linkGone();
  return pending;
}

/**
 * The browser opened the link: it gets a nonce (for its cookie), and LinkedIn's authorization URL.
 * Only the first browser to open a link gets one; the link is spent after that.
 */
export async function openLinkedInConnection(ctx: ServiceContext, state: string): Promise<{ authorizeUrl: string; nonce: string }> {
  const pending = await pendingState(ctx, state);
  const nonce = randomBytes(32).toString('base64url');
  try {
    await ctx.db.oauthStates.insertOne({ ...pending, _id: `open:${state}`, createdAt: new Date(), nonceHash: sha256(nonce) });
  } catch (err) {
    if (isDuplicateKey(err)) throw linkGone();
    throw err;
  }
  const url = new URL('/oauth/v2/authorization', ctx.config.LINKEDIN_OAUTH_URL);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: ctx.config.LINKEDIN_CLIENT_ID ?? '',
    redirect_uri: linkedInRedirectUri(ctx),
    state,
    scope: 'openid profile w_member_social',
  }).toString();
  return { authorizeUrl: url.toString(), nonce };
}

/** True when `nonce` (from the browser's cookie) is the one given to the browser that opened the link. */
async function sameBrowser(ctx: ServiceContext, state: string, nonce: string | undefined): Promise<boolean> {
  if (!nonce) return false;
  const opened = await ctx.db.oauthStates.findOne({ _id: `open:${state}` });
  if (!opened?.nonceHash) return false;
  const given = Buffer.from(sha256(nonce), 'hex');
  const expected = Buffer.from(opened.nonceHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function completeLinkedInConnection(
  ctx: ServiceContext,
  q: { code?: string; state?: string; error?: string; error_description?: string },
  /** The nonce from the browser's cookie. */
  nonce: string | undefined,
): Promise<{ name?: string; accountId: string; memberId: string; resumed: number }> {
  if (q.error) throw new UserError(`LinkedIn did not connect: ${q.error_description ?? q.error}.`, 400);
  if (!q.code || !q.state) throw new UserError('The link from LinkedIn is incomplete (no code or state). Start connecting again.', 400);
  const pending = await pendingState(ctx, q.state);
  // Checked before the state is spent, so a link that reached the wrong browser cannot burn it either.
  if (!(await sameBrowser(ctx, q.state, nonce))) {
    throw new UserError(
      'This LinkedIn sign-in was not started in this browser, so nothing was connected. Connect LinkedIn from your own PostForge link (Slack: /postforge connect linkedin, Discord: /connect, or the extension) and finish it in the same browser.',
      400,
    );
  }
  try {
    await ctx.db.oauthStates.insertOne({ ...pending, _id: `used:${q.state}`, usedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw linkGone();
    throw err;
  }
  const me = await linkedInMemberFromCode(ctx, q.code, linkedInRedirectUri(ctx), 'Try connecting again.');
  if (!me.expiresIn) throw new UserError('LinkedIn answered without saying how long the access lasts. Try connecting again.', 400);
  const doc: ConnectionDoc = {
    _id: linkedInConnectionId(pending.accountId, pending.memberId),
    provider: 'linkedin',
    accountId: pending.accountId,
    memberId: pending.memberId,
    externalUrn: `urn:li:person:${me.sub}`,
    ...(me.name ? { name: me.name } : {}),
    token: seal(me.accessToken, encryptionKey(ctx.config.ENCRYPTION_KEY)),
    expiresAt: new Date(Date.now() + me.expiresIn * 1000),
    updatedAt: new Date(),
  };
  await ctx.db.connections.replaceOne({ _id: doc._id }, doc, { upsert: true });
  const resumed = await resumePausedPosts(ctx, pending.accountId, pending.memberId);
  return { ...(doc.name ? { name: doc.name } : {}), accountId: pending.accountId, memberId: pending.memberId, resumed };
}

/** Posts that paused on this member's expired LinkedIn go out now. */
async function resumePausedPosts(ctx: ServiceContext, accountId: string, memberId: string): Promise<number> {
  const paused = await ctx.db.posts.find({ accountId, authorId: memberId, status: 'publishing', 'results.outcome': 'paused' }).toArray();
  for (const p of paused) {
    await ctx.temporal.workflow
      .getHandle(postWorkflowId(p._id))
      .signal(connectionRestoredSignal, { provider: 'linkedin' })
      .catch(() => undefined);
  }
  return paused.length;
}

export async function connectionStatus(ctx: ServiceContext, who: { accountId: string; memberId: string }) {
  const c = await ctx.db.connections.findOne({ _id: linkedInConnectionId(who.accountId, who.memberId) });
  if (!c) return { linkedin: { connected: false as const } };
  const left = c.expiresAt.getTime() - Date.now();
  return {
    linkedin: {
      connected: left > 0,
      name: c.name,
      memberUrn: c.externalUrn,
      expiresAt: c.expiresAt.toISOString(),
      expired: left <= 0,
      expiresSoon: left > 0 && left < EXPIRY_WARNING_MS,
    },
  };
}
