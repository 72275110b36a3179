// What the extension's browser tests need around them: the production build of the extension and
// Debian's Chromium with it loaded headless (the LinkedIn-shaped pages are in ./linkedinFixture).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const root = path.resolve(__dirname, '../..');
/** The production build: the same manifest (and https://www.linkedin.com/* match) a store user gets. */
export const EXTENSION_BUILD = path.join(root, 'extension/build/chrome-mv3-prod');
export const SCREENSHOTS = path.join(root, 'test-output/screenshots');

/** Always rebuilt, so a test never runs yesterday's extension; it takes seconds. */
export function buildExtension(): { ms: number } {
  const started = Date.now();
  const r = spawnSync('npx', ['plasmo', 'build'], {
    cwd: path.join(root, 'extension'),
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0 || !fs.existsSync(path.join(EXTENSION_BUILD, 'manifest.json'))) {
    throw new Error(`The extension's build failed (npx plasmo build in extension/):\n${r.stdout}\n${r.stderr}`);
  }
  const ms = Date.now() - started;
  process.stderr.write(`[browser] extension build in ${(ms / 1000).toFixed(1)}s\n`);
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
