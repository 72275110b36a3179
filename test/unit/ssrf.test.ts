// SSRF: customer URLs (webhook targets, Discord webhook URLs, notify URLs) must never make the worker
// call loopback, private, link-local or metadata addresses, however the address is spelled or
// resolved, and no answer from such a URL is ever quoted back. Every attack here runs against a real
// "internal" server listening on all local addresses, which must see no request at all.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyAddress } from '../../core/net/addressPolicy';
import { checkOutboundUrl, safeFetch, type OutboundPolicy, type ResolvedAddress } from '../../core/net/safeFetch';
import { checkCustomerUrls } from '../../services/outboundUrls';
import { UserError } from '../../services/errors';
import { notifyActivities } from '../../worker/activities/notify';
import type { ActivityDeps } from '../../worker/activities/deps';
import { createDiscordPublisher, createWebhookPublisher, PublishError } from '../../worker/publishers';
import type { Database } from '../../core/db';
import type { PostDoc } from '../../core/records';
import { testConfig, testDatabase } from '../helpers/common';

const INTERNAL_BODY = 'internal-secret: AKIA-metadata-credentials';

interface Sink {
  port: number;
  hits: { host: string; url: string }[];
  close(): Promise<void>;
}

/** An "internal service": answers every request with a secret, on every local address (IPv4 and IPv6). */
async function startSink(host = '::', answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.end(INTERNAL_BODY)): Promise<Sink> {
  const hits: Sink['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ host: req.headers.host ?? '', url: req.url ?? '' });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const resolver =
  (table: Record<string, string[]>) =>
  async (hostname: string): Promise<ResolvedAddress[]> =>
    (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function rejection(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(err)}`);
  return err;
}

let sink: Sink;
beforeEach(async () => {
  sink = await startSink();
});
afterEach(() => sink.close());

const STRICT: OutboundPolicy = { allowPrivate: false };

function attackUrls(port: number): string[] {
  return [
    `http://127.0.0.1:${port}/hook`,
    `http://127.1.2.3:${port}/hook`,
    `http://[::1]:${port}/hook`,
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    `http://[::ffff:7f00:1]:${port}/hook`,
    `http://2130706433:${port}/hook`, // decimal 127.0.0.1
    `http://0x7f.1:${port}/hook`, // hex + short form
    `http://0177.0.0.1:${port}/hook`, // octal
    `http://0.0.0.0:${port}/hook`,
    `http://[::]:${port}/hook`,
    `http://localhost:${port}/hook`,
    `http://LOCALHOST.:${port}/hook`,
    `http://anything.localhost:${port}/hook`,
  ];
}

describe('address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.10.10', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fdff::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
    ['2002:7f00:1::', 'reserved'], // 6to4 of 127.0.0.1
    ['::127.0.0.1', 'reserved'], // IPv4-compatible
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('webhook publisher: internal destinations are refused before any request', () => {
  const publisher = (outbound: OutboundPolicy) => createWebhookPublisher({ timeoutMs: 2_000, outbound });
  const publish = (url: string, outbound: OutboundPolicy = STRICT) =>
    publisher(outbound).publish({ target: { kind: 'webhook', url }, text: 'hi', idempotencyKey: 'k', credentials: { signingSecret: 'whsec_x' } });

  it('(the sink does see a delivery when private hosts are allowed, so the refusals below are real)', async () => {
    await expect(publish(`http://127.0.0.1:${sink.port}/hook`, { allowPrivate: true })).resolves.toBeDefined();
    await expect(publish(`http://[::1]:${sink.port}/hook`, { allowPrivate: true })).resolves.toBeDefined();
    expect(sink.hits).toHaveLength(2);
  });

  it('refuses loopback in every spelling: IPv4, IPv6, IPv4-mapped, decimal, hex, octal, unspecified, localhost', async () => {
    for (const url of attackUrls(sink.port)) {
      const err = await rejection(publish(url));
      expect({ url, kind: err.kind, code: err.code }).toEqual({ url, kind: 'permanent', code: 'destination_refused' });
      expect(err.message).toMatch(/Nothing was sent to the webhook at .*: its URL .*PostForge only calls public addresses.*ALLOW_PRIVATE_WEBHOOK_HOSTS=true/);
    }
    expect(sink.hits).toEqual([]);
  });

  it('refuses the cloud metadata address at once, and still refuses it when private hosts are allowed', async () => {
    for (const outbound of [STRICT, { allowPrivate: true }]) {
      const started = Date.now();
      const err = await rejection(publish('http://169.254.169.254/latest/meta-data/iam/security-credentials/', outbound));
      expect(err).toMatchObject({ kind: 'permanent', code: 'destination_refused' });
      expect(err.message).toContain('cloud metadata');
      expect(Date.now() - started).toBeLessThan(5_000); // refused, not timed out trying
    }
    await expect(publish('http://[fd00:ec2::254]/latest/meta-data/', { allowPrivate: true })).rejects.toMatchObject({ code: 'destination_refused' });
  });

  it('checks the resolved address when connecting: a public-looking name that resolves to 127.0.0.1 is refused', async () => {
    const err = await rejection(
      publish(`http://hooks.example.com:${sink.port}/hook`, { allowPrivate: false, resolve: resolver({ 'hooks.example.com': ['127.0.0.1'] }) }),
    );
    expect(err).toMatchObject({ kind: 'permanent', code: 'destination_refused' });
    expect(err.message).toContain('resolves to a loopback address');
    // The address it resolved to is not told (that would let a customer read our internal DNS).
    expect(err.message).not.toContain('127.0.0.1');
    expect(sink.hits).toEqual([]);
  });

  it('refuses a name with any internal address among its answers (IPv4 or IPv6)', async () => {
    for (const answers of [['93.184.216.34', '127.0.0.1'], ['2606:4700::1', '::1'], ['::ffff:10.0.0.1']]) {
      const err = await rejection(
        publish(`http://mixed.example.com:${sink.port}/hook`, { allowPrivate: false, resolve: resolver({ 'mixed.example.com': answers }) }),
      );
      expect(err.code).toBe('destination_refused');
    }
    expect(sink.hits).toEqual([]);
  });

  it('resolves at connect time, so DNS rebinding between a check and the connection gets nowhere', async () => {
    // First answer public (what a check at save time would see), every later one internal.
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> =>
      ++calls === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    checkOutboundUrl(`http://rebind.example.com:${sink.port}/hook`, STRICT); // what "validate at save" does: no DNS at all
    await rebinding(); // the save-time lookup an attacker would have passed
    const err = await rejection(publish(`http://rebind.example.com:${sink.port}/hook`, { allowPrivate: false, resolve: rebinding }));
    expect(err.code).toBe('destination_refused');
    expect(sink.hits).toEqual([]);
  });

  it('does not follow a redirect from an allowed host to an internal one, and does not quote the answer', async () => {
    // The first hop is "public" for this test: its own address is trusted, the internal sink's is not.
    const redirector = await startSink('127.0.0.2', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${sink.port}/hook` });
      res.end(INTERNAL_BODY);
    });
    try {
      const outbound = { allowPrivate: false, trustedAddresses: ['127.0.0.2'], resolve: resolver({ 'redirector.example.com': ['127.0.0.2'] }) };
      const err = await rejection(publish(`http://redirector.example.com:${redirector.port}/hook`, outbound));
      expect(err).toMatchObject({ kind: 'permanent', status: 302 });
      expect(err.message).toMatch(/redirects \(302\); redirects are not followed/);
      expect(err.message).not.toContain(INTERNAL_BODY);
      expect(err.message).not.toContain(`127.0.0.1:${sink.port}`);
      expect(redirector.hits).toHaveLength(1);
      expect(sink.hits).toEqual([]);
    } finally {
      await redirector.close();
    }
  });

  it('never shows the body of an error answer, only its status', async () => {
    for (const status of [400, 401, 404, 422, 500]) {
      const talker = await startSink('127.0.0.2', (_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: INTERNAL_BODY, message: INTERNAL_BODY }));
      });
      try {
        const outbound = { allowPrivate: false, trustedAddresses: ['127.0.0.2'] };
        const err = await rejection(publish(`http://127.0.0.2:${talker.port}/hook`, outbound));
        expect(err.status).toBe(status);
        expect(err.message).toContain(String(status));
        expect(err.message).not.toContain('AKIA');
      } finally {
        await talker.close();
      }
    }
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://example.com:70/', 'https://user:pass@example.com/hook']) {
      expect((await rejection(publish(url))).code).toBe('destination_refused');
    }
  });
});

describe('Discord webhook URL: same guard', () => {
  const publisher = createDiscordPublisher({ apiBaseUrl: 'https://discord.invalid/api', timeoutMs: 2_000, outbound: STRICT });
  const toWebhook = (webhookUrl: string) => publisher.publish({ target: { kind: 'discord', webhookUrl }, text: 'hi', idempotencyKey: 'k', credentials: {} });

  it('refuses internal webhook URLs in every spelling, and metadata', async () => {
    for (const url of [...attackUrls(sink.port).map((u) => u.replace('/hook', '/api/webhooks/1/token')), 'http://169.254.169.254/api/webhooks/1/t']) {
      const err = await rejection(toWebhook(url));
      expect({ url, code: err.code }).toEqual({ url, code: 'destination_refused' });
    }
    expect(sink.hits).toEqual([]);
  });

  it('never quotes what a webhook URL answered', async () => {
    const talker = await startSink('127.0.0.2', (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: INTERNAL_BODY, code: 50035 }));
    });
    try {
      const p = createDiscordPublisher({ timeoutMs: 2_000, outbound: { allowPrivate: false, trustedAddresses: ['127.0.0.2'] } });
      const err = await rejection(
        p.publish({
          target: { kind: 'discord', webhookUrl: `http://127.0.0.2:${talker.port}/api/webhooks/1/t` },
          text: 'hi',
          idempotencyKey: 'k',
          credentials: {},
        }),
      );
      expect(err.status).toBe(400);
      expect(err.message).not.toContain('AKIA');
    } finally {
      await talker.close();
    }
  });
});

describe('notify URL: same guard, and a refused one never holds up the post', () => {
  // Notifications are signed with the post's account's own webhook secret, so the post must exist.
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase('ssrf-notify');
    await db.posts.insertOne({ _id: 'p1', accountId: 'person:ssrf' } as PostDoc);
  });
  afterAll(async () => {
    await db.db.dropDatabase().catch(() => undefined);
    await db.close();
  });
  const notify = (url: string, allowPrivate: boolean) =>
    notifyActivities({ db, config: testConfig({ ALLOW_PRIVATE_WEBHOOK_HOSTS: String(allowPrivate) }) } as ActivityDeps).notifyAuthor({
      postId: 'p1',
      channel: { kind: 'webhook', url },
      milestone: 'published',
      message: 'Published.',
    });

  it('(reaches the sink when private hosts are allowed)', async () => {
    await notify(`http://127.0.0.1:${sink.port}/n`, true);
    expect(sink.hits).toHaveLength(1);
  });

  it('sends nothing to internal addresses, and completes instead of retrying forever', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const url of [...attackUrls(sink.port), 'http://169.254.169.254/latest/meta-data/']) await expect(notify(url, false)).resolves.toBeUndefined();
      expect(sink.hits).toEqual([]);
      expect(warn.mock.calls.join('\n')).toContain('PostForge only calls public addresses');
    } finally {
      warn.mockRestore();
    }
  });

  it('does not follow a redirect', async () => {
    const redirector = await startSink('127.0.0.2', (_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${sink.port}/n` });
      res.end();
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // Private hosts allowed, so only "redirects are not followed" can keep the sink quiet.
      await notify(`http://127.0.0.2:${redirector.port}/n`, true);
      expect(redirector.hits).toHaveLength(1);
      expect(sink.hits).toEqual([]);
    } finally {
      warn.mockRestore();
      await redirector.close();
    }
  });
});

describe('safeFetch', () => {
  it('returns a redirect as an answer instead of following it', async () => {
    const redirector = await startSink('127.0.0.2', (_req, res) => {
      res.writeHead(301, { location: `http://127.0.0.1:${sink.port}/` });
      res.end();
    });
    try {
      const res = await safeFetch(`http://127.0.0.2:${redirector.port}/`, {}, { allowPrivate: true });
      expect(res.status).toBe(301);
      expect(sink.hits).toEqual([]);
    } finally {
      await redirector.close();
    }
  });
});

describe('saving a post: obviously internal URLs are a clear 400', () => {
  const config = testConfig({ ALLOW_PRIVATE_WEBHOOK_HOSTS: 'false' });
  const issuesFor = (body: Parameters<typeof checkCustomerUrls>[1]) => {
    try {
      checkCustomerUrls(config, body);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).status).toBe(400);
      return (err as UserError).issues;
    }
  };

  it.each([
    'http://127.0.0.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/hook',
    'http://192.168.1.1/hook',
    'http://localhost:8080/hook',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://mongodb:27017/', // a compose service name
    'http://printer.local/',
    'https://user:secret@hooks.example.com/x',
    'ftp://hooks.example.com/x',
  ])('refuses %s as a webhook target, a Discord webhook URL and a notifyUrl', (url) => {
    expect(issuesFor({ targets: [{ kind: 'webhook', url }] })).toEqual([{ path: 'targets[0].url', message: expect.stringMatching(/^this URL /) }]);
    expect(issuesFor({ targets: [{ kind: 'linkedin' }, { kind: 'discord', webhookUrl: url }] })).toEqual([
      { path: 'targets[1].webhookUrl', message: expect.any(String) },
    ]);
    expect(issuesFor({ targets: [{ kind: 'linkedin' }], notifyUrl: url })).toEqual([{ path: 'notifyUrl', message: expect.any(String) }]);
  });

  it('accepts public URLs, and private ones when the install allows them', () => {
    expect(issuesFor({ targets: [{ kind: 'webhook', url: 'https://hooks.example.com/x' }], notifyUrl: 'https://example.org/n' })).toEqual([]);
    expect(() => checkCustomerUrls(testConfig(), { targets: [{ kind: 'webhook', url: 'http://127.0.0.1:8080/hook' }] })).not.toThrow();
    // Metadata stays refused even then.
    expect(() => checkCustomerUrls(testConfig(), { targets: [{ kind: 'webhook', url: 'http://169.254.169.254/' }] })).toThrow(UserError);
  });

  it('explains the problem and the fix', () => {
    expect(() => checkOutboundUrl('http://127.0.0.1/', STRICT)).toThrow('points to a loopback address; PostForge only calls public addresses');
    expect(() => checkCustomerUrls(config, { targets: [{ kind: 'webhook', url: 'http://localhost/' }] })).toThrow(
      /targets\[0\]\.url: this URL .*Use a public http\(s\) URL/,
    );
  });
});
