#!/usr/bin/env node
// Builds the servers PostForge runs locally: none of them ships in npm or Debian, and their usual
// auto-downloads fail offline. Plain Node with no dependencies, because it runs before `npm install`.
//
//   node scripts/tools.mjs            build what is missing, print the paths
//   node scripts/tools.mjs --check    say what is missing, build nothing (exit 1 if anything is)
//   node scripts/tools.mjs --json     print {name: path} as JSON (after building what is missing)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as testServer from './tools/temporalTestServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = process.env.POSTFORGE_TOOLS_DIR ?? path.join(root, '.tools');
const cacheRoot = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'postforge', 'tools');

const ferretSrc = path.join(root, 'tools', 'ferretdb');

/** Each Go tool: where its source comes from, and the version that names its cache entry. */
const goTools = [
  {
    name: 'temporal',
    why: 'the Temporal CLI, whose `server start-dev` is the local Temporal server and Web UI',
    version: 'v1.5.1',
    minGo: [1, 25],
    expect: 'about 4 minutes on 2 cores',
    args: (gobin) => ['install', 'github.com/temporalio/cli/cmd/temporal@v1.5.1'],
    cwd: () => os.tmpdir(),
    env: (gobin) => ({ GOBIN: gobin }),
  },
  {
    name: 'ferretdb',
    why: 'FerretDB v1.24 on SQLite, the embedded MongoDB-compatible database',
    // Our wrapper's source is part of the version, so editing it rebuilds the binary.
    version: `v1.24.2-${hashFiles(['main.go', 'go.mod', 'go.sum'].map((f) => path.join(ferretSrc, f)))}`,
    minGo: [1, 24],
    expect: 'about 2 minutes on 2 cores',
    args: (gobin) => ['build', '-o', path.join(gobin, 'ferretdb'), '.'],
    cwd: () => ferretSrc,
    env: () => ({}),
  },
  {
    name: 'stripe-mock',
    why: "stripe-mock, Stripe's official API stand-in",
    version: 'v0.197.0',
    minGo: [1, 21],
    expect: 'under a minute',
    args: () => ['install', 'github.com/stripe/stripe-mock@v0.197.0'],
    cwd: () => os.tmpdir(),
    env: (gobin) => ({ GOBIN: gobin }),
  },
];

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(fs.existsSync(f) ? fs.readFileSync(f) : '');
  return h.digest('hex').slice(0, 10);
}

const log = (msg) => process.stderr.write(`[tools] ${msg}\n`);

function fail(msg) {
  const err = new Error(msg);
  err.toolsMessage = msg;
  throw err;
}

function goVersion() {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const m = /go(\d+)\.(\d+)/.exec(r.stdout);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function binPath(name) {
  return path.join(toolsDir, 'bin', name);
}
function stampPath(name) {
  return path.join(toolsDir, 'bin', `${name}.version`);
}
function isCurrent(tool) {
  try {
    return fs.readFileSync(stampPath(tool.name), 'utf8').trim() === tool.version && fs.existsSync(binPath(tool.name));
  } catch {
    return false;
  }
}

function install(tool, from) {
  fs.mkdirSync(path.join(toolsDir, 'bin'), { recursive: true });
  const tmp = `${binPath(tool.name)}.tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, binPath(tool.name));
  fs.writeFileSync(stampPath(tool.name), `${tool.version}\n`);
}

/** Runs a long command, printing a heartbeat so a slow first build never looks hung. */
function runWithProgress(label, cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const logFile = path.join(toolsDir, 'logs', `${label}.log`);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const out = fs.createWriteStream(logFile);
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastLine = '';
    const take = (chunk) => {
      out.write(chunk);
      const lines = chunk.toString().trim().split('\n');
      lastLine = lines[lines.length - 1] ?? lastLine;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const beat = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      log(`  … still building ${label} (${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s)${lastLine ? `: ${lastLine.slice(0, 100)}` : ''}`);
    }, 15_000);
    child.on('error', (e) => {
      clearInterval(beat);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(beat);
      out.end();
      if (code === 0) resolve(Math.round((Date.now() - started) / 1000));
      else {
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
        reject(new Error(`building ${label} failed (exit ${code}); full log: ${logFile}\n${tail}`));
      }
    });
  });
}

async function ensureGoTool(tool) {
  if (isCurrent(tool)) return binPath(tool.name);
  const cached = path.join(cacheRoot, `${tool.name}@${tool.version}`, tool.name);
  if (fs.existsSync(cached)) {
    log(`${tool.name} ${tool.version}: copying from the cache (${cached})`);
    install(tool, cached);
    return binPath(tool.name);
  }
  const go = goVersion();
  if (!go) {
    fail(
      `Cannot build ${tool.name}: no Go toolchain found on PATH.\n` +
        `PostForge builds ${tool.why} from its Go module. Install Go ≥ ${tool.minGo.join('.')} ` +
        `(https://go.dev/doc/install, or 'apt-get install golang' if your distribution's is new enough) and run again.`,
    );
  }
  const tooOld = go[0] < tool.minGo[0] || (go[0] === tool.minGo[0] && go[1] < tool.minGo[1]);
  // Go ≥ 1.21 can fetch a newer toolchain itself from the Go module proxy; older ones cannot.
  const toolchain = tooOld && go[0] === 1 && go[1] >= 21 ? { GOTOOLCHAIN: `go${tool.minGo.join('.')}.0` } : {};
  if (tooOld && !toolchain.GOTOOLCHAIN) {
    fail(`Cannot build ${tool.name}: it needs Go ≥ ${tool.minGo.join('.')}, this machine has go${go.join('.')}. Upgrade Go and run again.`);
  }
  if (toolchain.GOTOOLCHAIN) log(`go${go.join('.')} is older than ${tool.name} needs; using ${toolchain.GOTOOLCHAIN} from the Go module proxy`);
  log(`building ${tool.name} ${tool.version}: ${tool.why}. First time only; ${tool.expect}.`);
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), `postforge-${tool.name}-`));
  const secs = await runWithProgress(tool.name, 'go', tool.args(gobin), {
    cwd: tool.cwd(),
    env: { ...process.env, CGO_ENABLED: '0', ...toolchain, ...tool.env(gobin) },
  });
  const built = path.join(gobin, tool.name);
  if (!fs.existsSync(built)) fail(`building ${tool.name} finished but produced no binary at ${built}`);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.copyFileSync(built, cached);
  fs.chmodSync(cached, 0o755);
  install(tool, built);
  fs.rmSync(gobin, { recursive: true, force: true });
  log(`built ${tool.name} ${tool.version} in ${secs}s (cached in ${path.dirname(cached)})`);
  return binPath(tool.name);
}

async function ensureTestServer() {
  const outDir = path.join(toolsDir, 'temporal-test-server');
  if (await testServer.isBuilt(outDir)) return path.join(outDir, 'temporal-test-server');
  return testServer.build({ outDir, log: (m) => log(`temporal-test-server: ${m}`) });
}

/**
 * Builds whatever is missing and answers the paths of every tool. The time-skipping test server (Java
 * and Maven) is built only for the tests: `npm start` runs on Node and Go alone.
 */
export async function ensureTools({ withTestServer = true } = {}) {
  const paths = {};
  for (const tool of goTools) paths[tool.name] = await ensureGoTool(tool);
  if (withTestServer) paths['temporal-test-server'] = await ensureTestServer();
  return paths;
}

/** Environment variables through which scripts and tests find the tools. */
export function toolEnv(paths) {
  const env = {
    TEMPORAL_CLI_PATH: paths.temporal,
    FERRETDB_PATH: paths.ferretdb,
    STRIPE_MOCK_PATH: paths['stripe-mock'],
    TEMPORAL_TEST_SERVER_PATH: paths['temporal-test-server'],
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'Usage: node scripts/tools.mjs [--check] [--json]\n\n' +
        `Builds into ${toolsDir} (and caches in ${cacheRoot}) the local servers PostForge needs:\n` +
        goTools.map((t) => `  ${t.name.padEnd(22)} ${t.version.padEnd(20)} ${t.why}`).join('\n') +
        `\n  ${'temporal-test-server'.padEnd(22)} ${testServer.version.padEnd(20)} Temporal's time-skipping test server (Java, from Maven Central)\n\n` +
        '  --check   only report what is missing (exit 1 if anything is)\n' +
        '  --json    print the paths as JSON\n',
    );
    return;
  }
  if (args.includes('--check')) {
    const missing = goTools.filter((t) => !isCurrent(t)).map((t) => `${t.name} ${t.version}`);
    if (!(await testServer.isBuilt(path.join(toolsDir, 'temporal-test-server')))) missing.push(`temporal-test-server ${testServer.version}`);
    process.stdout.write(missing.length ? `missing: ${missing.join(', ')}\n` : 'all tools built\n');
    process.exitCode = missing.length ? 1 : 0;
    return;
  }
  const paths = await ensureTools();
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(paths)}\n`);
  else for (const [name, p] of Object.entries(paths)) process.stdout.write(`${name.padEnd(22)} ${p}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    process.stderr.write(`\n[tools] ${e.toolsMessage ?? e.message}\n`);
    process.exit(1);
  });
}
