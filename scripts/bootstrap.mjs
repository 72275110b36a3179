#!/usr/bin/env node
// What `npm start`, `npm test`, `npm run bench` and `npm run chaos` run first on any machine, fresh
// or not: install the npm dependencies when they are missing or stale, build the local servers when
// missing, then hand over. Plain Node with no dependencies, because node_modules may not exist yet.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools, toolEnv } from './tools.mjs';
import { ensureWebBuilt } from './build-web.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg) => process.stderr.write(`[postforge] ${msg}\n`);

function lockHash() {
  const lock = path.join(root, 'package-lock.json');
  return fs.existsSync(lock) ? createHash('sha256').update(fs.readFileSync(lock)).digest('hex') : 'no-lock';
}

function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.postforge-installed');
  const want = lockHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return;
  // Set by tests that run `npm start` inside a test run: reinstalling would pull node_modules out
  // from under the very run that started them.
  if (process.env.POSTFORGE_NO_INSTALL === '1') {
    log('npm dependencies are missing or stale, and POSTFORGE_NO_INSTALL=1 forbids installing them: run `npm ci` first.');
    process.exit(1);
  }
  const started = Date.now();
  // `npm ci`: exactly the lock file, never a rewrite of it, so every machine runs what CI ran.
  log('installing npm dependencies (npm ci, from package-lock.json)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    log('npm ci failed; see the messages above. If it says package.json and package-lock.json are out of sync,');
    log('run `npm install` once and commit package-lock.json. Otherwise: is the npm registry reachable?');
    process.exit(r.status ?? 1);
  }
  fs.writeFileSync(stamp, lockHash());
  log(`npm dependencies installed in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** Programs the tests call besides Node and the built tools, each with how to get it. */
function missingTestCommands() {
  const missing = [];
  // test/integration/ferretdbIndexes.test.ts reads SQLite's query plan with Python's sqlite3 module.
  if (spawnSync('python3', ['-c', 'import sqlite3'], { stdio: 'ignore' }).status !== 0) {
    missing.push('python3 with its sqlite3 module (Debian: apt-get install python3)');
  }
  const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  if (!chromium.some((p) => fs.existsSync(p))) {
    missing.push("Chromium for the extension's browser tests (Debian: apt-get install chromium), or set CHROMIUM_PATH");
  }
  return missing;
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    // A terminal's Ctrl-C reaches the whole group; a process manager signals only npm, which passes it
    // here (the scripts `exec`, so no shell sits in between): hand it on and wait for a clean stop.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
    // If whatever started us dies without a word (a shell that swallowed the signal, npm killed -9),
    // we are reparented: stop the stack rather than leave it running orphaned.
    const parent = process.ppid;
    const watchdog = setInterval(() => {
      if (process.ppid !== parent) child.kill('SIGTERM');
    }, 500);
    watchdog.unref();
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const [mode, ...rest] = process.argv.slice(2);
  if (!['start', 'test', 'bench', 'chaos'].includes(mode)) {
    process.stderr.write('usage: node scripts/bootstrap.mjs start|test|bench|chaos [args]\n');
    process.exit(2);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    log(`Node ${process.versions.node} is too old: PostForge needs Node 20 or newer.`);
    process.exit(1);
  }
  const t0 = Date.now();
  ensureNodeModules();
  const t1 = Date.now();
  let paths;
  try {
    paths = await ensureTools({ withTestServer: mode === 'test' });
  } catch (e) {
    log(e.toolsMessage ?? e.message);
    process.exit(1);
  }
  const t2 = Date.now();
  if (t2 - t0 > 5000) log(`bootstrap: npm ${Math.round((t1 - t0) / 1000)}s, tools ${Math.round((t2 - t1) / 1000)}s`);
  const env = { ...process.env, ...toolEnv(paths) };
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);

  if (mode === 'start' || mode === 'test') {
    // The API serves the dashboard from web/dist: (re)build it when missing or its sources changed.
    try {
      await ensureWebBuilt({ log });
    } catch (e) {
      log(`building the web dashboard failed: ${e.message}`);
      process.exit(1);
    }
  }
  if (mode === 'start') {
    process.exit(await run(bin('tsx'), ['scripts/dev-stack.ts', ...rest], env));
  }
  if (mode === 'bench' || mode === 'chaos') {
    // Run as `node --import tsx` so the entry is this very process: Ctrl-C and exit codes go
    // straight through, and the children it starts die with it.
    process.exit(await run(process.execPath, ['--import', 'tsx', `bench/${mode === 'bench' ? 'main' : 'chaosMain'}.ts`, ...rest], env));
  }
  const missing = missingTestCommands();
  if (missing.length) {
    log(`the tests need what this machine lacks:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    process.exit(1);
  }
  log('type-checking…');
  const tsc =
    (await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], env)) ||
    (await run(bin('tsc'), ['-p', 'extension/tsconfig.json', '--noEmit'], env)) ||
    (await run(bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit'], env));
  if (tsc !== 0) {
    log('type errors: fix them first (npm run typecheck)');
    process.exit(tsc);
  }
  log('linting…');
  const lint = await run(bin('eslint'), ['.'], env);
  if (lint !== 0) {
    log('lint errors: fix them first (npm run lint; eslint.config.mjs says why each rule is there)');
    process.exit(lint);
  }
  const format = await run(bin('prettier'), ['--check', '--log-level', 'warn', '.'], env);
  if (format !== 0) {
    log('files above are not formatted: npm run format (Prettier, .prettierrc.json) fixes them');
    process.exit(format);
  }
  const code = await run(bin('jest'), rest, { ...env, NODE_ENV: 'test' });
  process.exit(code);
}

main();
