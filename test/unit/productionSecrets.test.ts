// Production refuses the secrets whose development defaults are public: a forged Stripe event signed
// with the default secret must never be accepted by a production process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import express from 'express';
import Stripe from 'stripe';
import { stripeWebhookRouter } from '../../api/routes/stripeWebhook';
import { ConfigError, parseConfig, type Config } from '../../core/config';
import { encryptionKeyProblem, PUBLIC_DEV_SECRETS } from '../../core/productionSecrets';
import type { PurchaseContext } from '../../services/purchases';
import { startServer } from '../standins/http';
import { sessionObject, signedHeaders, stripeEvent } from '../helpers/stripeEvents';

const root = path.join(__dirname, '../..');

/** What an operator who followed the README sets; each test spoils one value. */
const good = {
  NODE_ENV: 'production',
  STRIPE_SECRET_KEY: `sk_live_${randomBytes(24).toString('hex')}`,
  STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return '';
}

describe('production secrets', () => {
  it('starts with the operator’s own secrets', () => {
    expect(parseConfig(good).NODE_ENV).toBe('production');
  });

  it.each(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ENCRYPTION_KEY'] as const)(
    'refuses %s missing, empty (as docker-compose passes it) or the public default, naming it and how to make one',
    (name) => {
      const missing: Record<string, string> = { ...good };
      delete missing[name];
      for (const env of [missing, { ...good, [name]: '' }, { ...good, [name]: PUBLIC_DEV_SECRETS[name] }]) {
        const msg = problemsOf(env);
        expect(msg).toContain(`${name}: is unset or the public development default`);
        expect(msg).toMatch(
          name === 'STRIPE_WEBHOOK_SECRET'
            ? /Stripe Dashboard → Developers → Webhooks/
            : name === 'STRIPE_SECRET_KEY'
              ? /Stripe Dashboard → Developers → API keys/
              : /openssl rand -base64 32/,
        );
        // Exactly the one bad variable is named.
        expect(msg.match(/^ {2}- /gm)).toHaveLength(1);
      }
    },
  );

  it('names every bad secret at once', () => {
    const msg = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ENCRYPTION_KEY']) expect(msg).toContain(`${name}:`);
  });

  it('keeps development and tests working with the defaults', () => {
    expect(parseConfig({}).STRIPE_WEBHOOK_SECRET).toBe(PUBLIC_DEV_SECRETS.STRIPE_WEBHOOK_SECRET);
    expect(parseConfig({ NODE_ENV: 'test' }).ENCRYPTION_KEY).toBe(PUBLIC_DEV_SECRETS.ENCRYPTION_KEY);
    expect(parseConfig({ NODE_ENV: 'development', ENCRYPTION_KEY: 'my laptop passphrase' }).ENCRYPTION_KEY).toBe('my laptop passphrase');
  });

  it('wants ENCRYPTION_KEY as 32 random bytes in base64, not a passphrase or another length', () => {
    const passphrase = 'correct horse battery staple, stapled twice';
    for (const bad of [
      passphrase,
      randomBytes(16).toString('base64'),
      randomBytes(48).toString('base64'),
      randomBytes(32).toString('hex'),
      Buffer.from('a'.repeat(32)).toString('base64'), // 32 bytes, but typed text
    ]) {
      expect(encryptionKeyProblem(bad)).toBeDefined();
      expect(problemsOf({ ...good, ENCRYPTION_KEY: bad })).toMatch(/ENCRYPTION_KEY: .*openssl rand -base64 32/);
    }
    // The secret itself never appears in the message.
    expect(problemsOf({ ...good, ENCRYPTION_KEY: passphrase })).not.toContain(passphrase);
    expect(encryptionKeyProblem(randomBytes(32).toString('base64'))).toBeUndefined();
    expect(encryptionKeyProblem(randomBytes(32).toString('base64').replace(/=$/, ''))).toBeUndefined();
  });

  it('never echoes a secret’s value in the message, in any environment', () => {
    expect(problemsOf({ ENCRYPTION_KEY: 'short-secret' })).toMatch(/ENCRYPTION_KEY: at least 16 characters/);
    expect(problemsOf({ ENCRYPTION_KEY: 'short-secret' })).not.toContain('short-secret');
    expect(problemsOf({ SLACK_STATE_SECRET: 'tiny' })).not.toContain('tiny');
    expect(problemsOf({ API_PORT: 'abc' })).toContain('(got "abc")');
  });

  it('wants real Stripe keys and a long webhook secret', () => {
    expect(problemsOf({ ...good, STRIPE_SECRET_KEY: 'pk_live_abcdefghijkl' })).toMatch(/STRIPE_SECRET_KEY: must be a Stripe secret key/);
    expect(problemsOf({ ...good, STRIPE_WEBHOOK_SECRET: 'hunter2' })).toMatch(/STRIPE_WEBHOOK_SECRET: must be a Stripe endpoint signing secret/);
  });

  it('refuses a short Slack OAuth state secret, and needs none while Slack OAuth is off', () => {
    expect(problemsOf({ ...good, SLACK_STATE_SECRET: 'slack' })).toMatch(/SLACK_STATE_SECRET: signs Slack's OAuth install state/);
    expect(problemsOf({ ...good, SLACK_STATE_SECRET: randomBytes(32).toString('base64') })).toBe('');
  });
});

describe('a forged checkout.session.completed, signed with the public default secret', () => {
  const forged = stripeEvent(
    'checkout.session.completed',
    sessionObject('cs_test_forged', { client_reference_id: 'acct_attacker', metadata: { accountId: 'acct_attacker', packId: 'pro' } }),
  );
  const forgedHeaders = signedHeaders(forged, PUBLIC_DEV_SECRETS.STRIPE_WEBHOOK_SECRET);

  /** The real route with a context whose database and Temporal fail loudly if the event gets past the signature. */
  async function postTo(c: Config): Promise<{ status: number; body: string; reachedPurchases: boolean }> {
    let reachedPurchases = false;
    const touched = new Proxy(
      {},
      {
        get: () => {
          reachedPurchases = true;
          throw new Error('the event reached the purchase service');
        },
      },
    );
    const ctx = { config: c, stripe: new Stripe('sk_test_123'), db: touched, temporal: touched } as unknown as PurchaseContext;
    const app = express();
    app.use(stripeWebhookRouter(ctx));
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).end());
    const server = await startServer(app);
    try {
      const res = await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers: forgedHeaders, body: forged });
      return { status: res.status, body: await res.text(), reachedPurchases };
    } finally {
      await server.close();
    }
  }

  it('cannot reach a production process: the config that would accept it does not start', () => {
    // docker-compose used to pass STRIPE_WEBHOOK_SECRET="" and so fall back to the public default.
    expect(() => parseConfig({ ...good, STRIPE_WEBHOOK_SECRET: '' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it('is refused (400) by the webhook route under a production config', async () => {
    const answer = await postTo(parseConfig(good));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('Bad signature');
    expect(answer.reachedPurchases).toBe(false);
  });

  it('(and would be accepted with the default, which is why production refuses it)', async () => {
    const answer = await postTo(parseConfig({}));
    expect(answer.reachedPurchases).toBe(true);
  });
});

describe('a production process with an empty secret', () => {
  // The real entry points, as docker-compose starts them: each must stop before connecting anywhere.
  it.each(['api/main.ts', 'apps/worker.ts', 'bots/slack/main.ts', 'bots/discord/main.ts'])(
    '%s exits non-zero naming the variable',
    async (entry) => {
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...good,
        STRIPE_WEBHOOK_SECRET: '',
        // If the secret check were missing, the process would wait for these instead of exiting.
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        MONGODB_URI: 'mongodb://127.0.0.1:1/postforge',
        EMBEDDED_SERVICES: '',
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-test',
        DISCORD_APP_ID: '123456789012345678',
        DISCORD_BOT_TOKEN: 'test-token',
      };
      const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      clearTimeout(timer);
      expect({ code, output }).toEqual({ code: 1, output: expect.stringContaining('STRIPE_WEBHOOK_SECRET: is unset or the public development default') });
      expect(output).toContain('Stripe Dashboard → Developers → Webhooks');
    },
    30_000,
  );
});
