import { createSlackPublisher, PublishError, type SlackPublisher } from '../../../worker/publishers';
import { closedPortUrl } from '../../standins/http';
import { startSlackStandin, type SlackStandin } from '../../standins/slack';

const TOKEN = 'xoxb-good';
const target = { kind: 'slack' as const, channel: 'C0GENERAL' };

async function rejection(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

let slack: SlackStandin;
let publisher: SlackPublisher;
const publish = (text: string, channel = target.channel, botToken = TOKEN, p: SlackPublisher = publisher) =>
  p.publish({ target: { kind: 'slack', channel }, text, idempotencyKey: 'publish:p1:slack', credentials: { botToken } });

beforeEach(async () => {
  slack = await startSlackStandin({
    tokens: [TOKEN],
    channels: [
      { id: 'C0GENERAL', name: 'general' },
      { id: 'C0OUTSIDE', name: 'outside', isMember: false },
      { id: 'C0OLD', name: 'old', isArchived: true },
    ],
  });
  publisher = createSlackPublisher({ slackApiUrl: slack.apiUrl, timeoutMs: 2_000 });
});
afterEach(() => slack.close());

describe('Slack publisher against the stand-in', () => {
  it('posts with chat.postMessage and links the message with its permalink', async () => {
    const out = await publish('Hello *team* https://x.example');

    expect(slack.messages).toHaveLength(1);
    const msg = slack.messages[0]!;
    expect(out).toEqual({
      externalId: `C0GENERAL/${msg.ts}`,
      url: `https://standin.slack.com/archives/C0GENERAL/p${msg.ts.replace('.', '')}`,
    });
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.getPermalink']);
    const post = slack.calls[0]!;
    expect(post.token).toBe(TOKEN);
    expect(post.args).toMatchObject({ channel: 'C0GENERAL', text: 'Hello *team* https://x.example', unfurl_links: 'false' });
    expect(post.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(slack.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('escapes &, < and > so a draft cannot ping the channel, mention anyone or hide a link', async () => {
    await publish('Ship it <!channel> & tell <@U0BOSS>: 2 > 1, see <https://evil.example|our docs>');
    expect(slack.calls[0]!.args.text).toBe('Ship it &lt;!channel&gt; &amp; tell &lt;@U0BOSS&gt;: 2 &gt; 1, see &lt;https://evil.example|our docs&gt;');
    expect(slack.messages[0]!.text).not.toMatch(/<!channel>|<@U0BOSS>/);
  });

  it('still succeeds, without a url, when the permalink lookup fails', async () => {
    slack.failNext('chat.getPermalink', 'internal_error');
    const out = await publish('hi');
    expect(out.externalId).toBe(`C0GENERAL/${slack.messages[0]!.ts}`);
    expect(out).not.toHaveProperty('url');
  });

  it('refuses more than 4,000 characters before calling Slack', async () => {
    const err = await rejection(publish('x'.repeat(4001)));
    expect(err.kind).toBe('permanent');
    expect(slack.calls).toHaveLength(0);
  });

  it('turns invalid_auth into a permanent error that says to reinstall', async () => {
    const err = await rejection(publish('hi', target.channel, 'xoxb-revoked'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'invalid_auth' });
    expect(err.message).toMatch(/reinstall the PostForge Slack app/);
    expect(slack.messages).toHaveLength(0);
  });

  it.each(['token_revoked', 'account_inactive'])('turns %s into a permanent error', async (error) => {
    slack.failNext('chat.postMessage', error);
    expect(await rejection(publish('hi'))).toMatchObject({ kind: 'permanent', code: error });
  });

  it('tells the author to invite the bot when it is not in the channel', async () => {
    const err = await rejection(publish('hi', 'C0OUTSIDE'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'not_in_channel' });
    expect(err.message).toContain('/invite @PostForge');
    expect(err.message).toContain('C0OUTSIDE');
  });

  it.each([
    ['C0MISSING', 'channel_not_found'],
    ['C0OLD', 'is_archived'],
  ])('turns posting to %s into a permanent %s', async (channel, code) => {
    expect(await rejection(publish('hi', channel))).toMatchObject({ kind: 'permanent', code });
  });

  it('treats HTTP 429 as retryable with Retry-After, and does not retry by itself', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
    const err = await rejection(publish('hi'));
    expect(err).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 3000 });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('treats a `ratelimited` answer as retryable', async () => {
    slack.failNext('chat.postMessage', 'ratelimited');
    expect(await rejection(publish('hi'))).toMatchObject({ kind: 'retryable', code: 'ratelimited' });
  });

  it('treats HTTP 500 as retryable, with a single request', async () => {
    slack.failNext('chat.postMessage', { status: 500 });
    expect(await rejection(publish('hi'))).toMatchObject({ kind: 'retryable', status: 500 });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('treats internal_error as an unknown outcome: Slack says part of it may have happened', async () => {
    slack.failNext('chat.postMessage', 'internal_error');
    expect((await rejection(publish('hi'))).kind).toBe('unknown_outcome');
  });

  it('treats a request that hangs past the deadline as an unknown outcome', async () => {
    slack.hangNext('chat.postMessage');
    const quick = createSlackPublisher({ slackApiUrl: slack.apiUrl, timeoutMs: 150 });
    const started = Date.now();
    const err = await rejection(publish('hi', target.channel, TOKEN, quick));
    expect(err).toMatchObject({ kind: 'unknown_outcome', code: 'timeout' });
    expect(err.message).toMatch(/Check Slack before posting again/);
    expect(Date.now() - started).toBeLessThan(5_000); // gave up at its deadline instead of hanging
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('treats a cancellation mid-request as an unknown outcome and one before sending as retryable', async () => {
    slack.hangNext('chat.postMessage');
    const ctl = new AbortController();
    const req = { target, text: 'hi', idempotencyKey: 'k', credentials: { botToken: TOKEN } };
    const sent = slack.callsTo('chat.postMessage').length;
    const pending = rejection(publisher.publish({ ...req, signal: ctl.signal }));
    // Cancel once Slack has the request (not after a fixed delay, which a loaded machine can outrun).
    while (slack.callsTo('chat.postMessage').length === sent) await new Promise((r) => setTimeout(r, 5));
    ctl.abort();
    expect(await pending).toMatchObject({ kind: 'unknown_outcome', code: 'cancelled' });
    const calls = slack.calls.length;
    expect(await rejection(publisher.publish({ ...req, signal: AbortSignal.abort() }))).toMatchObject({ kind: 'retryable', code: 'cancelled' });
    expect(slack.calls).toHaveLength(calls);
  });

  it('treats connection refused as retryable', async () => {
    const down = createSlackPublisher({ slackApiUrl: `${await closedPortUrl()}/api/`, timeoutMs: 2_000 });
    expect(await rejection(publish('hi', target.channel, TOKEN, down))).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });
});
