// The services' own documented examples (fixtures/*.json, each citing where it comes from), replayed
// through the real HTTP routes with real signatures: Slack's signing secret, Discord's Ed25519 key,
// Stripe's webhook secret. Each test asserts that our parsing took the right fields out of the
// documented shape, so a drift between the docs and our code fails here.
import { createHmac, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { ensureAccount } from '../../core/accounts';
import { balanceOf } from '../../core/ledger';
import type { PostDoc } from '../../core/records';
import { createPost } from '../../services/posts';
import { modalProblem, startDiscordStandin, type DiscordStandin } from '../standins/discord';
import { startSlackStandin, type SlackStandin } from '../standins/slack';
import { signedHeaders } from '../helpers/stripeEvents';
import { eventually, expectLedgersConsistent, startStack, type Stack } from '../helpers/stack';
import slashDoc from './fixtures/slack-slash-command.json';
import blockActionsDoc from './fixtures/slack-block-actions.json';
import discordDoc from './fixtures/discord-interactions.json';
import completedDoc from './fixtures/stripe-checkout.session.completed.json';
import refundedDoc from './fixtures/stripe-charge.refunded.json';

const SLACK_SECRET = 'contract-slack-signing-secret';
const DISCORD_APP = '775799577604522054';

let stack: Stack;
let slack: SlackStandin;
let discord: DiscordStandin;
let discordKey: KeyObject;

beforeAll(async () => {
  const keys = generateKeyPairSync('ed25519');
  discordKey = keys.privateKey;
  slack = await startSlackStandin({ tokens: { 'xoxb-standin': { teamId: 'T0001' } } });
  discord = await startDiscordStandin({ applicationId: DISCORD_APP });
  stack = await startStack('contract', {
    config: {
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-standin',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_APP_ID: DISCORD_APP,
      DISCORD_PUBLIC_KEY: keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'),
      DISCORD_BOT_TOKEN: 'standin-token',
      DISCORD_API_URL: discord.apiUrl,
    },
  });
}, 120_000);

afterAll(async () => {
  if (stack) {
    await expectLedgersConsistent(stack.db);
    await stack.stop();
  }
  await slack?.close();
  await discord?.close();
});

/** A draft (through the real workflow and the Claude stand-in) in an account, by a member. */
async function draftOf(accountId: string, memberId: string, source: 'slack' | 'discord', topic: string): Promise<PostDoc> {
  await ensureAccount(stack.db, { _id: accountId, kind: source, name: accountId }, 5);
  const { postId } = await createPost(
    stack.ctx,
    { accountId, memberId, source },
    { topic, tone: 'professional', language: 'en', targets: [{ kind: 'linkedin' }], timeZone: 'UTC', requireApproval: true },
  );
  return eventually(
    async () => {
      const d = (await stack.db.posts.findOne({ _id: postId })) as PostDoc | null;
      return d?.status === 'draft' ? d : undefined;
    },
    { what: `the draft of ${topic}` },
  );
}

describe("Slack's documented payloads through /slack/events", () => {
  const postSigned = (body: string) => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${stack.apiUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
      body,
    });
  };
  const slash = (over: Record<string, string>) => new URLSearchParams({ ...slashDoc.form, command: '/postforge', ...over }).toString();

  it('the slash-command sample: command and text are read (the documented text "94070" is no subcommand of ours)', async () => {
    const res = await postSigned(slash({}));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('I don\'t know the subcommand "94070"');
  });

  it('the slash-command sample with `key`: team_id and user_id (with enterprise_id present) make the workspace account and the member', async () => {
    const res = await postSigned(slash({ text: 'key', response_url: slack.responseUrl('contract-key') }));
    expect(res.status).toBe(200);
    const answer = await eventually(async () => slack.responses.find((r) => r.id === 'contract-key')?.body as { text?: string } | undefined, {
      what: 'the key answer',
    });
    expect(String(answer.text)).toMatch(/API key for the PostForge browser extension/);
    const key = await stack.db.apiKeys.findOne({ accountId: 'slack:T0001' });
    expect(key).toMatchObject({ accountId: 'slack:T0001', memberId: 'slack:T0001:U2147483697', label: 'Slack Steve' });
  });

  it('the block_actions sample: team, user, action_id, value, channel and message ts are read, and the modal opens on its trigger_id', async () => {
    const doc = await draftOf('slack:T9TK3CUKW', 'slack:T9TK3CUKW:UA8RXUSPL', 'slack', 'Documented block actions');
    const payload = structuredClone(blockActionsDoc.payload);
    payload.actions[0]!.action_id = 'pf_edit';
    payload.actions[0]!.value = doc._id;
    payload.response_url = slack.responseUrl('contract-block-actions');
    slack.issueTrigger(payload.trigger_id);
    const res = await postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(res.status).toBe(200);
    const opened = await eventually(async () => slack.views.find((v) => v.via === 'views.open' && v.triggerId === payload.trigger_id), {
      what: 'views.open on the documented trigger_id',
    });
    const filled = await eventually(async () => slack.views.filter((v) => v.id === opened.id && v.via === 'views.update').at(-1), { what: 'the editor' });
    expect(filled.view.callback_id).toBe('pf_edit_modal');
    expect(JSON.parse(String(filled.view.private_metadata))).toMatchObject({ postId: doc._id, channel: 'CBR2V3XEX', ts: '1548261231.000200' });
  });
});

describe("Discord's documented interactions through /discord/interactions", () => {
  let n = 0;
  const send = async (interaction: Record<string, unknown>) => {
    const body = JSON.stringify({ ...interaction, id: String(786008729715212338n + BigInt(++n)) });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${stack.apiUrl}/discord/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': edSign(null, Buffer.from(ts + body), discordKey).toString('hex'),
        'x-signature-timestamp': ts,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as { type: number; data?: Record<string, unknown> } };
  };
  const envelope = (typeAndData: { type: number; data: unknown }) => ({ ...discordDoc.applicationCommand, ...typeAndData });
  const GUILD_ACCOUNT = `discord:${discordDoc.applicationCommand.guild_id}`;

  it('PING is answered with PONG', async () => {
    expect(await send(discordDoc.ping)).toEqual({ status: 200, body: { type: 1 } });
  });

  it('the slash-command example: the command name is read from data (cardsearch is none of ours), and renamed credits it reads the guild', async () => {
    const unknown = await send(discordDoc.applicationCommand);
    expect(unknown.status).toBe(200);
    expect(JSON.stringify(unknown.body)).toContain("I don't know /cardsearch");
    const credits = await send({ ...discordDoc.applicationCommand, data: { ...discordDoc.applicationCommand.data, name: 'credits', options: [] } });
    expect(credits.status).toBe(200);
    await eventually(async () => (await stack.db.accounts.findOne({ _id: GUILD_ACCOUNT })) ?? undefined, { what: 'the guild account' });
  });

  it('the button example: custom_id is read (a button not ours is answered as stale; ours opens a documented Label modal)', async () => {
    const stale = await send(envelope(discordDoc.messageComponent));
    expect(stale.status).toBe(200);
    expect(JSON.stringify(stale.body)).toMatch(/no longer|stale|expired|old/i);
    const doc = await draftOf(GUILD_ACCOUNT, `${GUILD_ACCOUNT}:${discordDoc.applicationCommand.member.user.id}`, 'discord', 'Documented button');
    const ours = await send(envelope({ type: 3, data: { ...discordDoc.messageComponent.data, custom_id: `pf:post:edit:${doc._id}` } }));
    expect(ours.body.type).toBe(9);
    expect(ours.body.data?.custom_id).toBe(`pf:post:editm:${doc._id}`);
    expect(modalProblem(ours.body.data)).toBeUndefined();
  });

  it('the modal-submit example (Label wrapping a Text Input): custom_id and the input value are read and saved', async () => {
    const doc = await draftOf(GUILD_ACCOUNT, `${GUILD_ACCOUNT}:${discordDoc.applicationCommand.member.user.id}`, 'discord', 'Documented modal');
    const submitted = structuredClone(discordDoc.modalSubmit);
    submitted.data.custom_id = `pf:post:editm:${doc._id}`;
    submitted.data.components[0]!.component.custom_id = 'content';
    const res = await send(envelope(submitted));
    expect(res.status).toBe(200);
    const value = discordDoc.modalSubmit.data.components[0]!.component.value;
    await eventually(async () => (await stack.db.posts.findOne({ _id: doc._id }))?.content === value, { what: 'the documented value saved as the text' });
    // The example has no application_id: the message with the button is still edited in place, on our application's webhook.
    const edit = await eventually(
      async () =>
        discord.originalEdits.find((e) => e.token === discordDoc.applicationCommand.token && JSON.stringify(e.body).includes('shadows still need help')),
      { what: 'the edited post message' },
    );
    expect(edit).toBeDefined();
    expect(discord.requests.some((r) => r.path.includes('/webhooks/undefined/'))).toBe(false);
  });
});

describe("Stripe's event fixtures through /webhooks/stripe", () => {
  it('checkout.session.completed, then charge.refunded: the session id, client_reference_id, metadata and payment_intent of the documented objects grant the pack and claw it back', async () => {
    const { auth, accountId } = await stack.newAccount('contract-buyer');
    const res = await fetch(`${stack.apiUrl}/v1/checkout`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ pack: 'starter' }),
    });
    expect(res.status).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    const purchase = await stack.db.purchases.findOne({ _id: sessionId });
    const event = structuredClone(completedDoc.event) as { type: string; data: { object: Record<string, unknown> } };
    Object.assign(event.data.object, {
      id: sessionId,
      client_reference_id: accountId,
      metadata: { accountId, memberId: purchase?.memberId ?? accountId, packId: 'starter', credits: '10' },
      // What this pack costs: the grant checks that the session paid exactly that (#12 item 4).
      amount_total: purchase?.amount,
      currency: purchase?.currency,
      payment_status: 'paid',
      status: 'complete',
    });
    const before = await balanceOf(stack.db, accountId);
    const payload = JSON.stringify(event);
    const delivered = await fetch(`${stack.apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: signedHeaders(payload, stack.config.STRIPE_WEBHOOK_SECRET),
      body: payload,
    });
    expect(delivered.status).toBe(200);
    expect(((await delivered.json()) as { result: string }).result).toBe('recorded'); // handed to its workflow right after the answer (services/stripeRelay.ts)
    await eventually(async () => (await stack.db.purchases.findOne({ _id: sessionId }))?.status === 'granted', { what: 'the grant' });
    expect(await balanceOf(stack.db, accountId)).toBe(before + 10);

    // charge.refunded: the documented charge names the payment by payment_intent, which the
    // documented session carried; a full refund claws the pack back.
    const refund = structuredClone(refundedDoc.event) as { id: string; type: string; data: { object: Record<string, unknown> } };
    // Both fixtures share stripe-mock's one event envelope, so this one gets an id of its own.
    refund.id = `${refund.id}_refund`;
    const amount = (await stack.db.purchases.findOne({ _id: sessionId }))?.amount ?? 0;
    Object.assign(refund.data.object, { payment_intent: completedDoc.event.data.object.payment_intent, amount, amount_refunded: amount, refunded: true });
    const refundPayload = JSON.stringify(refund);
    const refunded = await fetch(`${stack.apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: signedHeaders(refundPayload, stack.config.STRIPE_WEBHOOK_SECRET),
      body: refundPayload,
    });
    expect(refunded.status).toBe(200);
    await eventually(async () => (await stack.db.purchases.findOne({ _id: sessionId }))?.status === 'refunded', { what: 'the refund' });
    expect(await balanceOf(stack.db, accountId)).toBe(before);
  });
});
