// The whole PostForge on free ports in its own temporary directory, for one bench or chaos run:
// Temporal dev server, FerretDB, stripe-mock (children we can kill and restart on the same port
// and files), the real worker and API as separate Node processes (configured only through the
// environment, as in production), and the local stand-ins for every destination. Nothing here
// touches ./data or the ports `npm start` uses.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ensureAccount } from '../core/accounts';
import { parseConfig } from '../core/config';
import { createWebhookSecret } from '../core/webhookSecrets';
import { issueApiKey } from '../core/apiKeys';
import { encryptionKey, seal } from '../core/crypto';
import { connectDatabase, type Database } from '../core/db';
import { freePort, type Service } from '../core/process';
import { startFerretDB, startStripeMock, startTemporalDevServer } from '../scripts/embedded';

/** BENCH_TEMPORAL_SYNCHRONOUS=NORMAL|FULL: the dev server's SQLite synchronous pragma, to compare (unset: the server's default). */
function temporalSynchronous(): { synchronous?: 'FULL' | 'NORMAL' } {
  const v = process.env.BENCH_TEMPORAL_SYNCHRONOUS?.toUpperCase();
  return v === 'NORMAL' || v === 'FULL' ? { synchronous: v } : {};
}
import { startDiscordStandin, type DiscordStandin } from '../test/standins/discord';
import { startLinkedInStandin, type LinkedInStandin } from '../test/standins/linkedin';
import { startSlackStandin, type SlackStandin } from '../test/standins/slack';
import { startWebhookSink, type WebhookSink } from '../test/standins/webhookSink';
import { readyLine } from '../core/log';
import { linkedInConnectionId } from '../core/connectionIds';
import { appendToLedger } from '../core/ledger';
import { reapOnExit, startNodeChild, type NodeChild } from './child';
import { workerLaunchEnv } from '../worker/launchEnv';
import { tools } from './tools';

export const SLACK_SIGNING_SECRET = 'bench-slack-signing-secret';
// The processes run with NODE_ENV=production, which refuses public development defaults and weak
// secrets (core/productionSecrets.ts); these pass its checks and are public, so bench-only.
export const STRIPE_WEBHOOK_SECRET = 'whsec_bench_local_secret_not_for_production';
/** stripe-mock accepts any sk_test_ key. */
export const STRIPE_SECRET_KEY = 'sk_test_bench_not_for_production';
export const WEBHOOK_SECRET = 'bench-webhook-signing-secret-not-for-production';
export const ENCRYPTION_KEY = '86+UEya+dIZ2MbErF41DFcdN3YrvvzpALzhezD31ccc=';
export const SLACK_BOT_TOKEN = 'xoxb-bench';
export const DISCORD_BOT_TOKEN = 'standin-token';
export const LINKEDIN_TOKEN = 'li-bench-token';
export const LINKEDIN_SUB = 'benchmember';
/** Channels the bot is in, and one it is not (a permanent failure). */
export const SLACK_CHANNELS = { ok: 'C0BENCH01', notMember: 'C0OUTSIDE' };
export const DISCORD_CHANNELS = { ok: '200000000000000001', noAccess: '200000000000000002' };
/** The workspace SLACK_BOT_TOKEN is installed in, and the server the Discord channels are in: the accounts that may post there. */
export const SLACK_ACCOUNT = 'slack:T0STANDIN';
export const DISCORD_GUILD = '400000000000000001';
export const DISCORD_ACCOUNT = `discord:${DISCORD_GUILD}`;
export const DISCORD_WEBHOOK = { id: '300000000000000001', token: 'bench-hook-token', channelId: DISCORD_CHANNELS.ok };
/** The bench's Discord application: interactions signed with this Ed25519 key reach /discord/interactions (bench-only, public). */
export const DISCORD_APP_ID = '100000000000000001';
export const DISCORD_SIGNING_KEY = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 7)]),
  format: 'der',
  type: 'pkcs8',
});
const DISCORD_PUBLIC_KEY = createPublicKey(DISCORD_SIGNING_KEY).export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');

export interface StackOptions {
  label: string;
  /** Extra environment for the worker and API processes (config variables only). */
  env?: Record<string, string>;
  api?: boolean;
  /** Where child processes' lines go besides their kept output (chaos prints worker errors). */
  onWorkerLine?: (line: string) => void;
}

export interface BenchAccount {
  accountId: string;
  memberId: string;
  key: string;
  auth: Record<string, string>;
}

export interface BenchStack {
  dir: string;
  db: Database;
  temporal: Client;
  taskQueue: string;
  apiUrl: string;
  temporalAddress: string;
  mongoUri: string;
  sink: WebhookSink;
  slack: SlackStandin;
  discord: DiscordStandin;
  linkedin: LinkedInStandin;
  /** The worker process now running (replaced by each restart). */
  worker(): NodeChild;
  startWorker(): Promise<NodeChild>;
  killWorker(): Promise<void>;
  restartTemporal(): Promise<void>;
  temporalPid(): number | undefined;
  /** The stack's processes now running, by name (for CPU accounting). */
  pids(): Record<'temporal' | 'ferretdb' | 'worker' | 'api', number | undefined>;
  restartFerretDB(): Promise<void>;
  /** An account with `credits` and an API key; with LinkedIn connected for its member when asked. */
  /** A person's account, or with `accountId` a workspace's (`slack:<team>`) or server's (`discord:<guild>`): targets must be the account's own. */
  newAccount(id: string, opts?: { credits?: number; linkedin?: boolean; accountId?: string }): Promise<BenchAccount>;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** The environment a child gets: ours minus anything that would reach the real world. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(ANTHROPIC|SLACK|DISCORD|LINKEDIN|STRIPE|TEMPORAL|MONGODB|API|PUBLIC|EMBEDDED|DATA_DIR|FREE_CREDITS|RATE_LIMIT|WEBHOOK|ENCRYPTION|PUBLISH)_?/.test(k))
      continue;
    env[k] = v;
  }
  return env;
}

export async function startBenchStack(opts: StackOptions): Promise<BenchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `postforge-${opts.label}-`));
  const services: Service[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let temporalSvc: Service | undefined;
  let ferretSvc: Service | undefined;
  const started = <S extends Service>(svc: S): S => {
    reapOnExit(svc.child);
    return svc;
  };
  try {
    const [temporalPort, ferretPort, stripePort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const temporalDb = path.join(dir, 'temporal.db');
    const ferretDir = path.join(dir, 'ferretdb');
    temporalSvc = started(await startTemporalDevServer(tools.temporal(), { port: temporalPort, dbFile: temporalDb, ...temporalSynchronous() }));
    ferretSvc = started(await startFerretDB(tools.ferretdb(), { port: ferretPort, dataDir: ferretDir }));
    const stripeSvc = started(await startStripeMock(tools.stripeMock(), { port: stripePort }));
    services.push(stripeSvc);

    // Every account signs its deliveries with its own secret; the sink trusts each account made here,
    // and the BullMQ baseline's one secret (WEBHOOK_SIGNING_SECRET): without it none of its
    // deliveries verified, and its throughput run waited forever at 0 arrived.
    // Posts target their account's own endpoint (sink.hookUrlFor), so the sink verifies each with one
    // HMAC: trying every account's secret cost it ~1 ms a delivery at 600 accounts, and it measured
    // itself (a 5,000-post burst drained at ~300/s).
    const webhookSecrets: string[] = [WEBHOOK_SECRET];
    const secretOf = new Map<string, string>();
    const sink = await startWebhookSink({ secret: (account) => (account ? [secretOf.get(account) ?? ''] : webhookSecrets) });
    const slack = await startSlackStandin({
      tokens: [SLACK_BOT_TOKEN],
      channels: [
        { id: SLACK_CHANNELS.ok, name: 'bench' },
        { id: SLACK_CHANNELS.notMember, name: 'outside', isMember: false },
      ],
    });
    const discord = await startDiscordStandin({
      botTokens: [DISCORD_BOT_TOKEN],
      channels: [
        { id: DISCORD_CHANNELS.ok, guildId: DISCORD_GUILD, name: 'bench' },
        { id: DISCORD_CHANNELS.noAccess, guildId: DISCORD_GUILD, name: 'locked', access: 'no_access' },
      ],
      webhooks: [{ ...DISCORD_WEBHOOK, guildId: DISCORD_GUILD }],
    });
    const linkedin = await startLinkedInStandin({ validTokens: { [LINKEDIN_TOKEN]: LINKEDIN_SUB } });
    for (const s of [sink, slack, discord, linkedin]) cleanups.push(() => s.close());

    const mongoUri = `mongodb://127.0.0.1:${ferretPort}/postforge?directConnection=true`;
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const taskQueue = 'postforge-bench';
    const env: NodeJS.ProcessEnv = {
      ...baseEnv(),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      MONGODB_URI: mongoUri,
      STRIPE_API_URL: stripeSvc.url,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      // The load comes from one address and a few keys; the limits would measure themselves.
      RATE_LIMIT_PER_KEY: '10000000',
      RATE_LIMIT_PER_IP: '10000000',
      WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
      // Arming is compared against the plain path with BENCH_PUBLISH_ARM_LEAD=0s (PUBLISH_* is not passed through).
      ...(process.env.BENCH_PUBLISH_ARM_LEAD ? { PUBLISH_ARM_LEAD: process.env.BENCH_PUBLISH_ARM_LEAD } : {}),
      ...(process.env.BENCH_PUBLISH_COMPLETION_RATE ? { PUBLISH_COMPLETION_RATE: process.env.BENCH_PUBLISH_COMPLETION_RATE } : {}),
      // The webhook sink and the Discord stand-in listen on 127.0.0.1.
      ALLOW_PRIVATE_WEBHOOK_HOSTS: 'true',
      ENCRYPTION_KEY,
      SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_BOT_TOKEN,
      DISCORD_APP_ID,
      DISCORD_PUBLIC_KEY,
      LINKEDIN_API_URL: linkedin.url,
      PUBLISH_TIMEOUT: '10s',
      FREE_CREDITS: '0',
      ...opts.env,
    };

    const db = await connectDatabase(mongoUri, { appName: 'bench' });
    cleanups.push(() => db.close());
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection });

    let worker: NodeChild | undefined;
    const startWorker = async () => {
      // Info: the worker's one line per burst of armed sends (when it armed and claimed) reaches onWorkerLine.
      // The worker starts as every launcher starts it (worker/launchEnv.ts). Other settings are compared on
      // the worker alone: BENCH_WORKER_NODE_OPTIONS adds node flags (e.g. --max-semi-space-size=8), and
      // BENCH_WORKER_ENV_<NAME> sets <NAME> (e.g. BENCH_WORKER_ENV_LD_PRELOAD=" " for glibc's malloc).
      const only = Object.entries(process.env).flatMap(([k, v]) => (k.startsWith('BENCH_WORKER_ENV_') ? [[k.slice(17), v]] : []));
      const launch = workerLaunchEnv({ ...env, LOG_LEVEL: 'info', ...Object.fromEntries(only) });
      const extra = process.env.BENCH_WORKER_NODE_OPTIONS;
      const workerEnv = extra ? { ...launch, NODE_OPTIONS: `${launch.NODE_OPTIONS ?? ''} ${extra}`.trim() } : launch;
      const w = startNodeChild('worker', 'apps/worker.ts', workerEnv, opts.onWorkerLine);
      worker = w;
      await w.waitForLine(readyLine('worker'), 180_000);
      return w;
    };
    cleanups.push(async () => worker?.stop());
    await startWorker();

    let api: NodeChild | undefined;
    if (opts.api !== false) {
      api = startNodeChild('api', 'api/main.ts', env);
      cleanups.push(async () => api?.stop());
      await api.waitForLine(readyLine('api'), 120_000);
    }

    return {
      dir,
      db,
      temporal,
      taskQueue,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      temporalAddress,
      mongoUri,
      sink,
      slack,
      discord,
      linkedin,
      env,
      worker: () => {
        if (!worker) throw new Error('no worker');
        return worker;
      },
      startWorker,
      async killWorker() {
        await worker?.kill9();
      },
      temporalPid: () => temporalSvc?.child.pid,
      pids: () => ({ temporal: temporalSvc?.child.pid, ferretdb: ferretSvc?.child.pid, worker: worker?.pid, api: api?.pid }),
      async restartTemporal() {
        // A crash, not a shutdown: the SQLite file (WAL) is all that carries over.
        await temporalSvc?.stop('SIGKILL');
        temporalSvc = started(await startTemporalDevServer(tools.temporal(), { port: temporalPort, dbFile: temporalDb, ...temporalSynchronous() }));
      },
      async restartFerretDB() {
        await ferretSvc?.stop('SIGKILL');
        ferretSvc = started(await startFerretDB(tools.ferretdb(), { port: ferretPort, dataDir: ferretDir }));
      },
      async newAccount(id, o = {}) {
        const accountId = o.accountId ?? `person:${id}`;
        await ensureAccount(db, { _id: accountId, kind: accountId.split(':')[0] as 'person' | 'slack' | 'discord', name: id }, 0);
        const secret = await createWebhookSecret(db, parseConfig({ ENCRYPTION_KEY }), accountId);
        if (secret.created) {
          webhookSecrets.push(secret.secret);
          secretOf.set(accountId, secret.secret);
        }
        if (o.credits) {
          await appendToLedger(db, accountId, `bench-grant:${accountId}`, { amount: o.credits, kind: 'grant', reason: 'bench credits' });
        }
        const memberId = `member-${id}`;
        const { key } = await issueApiKey(db, { accountId, memberId, label: 'bench' });
        if (o.linkedin) {
          await db.connections.insertOne({
            _id: linkedInConnectionId(accountId, memberId),
            provider: 'linkedin',
            accountId,
            memberId,
            externalUrn: `urn:li:person:${LINKEDIN_SUB}`,
            token: seal(LINKEDIN_TOKEN, encryptionKey(ENCRYPTION_KEY)),
            expiresAt: new Date(Date.now() + 50 * 86_400_000),
            updatedAt: new Date(),
          });
        }
        return { accountId, memberId, key, auth: { authorization: `Bearer ${key}` } };
      },
      async stop() {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
        await Promise.all([temporalSvc?.stop(), ferretSvc?.stop(), ...services.map((s) => s.stop())]);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await Promise.all([temporalSvc?.stop(), ferretSvc?.stop(), ...services.map((s) => s.stop())]);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
