// What the extension's browser tests need around them: the test build of the extension, a local
// page shaped like LinkedIn, and Debian's Chromium with the unpacked extension loaded headless.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const root = path.resolve(__dirname, '../..');
export const EXTENSION_BUILD = path.join(root, 'extension/build/chrome-mv3-test');
export const SCREENSHOTS = path.join(root, 'test-output/screenshots');

/** Always rebuilt, so a test never runs yesterday's extension; it takes seconds. */
export function buildTestExtension(): { ms: number } {
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'build:test', '-w', 'extension'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0 || !fs.existsSync(path.join(EXTENSION_BUILD, 'manifest.json'))) {
    throw new Error(`The extension's test build failed (npm run build:test -w extension):\n${r.stdout}\n${r.stderr}`);
  }
  const ms = Date.now() - started;
  process.stderr.write(`[browser] extension test build in ${(ms / 1000).toFixed(1)}s\n`);
  return { ms };
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium is not installed (looked in ${candidates.join(', ')}). The extension's browser tests need it: ` +
        '`apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return found;
}

export interface FakeLinkedIn {
  origin: string;
  feedUrl: string;
  close(): Promise<void>;
}

/** The LinkedIn-shaped feed at /feed/; every other path is a 404 page (the OAuth tab lands there). */
export async function serveFakeLinkedIn(): Promise<FakeLinkedIn> {
  const html = fs.readFileSync(path.join(__dirname, 'fixtures/linkedin-feed.html'));
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/feed')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    feedUrl: `${origin}/feed/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoadedExtension {
  context: BrowserContext;
  extensionId: string;
  profileDir: string;
  close(): Promise<void>;
}

export async function launchWithExtension(opts: { timezoneId: string }): Promise<LoadedExtension> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postforge-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    timezoneId: opts.timezoneId,
    viewport: { width: 1200, height: 900 },
    args: [
      `--disable-extensions-except=${EXTENSION_BUILD}`,
      `--load-extension=${EXTENSION_BUILD}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    profileDir,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
