// `npm start`: the whole stack on one machine. Embedded Temporal, FerretDB and stripe-mock (unless
// EMBEDDED_SERVICES says otherwise), then the worker and the API, each started only once what it
// needs answers. Ctrl-C stops everything in reverse order; data stays in DATA_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { config, ConfigError, frontEnds, type Config } from '../core/config';
import { portAnswers, startService, waitUntilReady, type Service } from '../core/process';
import { startFerretDB, startStripeMock, startTemporalDevServer } from './embedded';
import { busyPorts, portPlan } from './ports';
import { readyLine } from '../core/log';
import { stopWhenOrphaned } from './orphan';
import { workerLaunchEnv } from '../worker/launchEnv';

const HELP = `Usage: npm start [-- --help]

Starts PostForge locally: Temporal dev server (with its Web UI), FerretDB, stripe-mock,
the worker and the API. Configure with environment variables (see .env.example); data is
kept in DATA_DIR (default ./data) and survives restarts. Ctrl-C stops everything.
`;

const say = (msg: string) => process.stdout.write(`${msg}\n`);

function tool(envVar: string): string {
  const p = process.env[envVar];
  if (!p) throw new Error(`${envVar} is unset: run through \`npm start\`, which builds the tools first.`);
  return p;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    say(HELP);
    return;
  }
  let c: Config;
  try {
    c = config();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const dataDir = path.resolve(c.DATA_DIR);
  fs.mkdirSync(dataDir, { recursive: true });
  const services: Service[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    for (const s of [...services].reverse()) await s.stop();
    say('stopped. Data is kept in ' + dataDir);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));
  stopWhenOrphaned(() => void stopAll(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  const embedded = new Set(c.EMBEDDED_SERVICES);
  const step = async <T extends Service>(label: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    process.stdout.write(`starting ${label}… `);
    try {
      const svc = await fn();
      services.push(svc);
      say(`ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      return svc;
    } catch (err) {
      say('failed');
      console.error((err as Error).message);
      await stopAll(1);
      throw err;
    }
  };

  const temporalPort = Number(c.TEMPORAL_ADDRESS.split(':').at(-1)) || 7233;
  // Every port is checked before anything starts, so a busy one never leaves half a stack running.
  const busy = await busyPorts(portPlan(c, temporalPort));
  if (busy.length) {
    console.error(
      `Cannot start: ${busy.length === 1 ? 'a port is' : 'ports are'} already in use.\n${busy
        .map((b) => `  - ${b.port} (${b.what}) is taken: stop what is using it, or set ${b.variable} to another port.`)
        .join('\n')}\nIs another PostForge or Temporal running?`,
    );
    process.exit(2);
  }
  let temporalUi: string | undefined;
  if (embedded.has('temporal')) {
    const t = await step('Temporal dev server', () =>
      startTemporalDevServer(tool('TEMPORAL_CLI_PATH'), {
        port: temporalPort,
        uiPort: c.TEMPORAL_UI_PORT,
        dbFile: path.join(dataDir, 'temporal.db'),
        namespace: c.TEMPORAL_NAMESPACE,
      }),
    );
    temporalUi = t.uiUrl;
  }
  if (embedded.has('ferretdb')) {
    await step('FerretDB', () => startFerretDB(tool('FERRETDB_PATH'), { port: c.FERRETDB_PORT, dataDir: path.join(dataDir, 'ferretdb') }));
  }
  if (embedded.has('stripe-mock')) {
    const s = await step('stripe-mock', () => startStripeMock(tool('STRIPE_MOCK_PATH'), { port: c.STRIPE_MOCK_PORT }));
    if (!env.STRIPE_API_URL) env.STRIPE_API_URL = s.url;
  }

  const tsx = path.resolve('node_modules/.bin/tsx');
  const child = (name: string, entry: string, readyAt: RegExp, childEnv = env) =>
    step(name, async () => {
      let ready = false;
      const svc = startService(name, tsx, [entry], {
        env: childEnv,
        onLine: (line) => {
          if (readyAt.test(line)) ready = true;
          else if (ready) say(line);
        },
      });
      await waitUntilReady(svc, async () => ready, 180_000);
      // A crash after start should not go unnoticed: say so and bring the rest down.
      svc.child.once('exit', (code) => {
        if (!stopping) {
          console.error(`${name} exited (code ${code}):\n${svc.output()}`);
          void stopAll(1);
        }
      });
      return svc;
    });
  // The worker's allocator settings must be in its environment when it starts (worker/launchEnv.ts).
  await child('worker', 'apps/worker.ts', readyLine('worker'), workerLaunchEnv(env));
  await child('API', 'api/main.ts', readyLine('api'));
  // Front ends that connect out (no public URL) run as processes of their own; the HTTP ones are in the API.
  if (c.DISCORD_APP_ID && c.DISCORD_BOT_TOKEN && c.DISCORD_TRANSPORT === 'gateway') await child('Discord', 'bots/discord/main.ts', readyLine('discord'));
  if (c.SLACK_SOCKET_MODE && c.SLACK_APP_TOKEN) await child('Slack', 'bots/slack/main.ts', readyLine('slack'));

  const apiUrl = `http://${c.API_HOST}:${c.API_PORT}`;
  const fe = frontEnds(c);
  say('');
  say('  PostForge is running');
  say('  ───────────────────');
  say(`  API            ${apiUrl}   (health: ${apiUrl}/healthz)`);
  if (temporalUi) say(`  Temporal UI    ${temporalUi}`);
  say(`  Temporal       ${c.TEMPORAL_ADDRESS} (namespace ${c.TEMPORAL_NAMESPACE}, queue ${c.TEMPORAL_TASK_QUEUE})`);
  say(`  MongoDB        ${embedded.has('ferretdb') ? `FerretDB on 127.0.0.1:${c.FERRETDB_PORT}` : c.MONGODB_URI.replace(/\/\/[^@]*@/, '//***@')}`);
  if (embedded.has('stripe-mock')) say(`  Stripe         stripe-mock on ${env.STRIPE_API_URL}`);
  say(`  Data           ${dataDir}`);
  for (const f of fe) say(`  ${f.name.padEnd(14)} ${f.on ? 'on' : ''}${f.on ? ' — ' : ''}${f.why}`);
  say('');
  say('  API key:  npm run api-key -- create --account person:you --name "You"');
  say('  Ctrl-C stops everything.');
  say('');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
