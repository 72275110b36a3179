// A local LinkedIn that checks what the real Posts API checks: the Bearer token, an active
// LinkedIn-Version, the Rest.li protocol header, the body's shape and author, the 3,000-character
// limit, and "little" text, where an unescaped reserved character silently cuts the post short.
// Also LinkedIn's OAuth 2 / OpenID Connect pages for the connect and sign-in flows: the consent
// page (/oauth/v2/authorization, Allow or Cancel, back to redirect_uri with code+state or
// error+state), the code exchange (/oauth/v2/accessToken; a code is single use and bound to its
// redirect_uri) and /v2/userinfo (sub, name, given_name, family_name, picture, locale, email).
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  FailureQueue,
  bearerToken,
  obj,
  rawBodyApp,
  recordRequest,
  sendCanned,
  startServer,
  str,
  type CannedFailure,
  type RecordedRequest,
  type RunningServer,
} from './http';

export interface LinkedInProfile {
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
}

export interface LinkedInStandinOptions {
  /** access token → member id (`sub`); the member's URN is urn:li:person:<sub>. */
  validTokens: Map<string, string> | Record<string, string>;
  /** Accepted LinkedIn-Version values; default: this month and the eleven before it, as LinkedIn keeps about a year. */
  version?: string | string[];
  profiles?: Record<string, LinkedInProfile>;
  /** When set, the token exchange checks these. */
  oauth?: { clientId: string; clientSecret: string };
  /** Who is "logged in to LinkedIn" on the consent page (GET /oauth/v2/authorization): their `sub`. */
  signedInMember?: string;
}

export interface LinkedInPost {
  urn: string;
  author: string;
  /** As sent, escapes included. */
  commentary: string;
  /** What LinkedIn would show: escapes removed, cut at the first unescaped reserved character. */
  rendered: string;
  truncated: boolean;
  hashtags: string[];
  version: string;
  body: Record<string, unknown>;
}

export type LinkedInRoute = 'posts' | 'userinfo' | 'token' | 'authorize' | '*';

export interface LinkedInStandin extends RunningServer {
  requests: RecordedRequest[];
  posts: LinkedInPost[];
  /** The next `times` requests to `route` (default posts) answer `status` with a LinkedIn-shaped body. */
  failNext(status: number, opts?: { times?: number; route?: LinkedInRoute; body?: unknown; retryAfter?: number }): void;
  /** The next `times` requests to `route` never get an answer. */
  hangNext(times?: number, route?: LinkedInRoute): void;
  addToken(token: string, sub: string): void;
  revokeToken(token: string): void;
  /** An authorization code that the token exchange turns into a fresh token for `sub` (single use). */
  issueAuthCode(code: string, sub: string): void;
}

const RESERVED = new Set(['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~']);
const HASHTAG = /^#([\p{L}\p{N}]*\p{L}[\p{L}\p{N}]*)/u;

/** little text → shown text, per LinkedIn's format: `\x` is a literal x, `#word` a hashtag, any other reserved char ends the text. */
export function renderLittleText(commentary: string): { text: string; truncated: boolean; hashtags: string[] } {
  let text = '';
  const hashtags: string[] = [];
  const chars = Array.from(commentary);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\\' && i + 1 < chars.length) {
      text += chars[++i];
    } else if (ch === '#' && HASHTAG.test(chars.slice(i).join(''))) {
      const tag = (HASHTAG.exec(chars.slice(i).join('')) as RegExpExecArray)[1] as string;
      hashtags.push(tag);
      text += `#${tag}`;
      i += Array.from(tag).length;
    } else if (RESERVED.has(ch)) {
      return { text, truncated: true, hashtags };
    } else {
      text += ch;
    }
  }
  return { text, truncated: false, hashtags };
}

function recentVersions(now = new Date()): string[] {
  const out: string[] = [];
  for (let back = 0; back < 12; back++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    out.push(`${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

const liError = (res: Response, status: number, body: Record<string, unknown>): void => {
  res.status(status).json({ status, ...body });
};

export async function startLinkedInStandin(opts: LinkedInStandinOptions): Promise<LinkedInStandin> {
  const tokens = new Map<string, string>(opts.validTokens instanceof Map ? opts.validTokens : Object.entries(opts.validTokens));
  const versions = new Set(opts.version === undefined ? recentVersions() : [opts.version].flat());
  const codes = new Map<string, string>();
  /** Codes issued by the consent page remember the redirect_uri they were issued for. */
  const codeRedirects = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const posts: LinkedInPost[] = [];
  const failures = new FailureQueue<CannedFailure>();
  let shareSeq = 7_100_000_000_000_000_000n;

  /** The member behind the request's token, or an answer already sent. */
  function member(req: Request, res: Response): string | undefined {
    const token = bearerToken(req);
    if (!token) {
      liError(res, 401, { serviceErrorCode: 65604, code: 'EMPTY_ACCESS_TOKEN', message: 'Empty oauth2 access token' });
      return undefined;
    }
    const sub = tokens.get(token);
    if (!sub) liError(res, 401, { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
    return sub;
  }

  const app = rawBodyApp();
  const routeOf = (path: string): LinkedInRoute =>
    path === '/rest/posts'
      ? 'posts'
      : path === '/v2/userinfo'
        ? 'userinfo'
        : path === '/oauth/v2/accessToken'
          ? 'token'
          : path.startsWith('/oauth/v2/authorization')
            ? 'authorize'
            : '*';

  app.use((req, res, next) => {
    const rec = recordRequest(req);
    requests.push(rec);
    res.locals.rec = rec;
    const failure = failures.take(routeOf(rec.path));
    if (failure) sendCanned(res, failure);
    else next();
  });

  app.post('/rest/posts', (req, res) => {
    const sub = member(req, res);
    if (!sub) return;
    const version = req.headers['linkedin-version'];
    if (typeof version !== 'string' || version === '') {
      return liError(res, 400, {
        code: 'VERSION_MISSING',
        message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      });
    }
    if (!versions.has(version)) {
      return liError(res, 426, { code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active` });
    }
    if (req.headers['x-restli-protocol-version'] !== '2.0.0') {
      return liError(res, 400, { message: 'X-Restli-Protocol-Version must be 2.0.0 for this resource' });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return liError(res, 415, { message: 'Content-Type must be application/json' });
    }
    const body = obj((res.locals.rec as RecordedRequest).body);
    if (!body) return liError(res, 400, { message: 'Request body is not valid JSON' });
    const problem = shapeProblem(body);
    if (problem) return liError(res, 422, { message: problem, errorDetailType: 'com.linkedin.common.error.BadRequest' });
    if (body.author !== `urn:li:person:${sub}`) {
      return liError(res, 403, {
        serviceErrorCode: 100,
        code: 'ACCESS_DENIED',
        message: `Not enough permissions to access: partnerApiPostsExternal.CREATE.${version}`,
      });
    }
    const commentary = body.commentary as string;
    const shown = renderLittleText(commentary);
    // LinkedIn counts the commentary it receives, escape backslashes included.
    if (Array.from(commentary).length > 3000) {
      return liError(res, 422, { message: 'commentary is longer than 3000 characters', errorDetailType: 'com.linkedin.common.error.BadRequest' });
    }
    const urn = `urn:li:share:${shareSeq++}`;
    posts.push({ urn, author: body.author, commentary, rendered: shown.text, truncated: shown.truncated, hashtags: shown.hashtags, version, body });
    res.status(201).setHeader('x-restli-id', urn).setHeader('x-linkedin-id', urn).end();
  });

  app.get('/v2/userinfo', (req, res) => {
    const sub = member(req, res);
    if (!sub) return;
    const p = opts.profiles?.[sub] ?? {};
    const given = p.given_name ?? 'Test';
    const family = p.family_name ?? `Member ${sub}`;
    res.json({
      sub,
      name: p.name ?? `${given} ${family}`,
      given_name: given,
      family_name: family,
      picture: `https://media.licdn.example/${sub}.jpg`,
      locale: { country: 'US', language: 'en' },
      ...(p.email ? { email: p.email, email_verified: true } : {}),
    });
  });

  // The consent screen. LinkedIn shows its own error page (no redirect) for a bad client or
  // redirect_uri; a member's Cancel goes back with error=user_cancelled_authorize.
  app.get('/oauth/v2/authorization', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.response_type !== 'code') return res.status(400).type('html').send('<h1>Bad request</h1><p>response_type must be code</p>');
    if (!q.client_id || (opts.oauth && q.client_id !== opts.oauth.clientId))
      return res.status(400).type('html').send('<h1>Bad request</h1><p>The passed in client_id is invalid</p>');
    if (!q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri))
      return res.status(400).type('html').send('<h1>Bad request</h1><p>The redirect_uri does not match the registered value</p>');
    const scopes = (q.scope ?? '').split(/[ ,]+/).filter(Boolean);
    if (!scopes.length) return res.status(400).type('html').send('<h1>Bad request</h1><p>scope is required</p>');
    const back = (params: Record<string, string>) => {
      const u = new URL(q.redirect_uri as string);
      for (const [k, v] of Object.entries({ ...params, ...(q.state ? { state: q.state } : {}) })) u.searchParams.set(k, v);
      return u.toString();
    };
    const sub = opts.signedInMember ?? 'member-1';
    if (q.decision === 'allow') {
      const code = `AQT${randomBytes(16).toString('base64url')}`;
      codes.set(code, sub);
      codeRedirects.set(code, q.redirect_uri);
      return res.redirect(302, back({ code }));
    }
    if (q.decision === 'cancel')
      return res.redirect(302, back({ error: 'user_cancelled_authorize', error_description: 'The user cancelled the authorization' }));
    const again = (decision: string) => {
      const u = new URL(req.originalUrl, 'http://standin');
      u.searchParams.set('decision', decision);
      return u.pathname + u.search;
    };
    const who = opts.profiles?.[sub]?.name ?? `Test Member ${sub}`;
    res.type('html').send(`<!doctype html><title>LinkedIn</title><h1>PostForge would like to:</h1><ul>${scopes.map((s) => `<li>${s}</li>`).join('')}</ul>
      <p>Signed in as <strong>${who.replace(/[<>&"]/g, '')}</strong></p><a id="allow" href="${again('allow')}">Allow</a> <a id="cancel" href="${again('cancel')}">Cancel</a>`);
  });

  app.post('/oauth/v2/accessToken', (_req, res) => {
    const form = obj((res.locals.rec as RecordedRequest).body) ?? {};
    if (str(form, 'grant_type') !== 'authorization_code') {
      return res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code' });
    }
    if (opts.oauth && (str(form, 'client_id') !== opts.oauth.clientId || str(form, 'client_secret') !== opts.oauth.clientSecret)) {
      return res.status(401).json({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const code = str(form, 'code') ?? '';
    const sub = codes.get(code);
    const boundTo = codeRedirects.get(code);
    if (!sub || !str(form, 'redirect_uri') || (boundTo !== undefined && boundTo !== str(form, 'redirect_uri'))) {
      return res.status(400).json({
        error: 'invalid_request',
        error_description:
          'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.',
      });
    }
    codes.delete(code);
    codeRedirects.delete(code);
    const accessToken = `AQV${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, sub);
    res.json({ access_token: accessToken, expires_in: 5_184_000, scope: 'openid,profile,w_member_social', token_type: 'Bearer' });
  });

  app.use((_req, res) => liError(res, 404, { message: 'No virtual resource found' }));

  const server = await startServer(app);
  return {
    ...server,
    requests,
    posts,
    failNext(status, { times = 1, route = 'posts', body, retryAfter } = {}) {
      failures.add(
        route,
        {
          status,
          body: body ?? { status, message: status === 429 ? 'Resource level throttle limit reached' : `Canned failure ${status}` },
          ...(retryAfter !== undefined ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
        },
        times,
      );
    },
    hangNext(times = 1, route = 'posts') {
      failures.add(route, { hang: true }, times);
    },
    addToken: (token, sub) => void tokens.set(token, sub),
    revokeToken: (token) => void tokens.delete(token),
    issueAuthCode: (code, sub) => void codes.set(code, sub),
  };
}

/** The fields the Posts API requires, with the values it accepts for a member's text post. */
function shapeProblem(b: Record<string, unknown>): string | undefined {
  if (typeof b.author !== 'string' || !b.author.startsWith('urn:li:')) return '/author is required and must be a URN';
  if (typeof b.commentary !== 'string') return '/commentary is required';
  if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(String(b.visibility))) return '/visibility is not a valid value';
  const d = obj(b.distribution);
  if (!d) return '/distribution is required';
  if (!['MAIN_FEED', 'NONE'].includes(String(d.feedDistribution))) return '/distribution/feedDistribution is not a valid value';
  if (d.targetEntities !== undefined && !Array.isArray(d.targetEntities)) return '/distribution/targetEntities must be an array';
  if (d.thirdPartyDistributionChannels !== undefined && !Array.isArray(d.thirdPartyDistributionChannels)) {
    return '/distribution/thirdPartyDistributionChannels must be an array';
  }
  if (!['PUBLISHED', 'DRAFT'].includes(String(b.lifecycleState))) return '/lifecycleState is not a valid value';
  if (typeof b.isReshareDisabledByAuthor !== 'boolean') return '/isReshareDisabledByAuthor must be a boolean';
  return undefined;
}
