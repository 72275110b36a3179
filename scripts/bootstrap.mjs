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
  const started = Date.now();
  // `npm install`, not `npm ci`: the npm 11 here writes lock files without other platforms'
  // optional packages (@swc/core-darwin-*, …) and then its own `npm ci` refuses them.
  log('installing npm dependencies (npm install, from package-lock.json)…');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    log('npm install failed; see the messages above. Is the npm registry reachable?');
    process.exit(r.status ?? 1);
  }
  // The install may have normalised the lock file: stamp what is there now.
  fs.writeFileSync(stamp, lockHash());
  log(`npm dependencies installed in ${Math.round((Date.now() - started) / 1000)}s`);
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    // Ctrl-C reaches the child through the terminal's process group; we just wait for it.
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
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
    paths = await ensureTools();
  } catch (e) {
    log(e.toolsMessage ?? e.message);
    process.exit(1);
  }
  const t2 = Date.now();
  if (t2 - t0 > 5000) log(`bootstrap: npm ${Math.round((t1 - t0) / 1000)}s, tools ${Math.round((t2 - t1) / 1000)}s`);
  const env = { ...process.env, ...toolEnv(paths) };
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);

  if (mode === 'start') {
    process.exit(await run(bin('tsx'), ['scripts/dev-stack.ts', ...rest], env));
  }
  if (mode === 'bench' || mode === 'chaos') {
    // Run as `node --import tsx` so the entry is this very process: Ctrl-C and exit codes go
    // straight through, and the children it starts die with it.
    process.exit(await run(process.execPath, ['--import', 'tsx', `bench/${mode === 'bench' ? 'main' : 'chaosMain'}.ts`, ...rest], env));
  }
  log('type-checking…');
  const tsc =
    (await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], env)) ||
    (await run(bin('tsc'), ['-p', 'extension/tsconfig.json', '--noEmit'], env));
  if (tsc !== 0) {
    log('type errors: fix them first (npm run typecheck)');
    process.exit(tsc);
  }
  const code = await run(bin('jest'), rest, { ...env, NODE_ENV: 'test' });
  process.exit(code);
}

main();
