#!/usr/bin/env node
// Builds the web dashboard (web/src → web/dist) with esbuild, only when its sources changed since the
// last build (a hash of them is kept in web/dist/.build-hash). `npm start`, `npm test` and the browser
// tests call it; `--force` rebuilds anyway. Plain Node + esbuild: nothing else is needed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const stampFile = path.join(dist, '.build-hash');

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Everything the bundle depends on: our sources and the installed versions of its libraries. */
function sourceHash() {
  const h = createHash('sha256');
  const inputs = [...files(path.join(web, 'src')), path.join(web, 'index.html'), path.join(web, 'package.json'), path.join(root, 'package-lock.json')].sort();
  for (const f of inputs) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f));
  return h.digest('hex');
}

export async function ensureWebBuilt({ force = false, log = (m) => process.stderr.write(`[web] ${m}\n`) } = {}) {
  const want = sourceHash();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === want) return { built: false };
  const started = Date.now();
  const esbuild = await import('esbuild');
  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(web, 'src/main.tsx') },
    bundle: true,
    outdir: dist,
    // Content-hashed names: index.html (never cached) points at them, so they can be cached for good.
    entryNames: '[name]-[hash]',
    metafile: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.svg': 'file' },
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
  const js = outputs.find((f) => /^app-\w+\.js$/.test(f));
  const css = outputs.find((f) => /^app-\w+\.css$/.test(f));
  if (!js || !css) throw new Error(`esbuild wrote no app bundle (outputs: ${outputs.join(', ')})`);
  const html = fs.readFileSync(path.join(web, 'index.html'), 'utf8').replace('/app/app.js', `/app/${js}`).replace('/app/app.css', `/app/${css}`);
  fs.writeFileSync(path.join(dist, 'index.html'), html);
  fs.writeFileSync(stampFile, want);
  const ms = Date.now() - started;
  log(`dashboard built in ${(ms / 1000).toFixed(1)}s → web/dist`);
  return { built: true, ms };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuilt({ force: process.argv.includes('--force') }).catch((err) => {
    process.stderr.write(`[web] build failed: ${err?.message ?? err}\n`);
    process.exit(1);
  });
}
