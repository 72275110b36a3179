// Serves the LinkedIn-shaped fixture (./fixtures/linkedin) AT https://www.linkedin.com by request
// interception, so the extension's real `https://www.linkedin.com/*` content-script match runs
// against it: no DNS, no certificate, no test-only build.
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { BrowserContext } from 'playwright-core';

export type Variant = 'new' | 'classic' | 'legacy' | 'drifted';
/** LinkedIn's three share boxes; 'drifted' (renamed hooks) is only for the selector-table test. */
export const VARIANTS: Variant[] = ['new', 'classic', 'legacy'];
export const LINKEDIN = 'https://www.linkedin.com';

const dir = path.join(__dirname, 'fixtures/linkedin');

/** main.ts with the real Quill and TipTap from node_modules, as one script. */
function bundle(): string {
  const out = buildSync({
    entryPoints: [path.join(dir, 'main.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    loader: { '.css': 'text' },
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export interface FakeLinkedIn {
  variant: Variant;
  /** Pages served to LinkedIn's origin so far (the OAuth pages included). */
  served: string[];
}

export async function serveLinkedIn(context: BrowserContext, initial: Variant = 'new'): Promise<FakeLinkedIn> {
  const script = bundle();
  const page = fs.readFileSync(path.join(dir, 'page.html'), 'utf8');
  const site: FakeLinkedIn = { variant: initial, served: [] };
  await context.route(`${LINKEDIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    site.served.push(url.pathname + url.search);
    if (url.pathname === '/__fixture/linkedin.js') {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: script });
    }
    if (/^\/(feed|sharing\/compose|mynetwork|jobs)(\/|$)/.test(url.pathname)) {
      const variant = `<script>window.__FIXTURE_VARIANT = ${JSON.stringify(site.variant)};</script>`;
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page.replace('<!--VARIANT-->', variant) });
    }
    return route.fulfill({ status: 404, contentType: 'text/html', body: '<h1>Not here</h1>' });
  });
  return site;
}
