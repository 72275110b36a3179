// `npm start`'s stack as a user runs it: real processes on free ports, a banner whose URLs answer,
// Ctrl-C that stops everything, and data that is still there after a restart.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portAnswers, startService, waitUntilReady, type Service } from '../../core/process';
import { toolPaths } from '../helpers/tools';
import { workerLaunchEnv } from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
let stack: Service | undefined;
afterAll(async () => stack?.stop('SIGINT'));

async function startStack(env: NodeJS.ProcessEnv): Promise<{ svc: Service; lines: string[] }> {
  const lines: string[] = [];
  const svc = startService('npm start', tsx, ['scripts/dev-stack.ts'], { cwd: root, env, onLine: (l) => lines.push(l) });
  await waitUntilReady(svc, async () => lines.some((l) => l.includes('Ctrl-C stops everything')), 150_000);
  return { svc, lines };
}

/** The descendant of `pid` (or `pid` itself) whose command line ends with `entry`, or 0. */
function processUnder(pid: number, entry: string): number {
  if (
    fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((a) => a.endsWith(entry))
  )
    return pid;
  const children = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  for (const child of children) {
    const found = processUnder(Number(child), entry);
    if (found) return found;
  }
  return 0;
}

function environOf(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/**
 * A free port below Linux's ephemeral range (32768+). A port from `freePort()` is released before the
 * stack binds it, and the Temporal dev server binds ephemeral ports of its own (metrics) meanwhile:
 * once, the API's port went to one of them and the health check reached a gRPC server.
 */
async function freeFixedPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port) || (await portAnswers(port))) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

async function stackEnv() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-devstack-'));
  const taken = new Set<number>();
  const [tPort, uiPort, fPort, sPort, aPort] = [
    await freeFixedPort(taken),
    await freeFixedPort(taken),
    await freeFixedPort(taken),
    await freeFixedPort(taken),
    await freeFixedPort(taken),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
    FERRETDB_PORT: String(fPort),
    MONGODB_URI: `mongodb://127.0.0.1:${fPort}/postforge?directConnection=true`,
    STRIPE_MOCK_PORT: String(sPort),
    STRIPE_API_URL: '',
    API_PORT: String(aPort),
    TEMPORAL_CLI_PATH: toolPaths.temporal(),
    FERRETDB_PATH: toolPaths.ferretdb(),
    STRIPE_MOCK_PATH: toolPaths.stripeMock(),
    SLACK_SIGNING_SECRET: '',
    DISCORD_PUBLIC_KEY: '',
    ANTHROPIC_API_KEY: '',
  };
  return { env, dataDir, ports: { tPort, uiPort, fPort, sPort, aPort } };
}

it('starts everything, prints working URLs, stops on Ctrl-C and keeps its data', async () => {
  const { env, dataDir, ports } = await stackEnv();
  const { uiPort, aPort } = ports;
  let { svc, lines } = await startStack(env);
  stack = svc;
  const banner = lines.join('\n');
  expect(banner).toContain(`API            http://127.0.0.1:${aPort}`);
  expect(banner).toContain(`Temporal UI    http://127.0.0.1:${uiPort}`);
  expect(banner).toMatch(/Slack\s+off — set SLACK_SIGNING_SECRET/);
  expect(banner).toMatch(/Claude\s+offline generator — set ANTHROPIC_API_KEY/);
  expect(banner).toMatch(/Stripe\s+stripe-mock on http:\/\/127\.0\.0\.1:\d+/);
  expect((await fetch(`http://127.0.0.1:${aPort}/healthz`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
  // The worker got its launch settings (worker/launchEnv.ts): they must be there when it starts.
  const workerEnv = environOf(processUnder(svc.child.pid!, 'apps/worker.ts'));
  expect(workerEnv).toEqual(expect.arrayContaining(Object.entries(workerLaunchEnv({})).map(([k, v]) => `${k}=${v}`)));

  const made = spawnSync(tsx, ['scripts/api-key.ts', 'create', '--account', 'person:restart'], { cwd: root, env, encoding: 'utf8' });
  const key = /(pf_[\w-]{20,})/.exec(made.stdout)?.[1];
  expect(key).toBeDefined();
  const me = async () => (await fetch(`http://127.0.0.1:${aPort}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).json();
  expect(await me()).toMatchObject({ credits: 10 });
  // Checkout goes to the embedded stripe-mock, not to the real Stripe.
  const checkout = await fetch(`http://127.0.0.1:${aPort}/v1/checkout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{"pack":"starter"}',
  });
  expect(checkout.status).toBe(201);

  await svc.stop('SIGINT');
  expect(svc.child.exitCode).toBe(0);
  expect(lines.join('\n')).toContain(`stopped. Data is kept in ${dataDir}`);

  ({ svc, lines } = await startStack(env));
  stack = svc;
  expect(await me()).toMatchObject({ account: { id: 'person:restart' }, credits: 10 });
}, 300_000);

// A process manager (systemd, a container runtime, pm2) signals npm's own PID, not the terminal's group.
it('`npm start` stops everything when npm itself gets SIGTERM', async () => {
  const { env, ports } = await stackEnv();
  const npm = spawn('npm', ['start'], { cwd: root, env: { ...env, POSTFORGE_NO_INSTALL: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout.on('data', (b: Buffer) => (out += b.toString()));
  npm.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 150_000;
  while (!out.includes('Ctrl-C stops everything') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(out).toContain('PostForge is running');
  expect(await portAnswers(ports.aPort)).toBe(true);

  npm.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(out).toContain('stopped. Data is kept in');
  const stillListening = await Promise.all(Object.values(ports).map((p) => portAnswers(p)));
  expect(stillListening).toEqual(Object.values(ports).map(() => false));
}, 200_000);

it('names a busy port and the variable that moves it, before starting anything', async () => {
  const { env, ports } = await stackEnv();
  const squatter = net.createServer().listen(ports.aPort, '127.0.0.1');
  await new Promise((r) => squatter.once('listening', r));
  try {
    const r = spawnSync(tsx, ['scripts/dev-stack.ts'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${ports.aPort} (PostForge API) is taken: stop what is using it, or set API_PORT to another port.`);
    // Nothing was started and left behind.
    expect(await portAnswers(ports.tPort)).toBe(false);
    expect(await portAnswers(ports.fPort)).toBe(false);
  } finally {
    squatter.close();
  }
}, 90_000);
