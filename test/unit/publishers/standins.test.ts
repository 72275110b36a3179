// The stand-ins' behaviour that the publishers do not reach but the OAuth flow and the bots will.
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { WebClient } from '@slack/web-api';
import { startDiscordStandin } from '../../standins/discord';
import { startLinkedInStandin } from '../../standins/linkedin';
import { startSlackStandin } from '../../standins/slack';

const json = async (res: Response): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

describe('LinkedIn stand-in: userinfo and token exchange', () => {
  it('exchanges a code once for a token that userinfo and posts accept', async () => {
    const li = await startLinkedInStandin({ validTokens: {}, oauth: { clientId: 'cid', clientSecret: 'cs' }, profiles: { m1: { name: 'Ada L' } } });
    try {
      li.issueAuthCode('code-1', 'm1');
      const form = (code: string, secret = 'cs') =>
        new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://x/cb', client_id: 'cid', client_secret: secret });
      const bad = await fetch(`${li.url}/oauth/v2/accessToken`, { method: 'POST', body: form('code-1', 'wrong') });
      expect(bad.status).toBe(401);

      const ok = await json(await fetch(`${li.url}/oauth/v2/accessToken`, { method: 'POST', body: form('code-1') }));
      expect(ok).toMatchObject({ expires_in: 5184000, scope: expect.stringContaining('w_member_social') });
      const again = await fetch(`${li.url}/oauth/v2/accessToken`, { method: 'POST', body: form('code-1') });
      expect(again.status).toBe(400);

      const me = await json(await fetch(`${li.url}/v2/userinfo`, { headers: { Authorization: `Bearer ${String(ok.access_token)}` } }));
      expect(me).toMatchObject({ sub: 'm1', name: 'Ada L' });
      const anon = await fetch(`${li.url}/v2/userinfo`, { headers: { Authorization: 'Bearer nope' } });
      expect(await json(anon)).toEqual({ status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
    } finally {
      await li.close();
    }
  });

  it('cuts a post at the first unescaped reserved character, as LinkedIn does', async () => {
    const li = await startLinkedInStandin({ validTokens: { t: 'm1' }, version: '202510' });
    try {
      const res = await fetch(`${li.url}/rest/posts`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'LinkedIn-Version': '202510', 'X-Restli-Protocol-Version': '2.0.0', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          author: 'urn:li:person:m1',
          commentary: 'Results (final) are in',
          visibility: 'PUBLIC',
          distribution: { feedDistribution: 'MAIN_FEED' },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        }),
      });
      expect(res.status).toBe(201);
      expect(li.posts[0]).toMatchObject({ rendered: 'Results ', truncated: true });
    } finally {
      await li.close();
    }
  });
});

describe('Slack stand-in', () => {
  it('takes form and JSON bodies, parses blocks sent as a JSON string, and answers unknown methods', async () => {
    const slack = await startSlackStandin({ tokens: ['xoxb-1'], channels: [{ id: 'C1', name: 'general' }], users: [{ id: 'U1', tz: 'Europe/Zurich' }] });
    try {
      const client = new WebClient('xoxb-1', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
      const auth = await client.auth.test();
      expect(auth).toMatchObject({ ok: true, user_id: 'U0BOTUSER' });
      const posted = await client.chat.postMessage({ channel: '#general', text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] });
      expect(slack.messages[0]!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }]);
      await client.chat.update({ channel: 'C1', ts: String(posted.ts), text: 'edited' });
      expect(slack.messages[0]).toMatchObject({ text: 'edited', edits: 1 });
      expect((await client.users.info({ user: 'U1' })).user?.tz).toBe('Europe/Zurich');

      // As Slack would have put it in an interaction just sent (views.open refuses trigger ids it never issued).
      slack.issueTrigger('t1');
      const viaJson = await json(
        await fetch(`${slack.apiUrl}views.open`, {
          method: 'POST',
          headers: { Authorization: 'Bearer xoxb-1', 'Content-Type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ trigger_id: 't1', view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } }),
        }),
      );
      expect(viaJson).toMatchObject({ ok: true, view: { type: 'modal' } });
      expect(slack.views[0]).toMatchObject({ via: 'views.open', triggerId: 't1' });

      const unknown = await json(await fetch(`${slack.apiUrl}chat.fly`, { method: 'POST', headers: { Authorization: 'Bearer xoxb-1' } }));
      expect(unknown).toMatchObject({ ok: false, error: 'unknown_method' });
      const noAuth = await json(await fetch(`${slack.apiUrl}auth.test`, { method: 'POST' }));
      expect(noAuth).toMatchObject({ ok: false, error: 'not_authed' });

      await fetch(slack.responseUrl('r1'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"done"}' });
      expect(slack.responses).toEqual([{ id: 'r1', body: { text: 'done' } }]);
      expect(slack.calls.map((c) => c.method)).toEqual(['auth.test', 'chat.postMessage', 'chat.update', 'users.info', 'views.open', 'chat.fly', 'auth.test']);
    } finally {
      await slack.close();
    }
  });
});

describe('Discord stand-in', () => {
  it('serves an unmodified @discordjs/rest client: gateway, commands, callbacks, @original edits', async () => {
    const discord = await startDiscordStandin({ botTokens: ['tkn'], gatewayUrl: 'ws://127.0.0.1:4567' });
    try {
      const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken('tkn');
      expect(await rest.get(Routes.gatewayBot())).toMatchObject({ url: 'ws://127.0.0.1:4567', shards: 1 });

      const saved = (await rest.put(Routes.applicationGuildCommands(discord.applicationId, '55'), {
        body: [{ name: 'post', description: 'Post', type: 1 }],
      })) as Array<{ id: string; name: string }>;
      expect(saved[0]).toMatchObject({ name: 'post', guild_id: '55' });
      expect(discord.commands.get('55')).toHaveLength(1);

      await rest.post(Routes.interactionCallback('777', 'itok'), { body: { type: 5 }, auth: false });
      expect(discord.interactionCallbacks).toEqual([{ id: '777', token: 'itok', body: { type: 5 } }]);

      await rest.patch(Routes.webhookMessage(discord.applicationId, 'itok'), { body: { content: 'done' }, auth: false });
      const raw = await fetch(`${discord.apiUrl}/v10/webhooks/${discord.applicationId}/itok/messages/%40original`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: '{"content":"again"}',
      });
      expect(raw.status).toBe(200);
      expect(discord.originalEdits.map((e) => e.body.content)).toEqual(['done', 'again']);

      const followup = await json(
        await fetch(`${discord.apiUrl}/v10/webhooks/${discord.applicationId}/itok`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"content":"more"}',
        }),
      );
      expect(followup).toMatchObject({ content: 'more' });
    } finally {
      await discord.close();
    }
  });

  it('answers 429 in Discord shape with rate-limit headers', async () => {
    const discord = await startDiscordStandin({ channels: [{ id: '1', guildId: '2' }] });
    try {
      discord.failNext('createMessage', { status: 429, retryAfter: 2.5, global: true });
      const res = await fetch(`${discord.apiUrl}/v10/channels/1/messages`, { method: 'POST', headers: { Authorization: 'Bot standin-token' } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.headers.get('x-ratelimit-global')).toBe('true');
      expect(res.headers.get('x-ratelimit-reset-after')).toBe('2.5');
      expect(await json(res)).toMatchObject({ retry_after: 2.5, global: true });
    } finally {
      await discord.close();
    }
  });
});
