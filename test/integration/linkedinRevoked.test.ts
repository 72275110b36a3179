// A member can revoke PostForge's LinkedIn access long before the token's 60 days are up. LinkedIn then
// answers 401 (documented error body: serviceErrorCode 65600, INVALID_ACCESS_TOKEN). The post must
// not fail and burn the author's slot: it pauses like an expired connection, asks for a reconnect,
// and goes out once, after the member connects again.
import { encryptionKey, seal } from '../../core/crypto';
import { balanceOf } from '../../core/ledger';
import { postWorkflowId } from '../../core/temporal';
import { linkedInConnectionId } from '../../core/connectionIds';
import { connectionRestoredSignal } from '../../workflows/messages';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let linkedin: LinkedInStandin;
beforeAll(async () => {
  linkedin = await startLinkedInStandin({ validTokens: { 'AQVfirst-token': 'm9' } });
  stack = await startStack('linkedin-revoked', { config: { LINKEDIN_API_URL: linkedin.url } });
});
afterEach(async () => expectLedgersConsistent(stack.db));
afterAll(async () => {
  await stack?.stop();
  await linkedin?.close();
});

async function connect(accountId: string, memberId: string, token: string): Promise<void> {
  await stack.db.connections.replaceOne(
    { _id: linkedInConnectionId(accountId, memberId) },
    {
      provider: 'linkedin',
      accountId,
      memberId,
      externalUrn: 'urn:li:person:m9',
      token: seal(token, encryptionKey(stack.config.ENCRYPTION_KEY)),
      expiresAt: new Date(Date.now() + 50 * 86_400_000),
      updatedAt: new Date(),
    },
    { upsert: true },
  );
}

it('a token revoked early (401) pauses the post and asks to reconnect; after reconnecting it publishes once', async () => {
  const { auth, accountId, memberId } = await stack.newAccount('revoker');
  await connect(accountId, memberId, 'AQVfirst-token');
  linkedin.revokeToken('AQVfirst-token');

  const res = await fetch(`${stack.apiUrl}/v1/posts`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Still worth saying', targets: [{ kind: 'linkedin' }], scheduledAt: new Date(Date.now() + 4000).toISOString() }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  const paused = await eventually(
    async () => {
      const d = await stack.db.posts.findOne({ _id: id });
      return d?.results[0]?.outcome === 'paused' ? d : undefined;
    },
    { what: 'paused on the revoked token' },
  );
  expect(paused.status).toBe('publishing');
  expect(paused.results[0]?.error).toMatch(/401 INVALID_ACCESS_TOKEN.*Reconnect LinkedIn/);
  expect(linkedin.posts).toHaveLength(0);

  // What the OAuth callback does after a reconnect: a fresh token, then the paused posts are told.
  linkedin.addToken('AQVsecond-token', 'm9');
  await connect(accountId, memberId, 'AQVsecond-token');
  await stack.env.client.workflow.getHandle(postWorkflowId(id)).signal(connectionRestoredSignal, { provider: 'linkedin' });

  const done = await eventually(
    async () => {
      const d = await stack.db.posts.findOne({ _id: id });
      return d?.status === 'published' ? d : undefined;
    },
    { what: 'published after reconnect' },
  );
  expect(linkedin.posts).toHaveLength(1);
  expect(linkedin.posts[0]?.urn).toBe(done.results[0]?.externalId);
  expect(done.history.map((h) => h.event)).toEqual(expect.arrayContaining(['paused', 'published']));
  expect(await balanceOf(stack.db, accountId)).toBe(stack.config.FREE_CREDITS - 1);
});
