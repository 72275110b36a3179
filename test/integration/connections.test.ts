// Connecting LinkedIn through OAuth 2 against a local LinkedIn, and what an expired connection
// does to a post that is due: it pauses with a reconnect notice, then goes out after reconnecting.
import { encryptionKey, unseal } from '../../core/crypto';
import { balanceOf } from '../../core/ledger';
import { nonceCookie } from '../../api/routes/connections';
import { linkedInConnectionId } from '../../core/connectionIds';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let linkedin: LinkedInStandin;
beforeAll(async () => {
  linkedin = await startLinkedInStandin({
    validTokens: {},
    oauth: { clientId: 'li-client', clientSecret: 'li-secret' },
    profiles: { m42: { name: 'Ada Lovelace' } },
  });
  stack = await startStack('connections', {
    config: { LINKEDIN_CLIENT_ID: 'li-client', LINKEDIN_CLIENT_SECRET: 'li-secret', LINKEDIN_OAUTH_URL: linkedin.url, LINKEDIN_API_URL: linkedin.url },
  });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await linkedin?.close();
});

/** The one-time link the member is handed (on PUBLIC_URL), fetched from this test's server. */
const local = (link: string): string => `${stack.apiUrl}${new URL(link).pathname}`;

/** Opens a connect link as a browser would: the LinkedIn URL it is sent on to, and the cookie it got. */
async function openLink(link: string): Promise<{ url: URL; cookie: string; setCookie: string }> {
  const res = await fetch(local(link), { redirect: 'manual' });
  expect(res.status).toBe(302);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { url: new URL(res.headers.get('location') ?? ''), cookie: setCookie.split(';')[0] ?? '', setCookie };
}

/** /start through the member's browser: LinkedIn's authorization URL, and the browser's cookie. */
async function startConnect(auth: Record<string, string>): Promise<{ url: URL; cookie: string; link: string; setCookie: string }> {
  const res = await fetch(`${stack.apiUrl}/v1/connections/linkedin/start`, { headers: auth });
  expect(res.status).toBe(200);
  const link = ((await res.json()) as { url: string }).url;
  expect(link).toMatch(new RegExp(`^${stack.config.PUBLIC_URL}/v1/connections/linkedin/open/[\\w-]{32}$`));
  return { ...(await openLink(link)), link };
}

const callback = (query: string, cookie?: string) => fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?${query}`, cookie ? { headers: { cookie } } : {});

describe('LinkedIn connection', () => {
  it('authorization code flow: state checked, member id from userinfo, token sealed at rest', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('ada');
    const { url, cookie } = await startConnect(auth);
    expect(url.origin + url.pathname).toBe(`${linkedin.url}/oauth/v2/authorization`);
    expect(url.searchParams.get('scope')).toBe('openid profile w_member_social');
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.config.PUBLIC_URL}/v1/connections/linkedin/callback`);
    const state = url.searchParams.get('state')!;

    // LinkedIn sends the browser back with a code; a forged state is refused first.
    linkedin.issueAuthCode('code-1', 'm42');
    const forged = await callback('code=code-1&state=forged', cookie);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('expired or was already used');
    const cb = await callback(`code=code-1&state=${state}`, cookie);
    expect(cb.status).toBe(200);
    // Done: the browser's nonce cookie is cleared.
    expect(cb.headers.get('set-cookie')).toMatch(/^pf_linkedin_nonce=; Path=\/v1\/connections\/linkedin; Max-Age=0/);
    expect(await cb.text()).toContain('Ada Lovelace');

    const conn = await stack.db.connections.findOne({ _id: linkedInConnectionId(accountId, memberId) });
    expect(conn?.externalUrn).toBe('urn:li:person:m42');
    expect(JSON.stringify(conn)).not.toMatch(/AQV/);
    expect(unseal(conn!.token, encryptionKey(stack.config.ENCRYPTION_KEY))).toMatch(/^AQV/);
    const status = (await (await fetch(`${stack.apiUrl}/v1/connections`, { headers: auth })).json()) as { linkedin: Record<string, unknown> };
    expect(status.linkedin).toMatchObject({ connected: true, name: 'Ada Lovelace', expiresSoon: false, expired: false });

    // The state is single use.
    const replay = await callback(`code=code-1&state=${state}`, cookie);
    expect(replay.status).toBe(400);
  });

  it('a refused consent or a bad code says so', async () => {
    const { auth } = await stack.newAccount('refuser');
    const denied = await callback('error=user_cancelled_authorize&error_description=The+member+refused');
    expect(await denied.text()).toContain('The member refused');
    const { url, cookie } = await startConnect(auth);
    const bad = await callback(`code=nope&state=${url.searchParams.get('state')}`, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('LinkedIn refused the authorization code');
  });

  it('a post due after the token expired pauses, then publishes once the member reconnects', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('lapsed');
    linkedin.issueAuthCode('code-old', 'm7');
    const first = await startConnect(auth);
    await callback(`code=code-old&state=${first.url.searchParams.get('state')}`, first.cookie);
    await stack.db.connections.updateOne({ _id: linkedInConnectionId(accountId, memberId) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Worth the wait', targets: [{ kind: 'linkedin' }], scheduledAt: new Date(Date.now() + 4000).toISOString() }),
    });
    const created = (await res.json()) as { id: string };
    expect({ status: res.status, created }).toMatchObject({ status: 202, created: { id: expect.any(String) } });
    const id = created.id;
    const paused = await eventually(
      async () => {
        const d = await stack.db.posts.findOne({ _id: id });
        return d?.results[0]?.outcome === 'paused' ? d : undefined;
      },
      { what: 'paused' },
    );
    expect(paused.status).toBe('publishing');
    expect(paused.results[0]?.error).toMatch(/expired.*Reconnect LinkedIn/);
    expect(linkedin.posts).toHaveLength(0);

    linkedin.issueAuthCode('code-new', 'm7');
    const again = await startConnect(auth);
    const cb = await callback(`code=code-new&state=${again.url.searchParams.get('state')}`, again.cookie);
    expect(await cb.text()).toContain('1 paused post(s) are going out now');
    const done = await eventually(
      async () => {
        const d = await stack.db.posts.findOne({ _id: id });
        return d?.status === 'published' ? d : undefined;
      },
      { what: 'published after reconnect' },
    );
    expect(linkedin.posts.find((p) => p.urn === done.results[0]?.externalId)?.author).toBe('urn:li:person:m7');
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });
  it("is bound to the browser that started it: a link sent to a victim's browser attaches nothing", async () => {
    const attacker = await stack.newAccount('attacker');
    const victim = await stack.newAccount('victim');
    // The attacker asks for a link and opens it in the attacker's own browser. (A server without the
    // browser binding answers LinkedIn's URL itself: the attack below is what it let through.)
    const res = await fetch(`${stack.apiUrl}/v1/connections/linkedin/start`, { headers: attacker.auth });
    const link = ((await res.json()) as { url: string }).url;
    const { url, cookie, setCookie } = link.startsWith(stack.config.PUBLIC_URL) ? await openLink(link) : { url: new URL(link), cookie: '', setCookie: '' };
    const state = url.searchParams.get('state')!;

    // The attacker sends LinkedIn's authorization link to the victim, who signs in with their own
    // LinkedIn; LinkedIn sends the victim's browser back with a code for the victim's member id.
    linkedin.issueAuthCode('code-victim', 'victim-sub');
    const noCookie = await callback(`code=code-victim&state=${state}`);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain('not started in this browser');
    // The victim's browser may well have a cookie of its own, from its own connect.
    const own = await startConnect(victim.auth);
    const otherCookie = await callback(`code=code-victim&state=${state}`, own.cookie);
    expect(otherCookie.status).toBe(400);
    expect(await otherCookie.text()).toContain('not started in this browser');
    expect(await stack.db.connections.countDocuments({ accountId: attacker.accountId })).toBe(0);
    expect(await stack.db.connections.countDocuments({ externalUrn: 'urn:li:person:victim-sub' })).toBe(0);
    // Nothing was exchanged with LinkedIn for those attempts.
    expect(
      linkedin.requests.filter((r) => r.path === '/oauth/v2/accessToken' && String((r.body as Record<string, unknown>)?.code) === 'code-victim'),
    ).toHaveLength(0);

    // The cookie: httpOnly, SameSite=Lax (sent on LinkedIn's top-level redirect back), scoped to the
    // LinkedIn routes, short-lived; not Secure only because PUBLIC_URL is plain http://localhost.
    expect(setCookie).toMatch(/^pf_linkedin_nonce=[\w-]{43}; Path=\/v1\/connections\/linkedin; Max-Age=900; HttpOnly; SameSite=Lax$/);
    expect(nonceCookie({ PUBLIC_URL: 'https://postforge.example' }, 'n')).toBe(
      'pf_linkedin_nonce=n; Path=/v1/connections/linkedin; Max-Age=900; HttpOnly; SameSite=Lax; Secure',
    );

    // The connect link itself works once: a second browser opening it gets nothing.
    const reopened = await fetch(local(link), { redirect: 'manual' });
    expect(reopened.status).toBe(400);
    expect(reopened.headers.get('set-cookie')).toBeNull();

    // Only the browser that opened it finishes it (here the attacker's own, with its own LinkedIn).
    linkedin.issueAuthCode('code-attacker', 'attacker-sub');
    expect((await callback(`code=code-attacker&state=${state}`, cookie)).status).toBe(200);
    expect(await stack.db.connections.findOne({ accountId: attacker.accountId })).toMatchObject({ externalUrn: 'urn:li:person:attacker-sub' });
  });
});
