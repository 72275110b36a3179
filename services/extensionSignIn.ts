// "Sign in with LinkedIn" for the browser extension: OpenID Connect (scopes openid profile email)
// through our API. The member's `sub` names their account (person:<sub>, created with its welcome
// credits on first sign-in); the extension gets an API key marked as an extension session, which
// it can revoke by signing out. The token goes only to an extension page of an extension this
// server trusts (a chrome-extension:// origin in CORS_ORIGINS), in the URL fragment.
import { randomBytes } from 'node:crypto';
import { ensureAccount } from '../core/accounts';
import { issueApiKey } from '../core/apiKeys';
import { isDuplicateKey } from '../core/db';
import type { ServiceContext } from './context';
import { linkedInMemberFromCode } from './linkedinOAuth';
import { UserError } from './errors';

const STATE_TTL_MS = 15 * 60_000;
export const SIGN_IN_COOKIE = 'pf_signin';

export const signInRedirectUri = (ctx: ServiceContext): string => `${ctx.config.PUBLIC_URL.replace(/\/$/, '')}/v1/auth/linkedin/callback`;

/** Extension ids this server hands tokens to: the chrome-extension:// origins it already trusts for CORS. */
function trustedExtensionIds(ctx: ServiceContext): Set<string> {
  return new Set(ctx.config.CORS_ORIGINS.filter((o) => o.startsWith('chrome-extension://')).map((o) => o.slice('chrome-extension://'.length)));
}

/** A page of a trusted extension (a tab flow), or its chrome.identity redirect (https://<id>.chromiumapp.org/). */
export function checkRedirect(ctx: ServiceContext, redirect: string | undefined): string {
  let url: URL;
  try {
    url = new URL(redirect ?? '');
  } catch {
    throw new UserError('redirect must be the extension page to return to, e.g. chrome-extension://<id>/tabs/signed-in.html.', 400, [
      { path: 'redirect', message: 'not a URL' },
    ]);
  }
  const id =
    url.protocol === 'chrome-extension:'
      ? url.host
      : url.protocol === 'https:' && url.host.endsWith('.chromiumapp.org')
        ? url.host.slice(0, -'.chromiumapp.org'.length)
        : '';
  if (!id || !trustedExtensionIds(ctx).has(id) || url.username || url.password) {
    throw new UserError(
      'This extension is not allowed to sign in here: the server operator must add its origin (chrome-extension://<id>) to CORS_ORIGINS.',
      400,
      [{ path: 'redirect', message: 'not a trusted extension' }],
    );
  }
  url.hash = '';
  return url.toString();
}

/** The LinkedIn authorization URL, and the state the browser must bring back (also set as a cookie). */
export async function startSignIn(ctx: ServiceContext, redirect: string | undefined): Promise<{ url: string; state: string }> {
  const target = checkRedirect(ctx, redirect);
  if (!ctx.config.LINKEDIN_CLIENT_ID || !ctx.config.LINKEDIN_CLIENT_SECRET) {
    throw new UserError('Sign in with LinkedIn is not set up on this server: the operator must set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET.', 409);
  }
  const state = randomBytes(24).toString('base64url');
  await ctx.db.oauthStates.insertOne({ _id: state, provider: 'linkedin-signin', accountId: '', memberId: '', redirect: target, createdAt: new Date() });
  const url = new URL('/oauth/v2/authorization', ctx.config.LINKEDIN_OAUTH_URL);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: ctx.config.LINKEDIN_CLIENT_ID,
    redirect_uri: signInRedirectUri(ctx),
    state,
    nonce: randomBytes(12).toString('base64url'),
    scope: 'openid profile email',
  }).toString();
  return { url: url.toString(), state };
}

export interface SignedIn {
  /** Where to send the browser: the extension page, with the token in the fragment. */
  redirect: string;
  accountId: string;
  name?: string;
  created: boolean;
}

/**
 * LinkedIn's callback: the state must be unused, fresh, of this flow, and the one this browser
 * started (its cookie), so a link from someone else cannot sign you in to their account.
 */
export async function completeSignIn(
  ctx: ServiceContext,
  q: { code?: string; state?: string; error?: string; error_description?: string },
  cookieState: string | undefined,
): Promise<SignedIn> {
  if (q.error) throw new UserError(`LinkedIn did not sign you in: ${q.error_description ?? q.error}.`, 400);
  if (!q.code || !q.state) throw new UserError('The link from LinkedIn is incomplete (no code or state). Start signing in again.', 400);
  if (!cookieState || cookieState !== q.state)
    throw new UserError('This sign-in was started in another browser or has expired. Start signing in again from the extension.', 400);
  const pending = await ctx.db.oauthStates.findOne({ _id: q.state });
  const gone = () => new UserError('This sign-in link has expired or was already used. Start signing in again.', 400);
  if (!pending || pending.provider !== 'linkedin-signin' || !pending.redirect || Date.now() - pending.createdAt.getTime() > STATE_TTL_MS) throw gone();
  // Used once: an insert under a unique _id (an update is read-then-write on FerretDB, so two
  // callbacks racing with one state could both have passed a "not used yet" update).
  try {
    await ctx.db.oauthStates.insertOne({ ...pending, _id: `used:${q.state}`, usedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw gone();
    throw err;
  }
  const { sub, name } = await linkedInMemberFromCode(ctx, q.code, signInRedirectUri(ctx), 'Try signing in again.');
  const accountId = `person:${sub}`;
  const existed = await ctx.db.accounts.findOne({ _id: accountId });
  await ensureAccount(ctx.db, { _id: accountId, kind: 'person', name: name ?? `LinkedIn member ${sub}` }, ctx.config.FREE_CREDITS);
  const { key } = await issueApiKey(ctx.db, { accountId, memberId: sub, label: 'Browser extension (Sign in with LinkedIn)', session: 'extension' });
  const fragment = new URLSearchParams({ token: key, ...(name ? { name } : {}) });
  return { redirect: `${pending.redirect}#${fragment.toString()}`, accountId, ...(name ? { name } : {}), created: !existed };
}

/** Signing out: the calling extension session's key stops working at once. */
export async function revokeSession(ctx: ServiceContext, who: { accountId: string; keyId: string }): Promise<void> {
  const keys = await ctx.db.apiKeys.find({ accountId: who.accountId, revokedAt: { $exists: false } }).toArray();
  const mine = keys.find((k) => k._id.startsWith(who.keyId));
  if (mine) await ctx.db.apiKeys.updateOne({ _id: mine._id }, { $set: { revokedAt: new Date() } });
}
