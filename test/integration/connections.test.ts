// Connecting LinkedIn through OAuth 2 against a local LinkedIn, and what an expired connection
// does to a post that is due: it pauses with a reconnect notice, then goes out after reconnecting.
import { encryptionKey, unseal } from '../../core/crypto';
import { balanceOf } from '../../core/ledger';
import { linkedInConnectionId } from '../../worker/activities/credentials';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let linkedin: LinkedInStandin;
beforeAll(async () => {
  linkedin = await startLinkedInStandin({ validTokens: {}, oauth: { clientId: 'li-client', clientSecret: 'li-secret' }, profiles: { m42: { name: 'Ada Lovelace' } } });
  stack = await startStack('connections', {
    config: { LINKEDIN_CLIENT_ID: 'li-client', LINKEDIN_CLIENT_SECRET: 'li-secret', LINKEDIN_OAUTH_URL: linkedin.url, LINKEDIN_API_URL: linkedin.url },
  });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await linkedin?.close();
});

async function startConnect(auth: Record<string, string>): Promise<URL> {
  const res = await fetch(`${stack.apiUrl}/v1/connections/linkedin/start`, { headers: auth });
  expect(res.status).toBe(200);
  return new URL(((await res.json()) as { url: string }).url);
}

describe('LinkedIn connection', () => {
  it('authorization code flow: state checked, member id from userinfo, token sealed at rest', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('ada');
    const url = await startConnect(auth);
    expect(url.origin + url.pathname).toBe(`${linkedin.url}/oauth/v2/authorization`);
    expect(url.searchParams.get('scope')).toBe('openid profile w_member_social');
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.config.PUBLIC_URL}/v1/connections/linkedin/callback`);
    const state = url.searchParams.get('state')!;

    // LinkedIn sends the browser back with a code; a forged state is refused first.
    linkedin.issueAuthCode('code-1', 'm42');
    const forged = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=code-1&state=forged`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('expired or was already used');
    const cb = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=code-1&state=${state}`);
    expect(cb.status).toBe(200);
    expect(await cb.text()).toContain('Ada Lovelace');

    const conn = await stack.db.connections.findOne({ _id: linkedInConnectionId(accountId, memberId) });
    expect(conn?.externalUrn).toBe('urn:li:person:m42');
    expect(JSON.stringify(conn)).not.toMatch(/AQV/);
    expect(unseal(conn!.token, encryptionKey(stack.config.ENCRYPTION_KEY))).toMatch(/^AQV/);
    const status = (await (await fetch(`${stack.apiUrl}/v1/connections`, { headers: auth })).json()) as { linkedin: Record<string, unknown> };
    expect(status.linkedin).toMatchObject({ connected: true, name: 'Ada Lovelace', expiresSoon: false, expired: false });

    // The state is single use.
    const replay = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=code-1&state=${state}`);
    expect(replay.status).toBe(400);
  });

  it('a refused consent or a bad code says so', async () => {
    const { auth } = await stack.newAccount('refuser');
    const denied = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?error=user_cancelled_authorize&error_description=The+member+refused`);
    expect(await denied.text()).toContain('The member refused');
    const url = await startConnect(auth);
    const bad = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=nope&state=${url.searchParams.get('state')}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('LinkedIn refused the authorization code');
  });

  it('a post due after the token expired pauses, then publishes once the member reconnects', async () => {
    const { auth, accountId, memberId } = await stack.newAccount('lapsed');
    linkedin.issueAuthCode('code-old', 'm7');
    const first = await startConnect(auth);
    await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=code-old&state=${first.searchParams.get('state')}`);
    await stack.db.connections.updateOne({ _id: linkedInConnectionId(accountId, memberId) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Worth the wait', targets: [{ kind: 'linkedin' }], scheduledAt: new Date(Date.now() + 1000).toISOString() }),
    });
    const created = (await res.json()) as { id: string };
    expect({ status: res.status, created }).toMatchObject({ status: 202, created: { id: expect.any(String) } });
    const id = created.id;
    const paused = await eventually(async () => {
      const d = await stack.db.posts.findOne({ _id: id });
      return d?.results[0]?.outcome === 'paused' ? d : undefined;
    }, { what: 'paused' });
    expect(paused.status).toBe('publishing');
    expect(paused.results[0]?.error).toMatch(/expired.*Reconnect LinkedIn/);
    expect(linkedin.posts).toHaveLength(0);

    linkedin.issueAuthCode('code-new', 'm7');
    const again = await startConnect(auth);
    const cb = await fetch(`${stack.apiUrl}/v1/connections/linkedin/callback?code=code-new&state=${again.searchParams.get('state')}`);
    expect(await cb.text()).toContain('1 paused post(s) are going out now');
    const done = await eventually(async () => {
      const d = await stack.db.posts.findOne({ _id: id });
      return d?.status === 'published' ? d : undefined;
    }, { what: 'published after reconnect' });
    expect(linkedin.posts.find((p) => p.urn === done.results[0]?.externalId)?.author).toBe('urn:li:person:m7');
    expect(await balanceOf(stack.db, accountId)).toBe(9);
  });
});
