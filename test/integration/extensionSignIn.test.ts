// "Sign in with LinkedIn" for the browser extension, against the LinkedIn OIDC stand-in: the token
// reaches only a trusted extension page, the flow is bound to the browser that started it, the
// account is person:<sub> (welcome credits once), and signing out revokes the session key.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { createStripe } from '../../core/stripe';
import type { Database } from '../../core/db';
import type { ServiceContext } from '../../services/context';
import { createOfflineGenerator } from '../../core/generation';
import { testConfig, testDatabase } from '../helpers/common';
import { checkAnswersOf } from '../helpers/contract';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';

const EXT = 'abcdefghijklmnopabcdefghijklmnop';
const PAGE = `chrome-extension://${EXT}/tabs/signed-in.html`;

let linkedin: LinkedInStandin;
let db: Database;
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  linkedin = await startLinkedInStandin({
    validTokens: {},
    oauth: { clientId: 'li-client', clientSecret: 'li-secret' },
    signedInMember: 'Xy7_ada',
    profiles: { Xy7_ada: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  });
  db = await testDatabase('extension-signin');
  const config = testConfig({
    LINKEDIN_CLIENT_ID: 'li-client',
    LINKEDIN_CLIENT_SECRET: 'li-secret',
    LINKEDIN_OAUTH_URL: linkedin.url,
    LINKEDIN_API_URL: linkedin.url,
    CORS_ORIGINS: `chrome-extension://${EXT}`,
  });
  // These routes need no Temporal; the app is built with everything else real.
  const ctx: ServiceContext = { db, config, temporal: undefined as never, stripe: createStripe(config), generator: createOfflineGenerator() };
  server = await new Promise<Server>((resolve) => {
    const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
  });
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checkAnswersOf(apiUrl);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await db?.db.dropDatabase().catch(() => undefined);
  await db?.close();
  await linkedin?.close();
});

const noFollow = { redirect: 'manual' } as const;

/** Start → LinkedIn's consent → Allow: the callback URL and the cookie this browser holds. */
async function consent(redirect = PAGE): Promise<{ callback: string; cookie: string; authorize: URL }> {
  const start = await fetch(`${apiUrl}/v1/auth/linkedin/start?redirect=${encodeURIComponent(redirect)}`, noFollow);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^pf_signin=/);
  expect(start.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  authorize.searchParams.set('decision', 'allow');
  const allowed = await fetch(authorize, noFollow);
  expect(allowed.status).toBe(302);
  return { callback: allowed.headers.get('location')!, cookie, authorize };
}

test('signs in: OIDC scopes, person:<sub> account with welcome credits, a session token for the extension page only', async () => {
  const { callback, cookie, authorize } = await consent();
  expect(authorize.origin + authorize.pathname).toBe(`${linkedin.url}/oauth/v2/authorization`);
  expect(authorize.searchParams.get('scope')).toBe('openid profile email');
  expect(authorize.searchParams.get('redirect_uri')).toMatch(/\/v1\/auth\/linkedin\/callback$/);
  const cb = await fetch(callback.replace(/^https?:\/\/[^/]+/, apiUrl), { ...noFollow, headers: { cookie } });
  expect(cb.status).toBe(302);
  const landing = new URL(cb.headers.get('location')!);
  expect(landing.href.split('#')[0]).toBe(PAGE);
  const fragment = new URLSearchParams(landing.hash.slice(1));
  const token = fragment.get('token')!;
  expect(token).toMatch(/^pf_/);
  expect(fragment.get('name')).toBe('Ada Lovelace');
  expect(landing.search).toBe(''); // the token never travels in a query string

  const me = (await (await fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    account: { id: string; name: string };
    credits: number;
  };
  expect(me.account).toMatchObject({ id: 'person:Xy7_ada', name: 'Ada Lovelace' });
  expect(me.credits).toBe(10);
  const keys = await db.apiKeys.find({ accountId: 'person:Xy7_ada' }).toArray();
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatchObject({ session: 'extension', memberId: 'Xy7_ada' });

  // The same state cannot be used twice.
  const replay = await fetch(callback.replace(/^https?:\/\/[^/]+/, apiUrl), { ...noFollow, headers: { cookie } });
  expect(replay.status).toBe(400);

  // Signing in again finds the same account; the welcome credits are not granted twice.
  const again = await consent();
  const cb2 = await fetch(again.callback.replace(/^https?:\/\/[^/]+/, apiUrl), { ...noFollow, headers: { cookie: again.cookie } });
  const token2 = new URLSearchParams(new URL(cb2.headers.get('location')!).hash.slice(1)).get('token')!;
  const me2 = (await (await fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token2}` } })).json()) as {
    account: { id: string };
    credits: number;
  };
  expect(me2).toMatchObject({ account: { id: 'person:Xy7_ada' }, credits: 10 });

  // Signing out revokes that session, and only that one.
  const out = await fetch(`${apiUrl}/v1/auth/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token2}` } });
  expect(out.status).toBe(204);
  expect((await fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token2}` } })).status).toBe(401);
  expect((await fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
});

test.each([
  ['another extension', 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/tabs/signed-in.html'],
  ['a web page', 'https://evil.example/steal'],
  ['a look-alike identity redirect', 'https://evil.example/.chromiumapp.org/'],
  ['nothing', ''],
])('refuses to hand a token to %s', async (_what, redirect) => {
  const before = await db.oauthStates.countDocuments({});
  const res = await fetch(`${apiUrl}/v1/auth/linkedin/start?redirect=${encodeURIComponent(redirect)}`, noFollow);
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/redirect must be|not allowed to sign in here/);
  expect(await db.oauthStates.countDocuments({})).toBe(before);
});

test('one sign-in state, called back several times at once, hands out one session', async () => {
  const { callback, cookie } = await consent();
  const url = callback.replace(/^https?:\/\/[^/]+/, apiUrl);
  const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(url, { ...noFollow, headers: { cookie } })));
  expect(answers.map((a) => a.status).sort()).toEqual([302, 400, 400, 400, 400]);
});

test('a callback link from another browser (no matching cookie) does not sign you in', async () => {
  const { callback } = await consent();
  const res = await fetch(callback.replace(/^https?:\/\/[^/]+/, apiUrl), { ...noFollow, headers: { cookie: 'pf_signin=someone-elses' } });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('started in another browser');
  const none = await fetch(callback.replace(/^https?:\/\/[^/]+/, apiUrl), noFollow);
  expect(none.status).toBe(400);
});

test('Cancel on LinkedIn’s consent page says so, and nobody is signed in', async () => {
  const start = await fetch(`${apiUrl}/v1/auth/linkedin/start?redirect=${encodeURIComponent(PAGE)}`, noFollow);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorize = new URL(start.headers.get('location')!);
  authorize.searchParams.set('decision', 'cancel');
  const back = (await fetch(authorize, noFollow)).headers.get('location')!;
  const res = await fetch(back.replace(/^https?:\/\/[^/]+/, apiUrl), { ...noFollow, headers: { cookie } });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('did not sign you in');
});
