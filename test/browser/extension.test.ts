// The browser extension in Debian's Chromium, against the real stack (Temporal dev server,
// FerretDB, worker, API): options, the composer panel inside a LinkedIn-shaped page, the popup.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { OFFLINE_MARK } from '../../worker/generation';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { buildTestExtension, chromiumPath, launchWithExtension, SCREENSHOTS, serveFakeLinkedIn, type FakeLinkedIn, type LoadedExtension } from './harness';

jest.setTimeout(120_000);

const ZONE = 'Europe/Berlin';

let stack: Stack;
let site: FakeLinkedIn;
let ext: LoadedExtension;
let account: { key: string; auth: Record<string, string>; accountId: string };
let feed: Page;
let postId: string;

const api = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${stack.apiUrl}${p}`, { ...init, headers: { ...account.auth, 'content-type': 'application/json', ...init.headers } });
  return (await res.json()) as T;
};
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const extPage = (file: string) => `chrome-extension://${ext.extensionId}/${file}`;

async function saveSettings(page: Page, apiUrl: string, key: string) {
  await page.getByTestId('pf-api-url').fill(apiUrl);
  await page.getByTestId('pf-api-key').fill(key);
  await page.getByTestId('pf-save').click();
}

beforeAll(async () => {
  chromiumPath(); // fails with install instructions before anything slow starts
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  buildTestExtension();
  site = await serveFakeLinkedIn();
  stack = await startStack('extension', {
    // The Connect button's tab lands on the local page instead of linkedin.com.
    config: { LINKEDIN_CLIENT_ID: 'test-client', LINKEDIN_CLIENT_SECRET: 'test-secret', LINKEDIN_OAUTH_URL: site.origin },
  });
  account = await stack.newAccount('extension-user');
  ext = await launchWithExtension({ timezoneId: ZONE });
}, 240_000);

afterAll(async () => {
  await ext?.close();
  await site?.close();
  await stack?.stop();
});

describe('options page', () => {
  test('rejects a wrong key and an unreachable server in plain words, then saves a working key', async () => {
    const page = await ext.context.newPage();
    await page.goto(extPage('options.html'));

    await saveSettings(page, stack.apiUrl, 'pf_not-a-real-key');
    await expectText(page.getByTestId('pf-options-error'), /API key was not accepted.*wrong or has been revoked/);
    await shot(page, 'options-wrong-key');

    await saveSettings(page, 'http://127.0.0.1:9', account.key);
    await expectText(page.getByTestId('pf-options-error'), /Can't reach PostForge at http:\/\/127\.0\.0\.1:9/);

    await saveSettings(page, stack.apiUrl, account.key);
    await expectText(page.getByTestId('pf-saved'), /Connected as extension-user — 10 credits left/);
    await page.close();
  });
});

describe('composer panel in a LinkedIn-shaped page', () => {
  beforeAll(async () => {
    feed = await ext.context.newPage();
    await feed.goto(site.feedUrl);
  });

  test('"Write with PostForge" appears next to the editor, and again after the composer re-renders', async () => {
    await feed.getByText('Start a post').click();
    await feed.getByTestId('pf-open').waitFor();
    // The button sits in the dialog, right after the editor's container.
    expect(await feed.locator('[role=dialog] .share-creation-state__editor plasmo-csui').count()).toBe(1);

    await feed.getByText('Dismiss').click();
    await feed.getByTestId('pf-open').waitFor({ state: 'detached' });
    await feed.getByText('Start a post').click();
    await feed.getByTestId('pf-open').waitFor();
    expect(await feed.getByTestId('pf-open').count()).toBe(1);
  });

  test('the panel streams a draft from the API and shows the credits left', async () => {
    await feed.getByTestId('pf-open').click();
    await expectText(feed.getByTestId('pf-credits'), /10 credits left/);
    await feed.getByTestId('pf-topic').fill('Why we moved our scheduler to Temporal');
    await feed.getByTestId('pf-tone').selectOption('friendly');
    await feed.getByTestId('pf-instructions').fill('end with a question');
    await feed.getByTestId('pf-generate').click();

    await feed.getByTestId('pf-insert').waitFor();
    const draft = await feed.getByTestId('pf-draft').innerText();
    expect(draft).toContain(OFFLINE_MARK);
    expect(draft).toContain('Why we moved our scheduler to Temporal');
    expect(draft).toMatch(/#scheduler/);
    await expectText(feed.getByTestId('pf-credits'), /9 credits left/);
    expect((await api<{ credits: number }>('/v1/me')).credits).toBe(9);
    await shot(feed, 'panel-draft');
  });

  test('Insert fills LinkedIn’s editor and the page sees an input event', async () => {
    await feed.getByTestId('pf-insert').click();
    await expectText(feed.getByTestId('pf-note'), /Inserted into your post/);
    const editor = feed.locator('[role=dialog] .ql-editor');
    await expect(editor.innerText()).resolves.toContain(OFFLINE_MARK);
    await expect(editor.innerText()).resolves.toContain('Why we moved our scheduler to Temporal');
    const seen = await feed.evaluate(() => (globalThis as unknown as { __composer: { inputs: number; lastInputType: string } }).__composer);
    expect(seen.inputs).toBeGreaterThan(0);
    expect(seen.lastInputType).toBe('insertText');
    // LinkedIn's own Post button woke up, as it does when someone types.
    await expect(feed.locator('.share-actions__primary-action').isEnabled()).resolves.toBe(true);
    await shot(feed, 'panel-inserted');
  });

  test('Schedule creates a LinkedIn post at the chosen time in the browser’s zone, which the API lists', async () => {
    const when = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
    await feed.getByTestId('pf-schedule').click();
    await feed.getByTestId('pf-date').fill(when.toFormat('yyyy-MM-dd'));
    await feed.getByTestId('pf-time').fill('10:30');
    await feed.getByText('Schedule on LinkedIn').click();
    await expectText(feed.getByTestId('pf-note'), /Scheduled for .*Connect LinkedIn in the PostForge popup/);
    await shot(feed, 'panel-scheduled');

    const { posts } = await eventually(
      async () => {
        const list = await api<{ posts: { id: string; status: string; content: string; targets: { kind: string }[]; scheduledAt: string; timeZone: string; hashtags: string[] }[] }>('/v1/posts');
        return list.posts.some((p) => p.status === 'scheduled') && list;
      },
      { what: 'the scheduled post in GET /v1/posts' },
    );
    expect(posts).toHaveLength(1);
    const [post] = posts;
    postId = post!.id;
    expect(post).toMatchObject({ status: 'scheduled', targets: [{ kind: 'linkedin' }], timeZone: ZONE, scheduledAt: when.toUTC().toISO() });
    expect(post!.content).toContain(OFFLINE_MARK);
    expect(post!.hashtags).toContain('scheduler');
    // The draft's credit paid for the post: scheduling it cost nothing more.
    // (Wait until the workflow has passed its charge step: it records the "scheduled" event after.)
    await eventually(async () => (await api<{ history: { event: string }[] }>(`/v1/posts/${postId}`)).history.some((h) => h.event === 'scheduled'), { what: 'the charge step' });
    expect((await api<{ credits: number }>('/v1/me')).credits).toBe(9);
    await expectText(feed.getByTestId('pf-credits'), /9 credits left/);
  });
});

describe('popup', () => {
  let popup: Page;
  beforeAll(async () => {
    popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 400, height: 700 });
    await popup.goto(extPage('popup.html'));
  });

  test('shows the balance, the scheduled post and the LinkedIn connection', async () => {
    const { credits } = await api<{ credits: number }>('/v1/me');
    await expectText(popup.getByTestId('pf-balance'), new RegExp(`^${credits} credits$`));
    const item = popup.locator(`[data-testid=pf-upcoming] [data-post-id="${postId}"]`);
    await item.waitFor();
    await expectText(item, /scheduled/);
    await expectText(item, /Offline draft/);
    await expectText(popup.getByTestId('pf-linkedin'), /Not connected/);
    await popup.getByTestId('pf-buy-popular').waitFor();
    await shot(popup, 'popup');
  });

  test('Connect LinkedIn opens the authorization page in a new tab', async () => {
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), popup.getByTestId('pf-connect').click()]);
    await tab.waitForURL(/\/oauth\/v2\/authorization\?/);
    expect(new URL(tab.url()).searchParams.get('client_id')).toBe('test-client');
    await tab.close();
  });

  test('Open dashboard opens a one-time sign-in link to the web dashboard in a new tab', async () => {
    const [request] = await Promise.all([
      ext.context.waitForEvent('request', (r) => /\/app\/login\?token=/.test(r.url())),
      popup.getByTestId('pf-open-dashboard').click(),
    ]);
    const link = new URL(request.url());
    // The link is made for PUBLIC_URL; here the API listens elsewhere, so it is opened there.
    const tab = await ext.context.newPage();
    await tab.goto(`${stack.apiUrl}${link.pathname}${link.search}`);
    await tab.getByTestId('who').waitFor();
    expect(new URL(tab.url()).pathname).toBe('/app/');
    await tab.close();
  });

  test('reschedules and cancels the post', async () => {
    const item = popup.locator(`[data-post-id="${postId}"]`);
    const later = DateTime.now().setZone(ZONE).plus({ days: 4 }).set({ hour: 8, minute: 15, second: 0, millisecond: 0 });
    await item.getByText('Reschedule').click();
    await item.getByTestId('pf-date').fill(later.toFormat('yyyy-MM-dd'));
    await item.getByTestId('pf-time').fill('08:15');
    await item.getByText('Save time').click();
    await eventually(async () => (await api<{ scheduledAt: string }>(`/v1/posts/${postId}`)).scheduledAt === later.toUTC().toISO(), { what: 'the new time' });

    await popup.locator(`[data-post-id="${postId}"]`).getByText('Cancel').click();
    await eventually(async () => (await api<{ status: string }>(`/v1/posts/${postId}`)).status === 'canceled', { what: 'the post canceled' });
    await popup.locator(`[data-testid=pf-recent] [data-post-id="${postId}"][data-status=canceled]`).waitFor();
  });
});

describe('without credits', () => {
  test('the panel shows a Buy button instead of letting you write', async () => {
    const broke = await stack.newAccount('extension-broke', { credits: 0 });
    const options = await ext.context.newPage();
    await options.goto(extPage('options.html'));
    await saveSettings(options, stack.apiUrl, broke.key);
    await expectText(options.getByTestId('pf-saved'), /0 credits left/);
    await options.close();

    await feed.reload();
    await feed.getByText('Start a post').click();
    await feed.getByTestId('pf-open').click();
    await expectText(feed.getByTestId('pf-credits'), /0 credits left/);
    await feed.getByText('Buy credits').waitFor();
    await expect(feed.getByTestId('pf-generate').isDisabled()).resolves.toBe(true);
    await shot(feed, 'panel-no-credits');
  });
});

/** Waits for the element's text to match; on timeout says what the text was. */
async function expectText(locator: ReturnType<Page['locator']>, re: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    // Flex layout splits innerText into lines; what a person reads is one line.
    last = ((await locator.first().innerText({ timeout: 1000 }).catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
    if (re.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected text matching ${re}, last saw: ${JSON.stringify(last)}`);
}
