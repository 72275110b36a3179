// The two LinkedIn OAuth calls both flows make (connecting for publishing, and the extension's
// Sign in with LinkedIn): trade the authorization code for a token, then ask who it belongs to.
import type { ServiceContext } from './context';
import { UserError } from './errors';

async function linkedInJson(res: Response, what: string, retry: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(await res.text()) as Record<string, unknown>;
  } catch {
    /* not JSON: the status says enough */
  }
  if (!res.ok)
    throw new UserError(`LinkedIn refused the ${what} (${res.status}${body.error_description ? `: ${String(body.error_description)}` : ''}). ${retry}`, 400);
  return body;
}

export interface LinkedInMember {
  accessToken: string;
  /** Seconds the token lives (LinkedIn: 60 days for members). */
  expiresIn: number;
  /** The member's id (OpenID Connect `sub`). */
  sub: string;
  name?: string;
  raw: Record<string, unknown>;
}

/** Code → token → userinfo; `retry` ends every error ("Try connecting again."). */
export async function linkedInMemberFromCode(ctx: ServiceContext, code: string, redirectUri: string, retry: string): Promise<LinkedInMember> {
  const token = await linkedInJson(
    await fetch(new URL('/oauth/v2/accessToken', ctx.config.LINKEDIN_OAUTH_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: ctx.config.LINKEDIN_CLIENT_ID ?? '',
        client_secret: ctx.config.LINKEDIN_CLIENT_SECRET ?? '',
      }),
      signal: AbortSignal.timeout(15_000),
    }),
    'authorization code',
    retry,
  );
  const accessToken = typeof token.access_token === 'string' ? token.access_token : '';
  if (!accessToken) throw new UserError(`LinkedIn answered without an access token. ${retry}`, 400);
  const me = await linkedInJson(
    await fetch(new URL('/v2/userinfo', ctx.config.LINKEDIN_API_URL), {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(15_000),
    }),
    'profile lookup',
    retry,
  );
  const sub = typeof me.sub === 'string' && /^[\w-]{1,100}$/.test(me.sub) ? me.sub : '';
  if (!sub) throw new UserError(`LinkedIn did not say who you are (no member id). ${retry}`, 400);
  return { accessToken, expiresIn: Number(token.expires_in ?? 0), sub, ...(typeof me.name === 'string' ? { name: me.name.slice(0, 200) } : {}), raw: me };
}
