// LinkedIn's documented error bodies (fixtures/linkedin-errors.json, sources cited there), served by
// the LinkedIn stand-in for POST /rest/posts and read by the real publisher: a change in how we read
// status, serviceErrorCode or code shows up here.
import fixtures from './fixtures/linkedin-errors.json';
import { createLinkedInPublisher, PublishError, type LinkedInPublisher } from '../../worker/publishers';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';

const TOKEN = 'AQVcontract-token';
const SUB = 'contract123';
const VERSION = '202510';
const creds = { accessToken: TOKEN, authorUrn: `urn:li:person:${SUB}` };

let li: LinkedInStandin;
let publisher: LinkedInPublisher;
beforeEach(async () => {
  li = await startLinkedInStandin({ validTokens: { [TOKEN]: SUB }, version: [VERSION] });
  publisher = createLinkedInPublisher({ apiBaseUrl: li.url, version: VERSION, timeoutMs: 2_000 });
});
afterEach(() => li.close());

async function publishAgainst(doc: { status: number; body: unknown }): Promise<PublishError> {
  li.failNext(doc.status, { body: doc.body, times: 2 });
  const err = await publisher.publish({ target: { kind: 'linkedin' }, text: 'Contract test', idempotencyKey: 'contract:k', credentials: creds }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

describe("LinkedIn's documented error bodies", () => {
  it('401 INVALID_ACCESS_TOKEN (serviceErrorCode 65600) pauses for a reconnect instead of failing the post', async () => {
    const err = await publishAgainst(fixtures.invalidToken);
    expect(err).toMatchObject({ kind: 'reconnect', status: 401 });
    expect(err.message).toMatch(/Reconnect LinkedIn/);
  });

  it('426 NONEXISTENT_VERSION is read as a version problem, not as a retryable failure', async () => {
    const err = await publishAgainst(fixtures.nonexistentVersion);
    expect(err).toMatchObject({ kind: 'permanent', status: 426, code: 'NONEXISTENT_VERSION' });
  });

  it('429 is retried later, never a permanent failure', async () => {
    const err = await publishAgainst(fixtures.throttled);
    expect(err).toMatchObject({ kind: 'retryable', status: 429 });
  });

  it('422 (the body failed validation) is permanent, and says what LinkedIn said', async () => {
    const err = await publishAgainst(fixtures.unprocessable);
    expect(err).toMatchObject({ kind: 'permanent', status: 422 });
    expect(err.message).toContain('commentary');
  });
});
