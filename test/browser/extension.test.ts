// The production build of the extension in Debian's Chromium, against the real stack (Temporal dev
// server, FerretDB, worker, API) and LinkedIn-shaped pages served AT https://www.linkedin.com (the
// manifest's real match) in each of LinkedIn's three share boxes, running the real Quill 1.3.7 and
// TipTap 2: the button appears once and stays once, Insert lands in the editor's model, Schedule
// sends what is in the editor, and the fallbacks work without a composer.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { EXTENSION_SELECTORS } from '../../services/extensionSelectors';
import { createOfflineGenerator, OFFLINE_MARK } from '../../core/generation';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { buildExtension, chromiumPath, EXTENSION_BUILD, launchWithExtension, SCREENSHOTS, type LoadedExtension } from './harness';
import { LINKEDIN, serveLinkedIn, VARIANTS, type FakeLinkedIn, type Variant } from './linkedinFixture';
import { startLinkedInStandin, type LinkedInStandin } from '../standins/linkedin';
import { countTriggers, expectText, fixture, triggerCountsOver, typeInEditor } from './pages';

jest.setTimeout(120_000);

const ZONE = 'Europe/Berlin';

let stack: Stack;
let linkedin: LinkedInStandin;
let site: FakeLinkedIn;
let ext: LoadedExtension;
let account: { key: string; auth: Record<string, string>; accountId: string };

const api = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${stack.apiUrl}${p}`, { ...init, headers: { ...account.auth, 'content-type': 'application/json', ...init.headers } });
  return (await res.json()) as T;
};
const credits = async () => (await api<{ credits: number }>('/v1/me')).credits;
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
/** Just the side sheet: the small pictures docs/screenshots/ copies for the README. */
const sheetShot = (page: Page, name: string) => page.getByTestId('pf-panel').screenshot({ path: path.join(SCREENSHOTS, `${name}-sheet.png`) });
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const extPage = (file: string) => `chrome-extension://${ext.extensionId}/${file}`;

/** The offline generator, a little slower, so "streaming" and Stop can be seen. */
function slowOfflineGenerator() {
  const offline = createOfflineGenerator();
  return {
    generate: offline.generate.bind(offline),
    async *stream(req: Parameters<typeof offline.stream>[0], signal?: AbortSignal) {
      for await (const e of offline.stream(req, signal)) {
        await new Promise((r) => setTimeout(r, 250));
        signal?.throwIfAborted();
        yield e;
      }
    },
  };
}

let savedKey: string | undefined;
/** Each describe signs in itself, so any one of them can run alone (jest -t). */
async function signedInAs(key: string) {
  if (savedKey !== key) await saveKey(key);
}

async function saveKey(key: string) {
  savedKey = key;
  const page = await ext.context.newPage();
  await page.goto(extPage('options.html'));
  await page.getByTestId('pf-advanced').click();
  await page.getByTestId('pf-api-url').fill(stack.apiUrl);
  await page.getByTestId('pf-api-key').fill(key);
  await page.getByTestId('pf-save').click();
  await expectText(page.getByTestId('pf-saved'), /Connected as/);
  await page.close();
}

async function openFeed(variant: Variant, pathName = '/feed/'): Promise<Page> {
  site.variant = variant;
  const page = await ext.context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  await page.goto(`${LINKEDIN}${pathName}`);
  return page;
}

async function startPost(page: Page) {
  await page.getByText('Start a post', { exact: true }).click();
  await page.getByTestId('pf-open').waitFor();
}

async function writeDraft(page: Page, topic: string) {
  await page.getByTestId('pf-topic').fill(topic);
  await page.getByTestId('pf-generate').click();
  await page.getByTestId('pf-insert').waitFor();
  await expectText(page.getByTestId('pf-draft'), new RegExp(topic));
}

beforeAll(async () => {
  chromiumPath(); // fails with install instructions before anything slow starts
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  buildExtension();
  ext = await launchWithExtension({ timezoneId: ZONE });
  linkedin = await startLinkedInStandin({
    validTokens: {},
    oauth: { clientId: 'li-client', clientSecret: 'li-secret' },
    signedInMember: 'Xy7_ada',
    profiles: { Xy7_ada: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  });
  stack = await startStack('extension', {
    config: {
      // No host permission for the API: it answers the extension through CORS, as a deployment
      // would, and trusts it to receive sign-in tokens.
      CORS_ORIGINS: `chrome-extension://${ext.extensionId}`,
      LINKEDIN_CLIENT_ID: 'li-client',
      LINKEDIN_CLIENT_SECRET: 'li-secret',
      LINKEDIN_OAUTH_URL: linkedin.url,
      LINKEDIN_API_URL: linkedin.url,
    },
    generator: slowOfflineGenerator(),
  });
  // LinkedIn sends the browser back to PUBLIC_URL; here that is wherever the test API listens.
  (stack.config as { PUBLIC_URL: string }).PUBLIC_URL = stack.apiUrl;
  site = await serveLinkedIn(ext.context);
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: LINKEDIN });
  account = await stack.newAccount('extension-user', { credits: 20 });
  // The fix for a (simulated) LinkedIn markup change, deployed to the API only.
  EXTENSION_SELECTORS.editors.unshift('[componentkey="ShareBox_textEditorV2"][contenteditable="true"]');
  EXTENSION_SELECTORS.anchors.unshift('[data-testid="ui-core-rich-text-editor-wrapper"]');
}, 240_000);

afterAll(async () => {
  await ext?.close();
  await stack?.stop();
  await linkedin?.close();
});

test('the manifest asks for LinkedIn only; the API origin is an optional permission', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_BUILD, 'manifest.json'), 'utf8')) as Record<string, string[] | undefined>;
  expect(manifest.host_permissions).toEqual(['https://www.linkedin.com/*']);
  expect(manifest.optional_host_permissions).toEqual(expect.arrayContaining(['https://*/*']));
});

describe('signed out', () => {
  test('the panel shows a sign-in screen, not a form that cannot work', async () => {
    const page = await openFeed('new');
    await startPost(page);
    await page.getByTestId('pf-open').click();
    await page.getByTestId('pf-signed-out').waitFor();
    await expectText(page.getByTestId('pf-signed-out'), /Sign in with LinkedIn/);
    expect(await page.getByTestId('pf-topic').count()).toBe(0);
    await shot(page, 'panel-signed-out');
    await page.close();
  });

  test('when LinkedIn renames its hooks, the built-in selectors miss the editor and the floating launcher is the way in', async () => {
    const page = await openFeed('drifted');
    await page.getByText('Start a post', { exact: true }).click();
    await page.locator('[componentkey="ShareBox_textEditorV2"]').waitFor();
    expect(await triggerCountsOver(page, 800)).toEqual(expect.not.arrayContaining([1]));
    await page.getByTestId('pf-launcher').waitFor();
    await page.close();
  });

  test('Sign in with LinkedIn (OIDC through the API, against the LinkedIn stand-in) signs the panel in', async () => {
    // A self-hoster's server, under Advanced.
    const options = await ext.context.newPage();
    await options.goto(extPage('options.html'));
    await options.getByTestId('pf-advanced').click();
    await options.getByTestId('pf-api-url').fill(stack.apiUrl);
    await options.getByTestId('pf-save-url').click();
    await expectText(options.getByTestId('pf-saved'), /Server saved/);

    const page = await openFeed('classic');
    await startPost(page);
    await page.getByTestId('pf-open').click();
    const [consent] = await Promise.all([ext.context.waitForEvent('page'), page.getByTestId('pf-sign-in').click()]);
    await consent.waitForURL(/\/oauth\/v2\/authorization\?/);
    const asked = new URL(consent.url());
    expect(asked.searchParams.get('scope')).toBe('openid profile email');
    expect(asked.searchParams.get('client_id')).toBe('li-client');
    await consent.locator('#allow').click();
    await consent.waitForURL(new RegExp(`^chrome-extension://${ext.extensionId}/tabs/signed-in\\.html$`));
    await expectText(consent.getByTestId('pf-signed-in'), /Signed in as Ada Lovelace — 10 credits/);
    await shot(consent, 'signed-in');
    await consent.close();

    // The panel notices on its own.
    await expectText(page.getByTestId('pf-credits'), /10 credits left/);
    await expect(page.getByTestId('pf-topic').isVisible()).resolves.toBe(true);

    // Signing out revokes the session on the server.
    const token = (await stack.db.apiKeys.find({ accountId: 'person:Xy7_ada', session: 'extension' }).toArray()).filter((k) => !k.revokedAt);
    expect(token).toHaveLength(1);
    await options.reload();
    await options.getByTestId('pf-sign-out').click();
    await options.getByTestId('pf-sign-in').waitFor();
    expect((await stack.db.apiKeys.findOne({ _id: token[0]!._id }))?.revokedAt).toBeInstanceOf(Date);
    await options.close();
    await page.close();
  });
});

describe.each(VARIANTS)('the %s share box', (variant) => {
  let page: Page;
  beforeAll(async () => {
    await signedInAs(account.key);
    page = await openFeed(variant);
  });
  afterAll(() => page.close());

  test('"Write with PostForge" appears exactly once, and again once after close/reopen and SPA navigation', async () => {
    expect(await countTriggers(page)).toBe(0);
    await startPost(page);
    expect(await triggerCountsOver(page, 800)).toEqual(expect.not.arrayContaining([0, 2, 3]));
    // Not in a comment box that reuses TipTap's wrapper: next to the share box's editor.
    expect(await countTriggers(page)).toBe(1);

    await page.getByLabel('Dismiss').click();
    await page.getByTestId('pf-open').waitFor({ state: 'detached' });
    await startPost(page);
    expect(await triggerCountsOver(page, 500)).toEqual(expect.not.arrayContaining([0, 2, 3]));

    await page.getByLabel('Dismiss').click();
    await page.getByText('My Network').click();
    await page.waitForURL(/\/mynetwork\//);
    await page.getByTestId('pf-open').waitFor({ state: 'detached' });
    await page.getByText('Home').click();
    await startPost(page);
    expect(await countTriggers(page)).toBe(1);

    if (variant === 'new') {
      // The new share box has its own URL: Back closes it, Forward opens it again.
      expect(page.url()).toBe(`${LINKEDIN}/sharing/compose/`);
      await page.goBack();
      await page.getByTestId('pf-open').waitFor({ state: 'detached' });
      await page.goForward();
      await page.getByTestId('pf-open').waitFor();
      expect(await triggerCountsOver(page, 500)).toEqual(expect.not.arrayContaining([0, 2, 3]));
    }
    // One insertion per opening: never removed and re-added while the composer stayed open.
    const f = await fixture(page);
    expect(f.triggerInsertions).toBe(f.opens);
  });

  test('Insert puts the draft into the editor’s model and LinkedIn’s Post button wakes up', async () => {
    await page.getByTestId('pf-open').click();
    await writeDraft(page, `Why ${variant} composers matter`);
    await page.getByTestId('pf-see-more').click();
    const draft = await page.getByTestId('pf-draft').innerText();
    expect((await fixture(page)).postEnabled).toBe(false);
    await page.getByTestId('pf-insert').click();
    await page.getByTestId('pf-panel').waitFor({ state: 'hidden' });
    const f = await fixture(page);
    expect(f.modelText).toContain(OFFLINE_MARK);
    expect(f.modelText).toContain(`Why ${variant} composers matter`);
    expect(norm(f.modelText)).toBe(norm(draft));
    expect(f.postEnabled).toBe(true);
    // The sheet collapsed; the button says it worked.
    await expectText(page.getByTestId('pf-open'), /Inserted/);
    if (variant === 'new') await shot(page, 'panel-inserted');
  });
});

test('selector drift: a selector table served by the API finds the renamed editor, without a new extension', async () => {
  await signedInAs(account.key);
  const page = await openFeed('drifted');
  await startPost(page);
  expect(await triggerCountsOver(page, 500)).toEqual(expect.not.arrayContaining([0, 2, 3]));
  await page.getByTestId('pf-open').click();
  await writeDraft(page, 'Surviving markup changes');
  await page.getByTestId('pf-insert').click();
  await page.getByTestId('pf-panel').waitFor({ state: 'hidden' });
  expect((await fixture(page)).modelText).toContain('Surviving markup changes');
  await page.close();
});

test('loaded directly at /sharing/compose, the new share box gets its button once', async () => {
  const page = await openFeed('new', '/sharing/compose/');
  await page.getByTestId('pf-open').waitFor();
  expect(await triggerCountsOver(page, 600)).toEqual(expect.not.arrayContaining([0, 2, 3]));
  await page.close();
});

describe('working with what is in the editor (new share box)', () => {
  let page: Page;
  beforeAll(async () => {
    await signedInAs(account.key);
    page = await openFeed('new');
    await startPost(page);
  });
  afterAll(() => page.close());

  test('with text already there, Insert asks; "Add below" keeps the author’s text and adds the draft', async () => {
    await typeInEditor(page, 'My own opening line.');
    await page.getByTestId('pf-open').click();
    await writeDraft(page, 'Quarterly planning without spreadsheets');
    await shot(page, 'panel-draft');
    await sheetShot(page, 'panel-draft');
    await page.getByTestId('pf-see-more').click();
    const draft = await page.getByTestId('pf-draft').innerText();
    await page.getByTestId('pf-insert').click();
    await page.getByTestId('pf-insert-append').waitFor();
    await shot(page, 'panel-choose-insert');
    await page.getByTestId('pf-insert-append').click();
    await page.getByTestId('pf-panel').waitFor({ state: 'hidden' });
    const f = await fixture(page);
    expect(f.modelText?.startsWith('My own opening line.\n\n')).toBe(true);
    expect(norm(f.modelText)).toBe(norm(`My own opening line. ${draft}`));
    expect(f.postEnabled).toBe(true);
  });

  test('Schedule sends the text in LinkedIn’s editor, the author’s edits included, paid by the draft', async () => {
    const before = await credits();
    await typeInEditor(page, ' Edited by me.');
    await page.getByTestId('pf-open').click();
    const when = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 });
    await page.getByTestId('pf-schedule').click();
    await page.getByTestId('pf-date').fill(when.toFormat('yyyy-MM-dd'));
    await page.getByTestId('pf-time').fill('10:30');
    await shot(page, 'panel-scheduling');
    await page.getByText('Schedule on LinkedIn').click();
    await expectText(page.getByTestId('pf-note'), /Scheduled for .*with your edits/);
    await shot(page, 'panel-scheduled');
    await sheetShot(page, 'panel-scheduled');

    const post = await eventually(
      async () =>
        (await api<{ posts: { id: string; status: string; content: string; scheduledAt: string; timeZone: string }[] }>('/v1/posts')).posts.find(
          (p) => p.status === 'scheduled',
        ),
      { what: 'the scheduled post in GET /v1/posts' },
    );
    expect(post).toMatchObject({ timeZone: ZONE, scheduledAt: when.toUTC().toISO() });
    expect(post.content).toContain('My own opening line.');
    expect(post.content).toContain('Edited by me.');
    expect(post.content).toContain(OFFLINE_MARK);
    // The draft's credit paid for it (checked once the workflow is past its charge step).
    await eventually(async () => (await api<{ history: { event: string }[] }>(`/v1/posts/${post.id}`)).history.some((h) => h.event === 'scheduled'), {
      what: 'the charge step',
    });
    expect(await credits()).toBe(before);
  });

  test('Shorten reworks the text in the editor for one credit', async () => {
    const before = await credits();
    await page.getByTestId('pf-shorten').click();
    await page.getByTestId('pf-insert').waitFor();
    await expectText(page.getByTestId('pf-draft'), new RegExp(OFFLINE_MARK));
    expect(await credits()).toBe(before - 1);
  });

  test('when the text does not stick, Insert says so after one retry and leaves Copy at hand', async () => {
    // An editor that throws away whatever arrives (execCommand fires no cancelable beforeinput,
    // so this reverts after the fact, as a misbehaving editor would).
    await page.evaluate(`(() => {
      const editor = document.querySelector('[componentkey="ShareBox_textEditor"]');
      window.__reverts = 0;
      editor.addEventListener('input', () => { window.__reverts++; editor.innerHTML = '<p><br></p>'; });
    })()`);
    await page.getByTestId('pf-insert').click();
    await page.getByTestId('pf-insert-replace').click();
    await expectText(page.getByRole('alert'), /did not take the text \(tried twice\)/);
    await expect(page.getByTestId('pf-panel').isVisible()).resolves.toBe(true);
    await page.getByTestId('pf-copy').waitFor();
    expect((await fixture(page)).modelText).not.toContain(OFFLINE_MARK);
    expect(await page.evaluate<number>('window.__reverts')).toBeGreaterThan(1); // tried, and tried again
    await shot(page, 'panel-insert-failed');
  });

  test('Stop ends a draft mid-stream, and the unfinished draft costs nothing', async () => {
    const before = await credits();
    await page.getByTestId('pf-topic').fill('A post that is stopped half-way');
    await page.getByTestId('pf-generate').click();
    await page.getByTestId('pf-stop').waitFor();
    await expectText(page.getByTestId('pf-draft'), /\S/);
    await shot(page, 'panel-streaming');
    await page.getByTestId('pf-stop').click();
    await expectText(page.getByTestId('pf-note'), /Stopped/);
    await eventually(async () => (await credits()) === before, { what: 'the refund' });
  });
});

describe('add to queue (new share box)', () => {
  let page: Page;
  let queuer: { key: string; auth: Record<string, string>; accountId: string };
  const nextSlot = async () =>
    (await (await fetch(`${stack.apiUrl}/v1/queue/next?count=1&target=linkedin`, { headers: queuer.auth })).json()) as { slots: string[] };
  const openPicker = async () => {
    await page.getByTestId('pf-schedule').click();
    await page.getByTestId('pf-date').waitFor();
  };

  beforeAll(async () => {
    queuer = await stack.newAccount('extension-queue', { credits: 5 });
    await signedInAs(queuer.key);
    page = await openFeed('new');
    await startPost(page);
    await page.getByTestId('pf-open').click();
    await writeDraft(page, 'A post for the queue');
  });
  afterAll(() => page.close());

  test('without a posting schedule the picker says so and opens the dashboard’s Schedule page instead of offering the option', async () => {
    await openPicker();
    await expectText(page.getByTestId('pf-queue-none'), /No posting schedule yet/);
    expect(await page.getByTestId('pf-queue').count()).toBe(0);
    await sheetShot(page, 'panel-queue-none');
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), page.getByTestId('pf-queue-setup').click()]);
    // The one-time link signs the tab in and lands on the Schedule page.
    await tab.waitForURL(/\/app\/schedule$/);
    await tab.close();
    await page.getByText('Back').click();
  });

  test('with a schedule it shows the next free slot in the browser’s zone, and Add to queue takes exactly that slot', async () => {
    const put = await fetch(`${stack.apiUrl}/v1/queue/schedule`, {
      method: 'PUT',
      headers: { ...queuer.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ timeZone: 'America/New_York', slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], times: ['08:30', '17:00'] }] }),
    });
    expect(put.status).toBe(200);
    const [slot] = (await nextSlot()).slots;
    await openPicker();
    // A New York schedule, shown as Berlin (the browser's zone) counts.
    const shown = DateTime.fromISO(slot!, { zone: ZONE }).toFormat('ccc HH:mm');
    await expectText(page.getByTestId('pf-queue-next'), new RegExp(`^Next free slot: ${shown}$`));
    await sheetShot(page, 'panel-queue');
    await page.getByTestId('pf-queue').click();
    await expectText(page.getByTestId('pf-note'), /Added to your queue/);

    const post = await eventually(
      async () =>
        (await api<{ posts: { id: string; status: string; scheduledAt: string; content: string }[] }>('/v1/posts', { headers: queuer.auth })).posts.find(
          (p) => p.status === 'scheduled',
        ),
      { what: 'the queued post' },
    );
    expect(post.scheduledAt).toBe(new Date(slot!).toISOString());
    expect(post.content).toContain('A post for the queue');
    expect(await stack.db.queueSlots.findOne({ postId: post.id })).toMatchObject({ at: new Date(slot!) });
    // The slot is taken: the picker now offers the one after it.
    const [after] = (await nextSlot()).slots;
    expect(new Date(after!).getTime()).toBeGreaterThan(new Date(slot!).getTime());
  });

  test('an error from the API is shown in plain words and nothing is queued', async () => {
    await writeDraft(page, 'A second post for the queue');
    await openPicker();
    await page.getByTestId('pf-queue-next').waitFor();
    // The schedule goes away between showing the slot and pressing the button: the API answers 409.
    await stack.db.postingSchedules.deleteOne({ _id: queuer.accountId });
    const before = await stack.db.posts.countDocuments({ accountId: queuer.accountId });
    await page.getByTestId('pf-queue').click();
    await expectText(page.locator('[role=alert][data-kind=conflict]'), /no posting schedule yet/);
    // The picker asks again and now offers the way to set a schedule instead.
    await page.getByTestId('pf-queue-none').waitFor();
    await sheetShot(page, 'panel-queue-error');
    expect(await stack.db.posts.countDocuments({ accountId: queuer.accountId })).toBe(before);

    // The same draft can still be scheduled at a time of one's choosing (its credit pays once).
    const credits = async () => ((await (await fetch(`${stack.apiUrl}/v1/me`, { headers: queuer.auth })).json()) as { credits: number }).credits;
    const left = await credits();
    const when = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
    await page.getByTestId('pf-date').fill(when.toFormat('yyyy-MM-dd'));
    await page.getByTestId('pf-time').fill('11:00');
    await page.getByText('Schedule on LinkedIn').click();
    await expectText(page.getByTestId('pf-note'), /Scheduled for/);
    expect(await stack.db.posts.countDocuments({ accountId: queuer.accountId })).toBe(before + 1);
    expect(await credits()).toBe(left);
  });
});

describe('without a composer on the page', () => {
  test('a floating launcher opens the panel; Copy works, and "Open LinkedIn’s composer" opens it', async () => {
    await signedInAs(account.key);
    const page = await openFeed('classic', '/mynetwork/');
    await page.getByTestId('pf-launcher').waitFor();
    expect(await countTriggers(page)).toBe(0);
    await page.getByTestId('pf-launcher').click();
    await writeDraft(page, 'Hiring our first designer');
    await expect(page.getByTestId('pf-insert').isDisabled()).resolves.toBe(true);
    await expectText(page.getByTestId('pf-insert-reason'), /post box is not open/);
    await shot(page, 'panel-no-composer');
    await page.getByTestId('pf-see-more').click();
    const draft = await page.getByTestId('pf-draft').innerText();
    await page.getByTestId('pf-copy').click();
    await expectText(page.getByTestId('pf-note'), /Copied/);
    expect(norm(await page.evaluate<string>('navigator.clipboard.readText()'))).toBe(norm(draft));

    await page.getByTestId('pf-open-composer').click();
    await page.waitForURL(`${LINKEDIN}/sharing/compose/`);
    await page.getByTestId('pf-open').waitFor();
    expect(await countTriggers(page)).toBe(1);
    await page.close();
  });
});

describe('options (Advanced: an API key instead of signing in)', () => {
  test('rejects a wrong key and an unreachable server in plain words, then saves a working key', async () => {
    const page = await ext.context.newPage();
    await page.goto(extPage('options.html'));
    await page.getByTestId('pf-advanced').click();
    await page.getByTestId('pf-api-url').fill(stack.apiUrl);
    await page.getByTestId('pf-api-key').fill('pf_not-a-real-key');
    await page.getByTestId('pf-save').click();
    await expectText(page.getByTestId('pf-options-error'), /not accepted: it is wrong, expired or was revoked/);
    await shot(page, 'options-wrong-key');
    await page.getByTestId('pf-api-url').fill('http://127.0.0.1:9');
    await page.getByTestId('pf-api-key').fill(account.key);
    await page.getByTestId('pf-save').click();
    await expectText(page.getByTestId('pf-options-error'), /Can't reach PostForge at http:\/\/127\.0\.0\.1:9/);
    await page.close();
    savedKey = undefined;
    await signedInAs(account.key);
  });
});

describe('popup', () => {
  let popup: Page;
  beforeAll(async () => {
    await signedInAs(account.key);
    popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 400, height: 760 });
    await popup.goto(extPage('popup.html'));
  });
  afterAll(() => popup.close());

  test('shows the balance, the scheduled post and the LinkedIn connection', async () => {
    const { posts } = await api<{ posts: { id: string; status: string }[] }>('/v1/posts');
    const scheduled = posts.find((p) => p.status === 'scheduled')!;
    await expectText(popup.getByTestId('pf-balance'), new RegExp(`^${await credits()} credits$`));
    const item = popup.locator(`[data-testid=pf-upcoming] [data-post-id="${scheduled.id}"]`);
    await item.waitFor();
    await expectText(item, /scheduled/);
    await expectText(popup.getByTestId('pf-linkedin'), /Not connected/);
    await popup.getByTestId('pf-buy-popular').waitFor();
  });

  test('Connect LinkedIn (for publishing) opens LinkedIn’s authorization page in a new tab', async () => {
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), popup.getByTestId('pf-connect').click()]);
    await tab.waitForURL(/\/oauth\/v2\/authorization\?/);
    const url = new URL(tab.url());
    expect(url.searchParams.get('client_id')).toBe('li-client');
    expect(url.searchParams.get('scope')).toBe('openid profile w_member_social');
    await tab.close();
  });

  test('Open dashboard opens a one-time sign-in link to the web dashboard in a new tab', async () => {
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), popup.getByTestId('pf-open-dashboard').click()]);
    // The link (made for PUBLIC_URL, which is this test's API) signs the new tab in and lands on the dashboard.
    await tab.waitForURL(/\/app\/(\?.*)?$/);
    await tab.getByTestId('who').waitFor();
    // It was a one-time link: the same link again is refused.
    const used = await ext.context.request.get(`${stack.apiUrl}/app/login?token=reused`, { maxRedirects: 0 });
    expect(used.status()).toBeGreaterThanOrEqual(400);
    await tab.close();
  });

  test('reschedules and cancels the post', async () => {
    const { posts } = await api<{ posts: { id: string; status: string }[] }>('/v1/posts');
    const postId = posts.find((p) => p.status === 'scheduled')!.id;
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

  test('writes a draft, copies it, and opens LinkedIn’s composer', async () => {
    await popup.reload();
    await expectText(popup.getByTestId('pf-balance'), new RegExp(`^${await credits()} credits$`));
    await popup.getByTestId('pf-quick-topic').fill('Lessons from our first 100 customers');
    await popup.getByTestId('pf-quick-generate').click();
    await popup.getByTestId('pf-quick-copy').click();
    await expectText(popup.getByTestId('pf-quick-copied'), /Copied/);
    await shot(popup, 'popup');
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), popup.getByTestId('pf-open-composer').click()]);
    await tab.waitForURL(`${LINKEDIN}/sharing/compose/`);
    await tab.close();
  });
});

describe('without credits', () => {
  test('Write is disabled with the reason next to it, and Buy credits is offered', async () => {
    const broke = await stack.newAccount('extension-broke', { credits: 0 });
    await signedInAs(broke.key);
    const page = await openFeed('legacy');
    await startPost(page);
    await page.getByTestId('pf-open').click();
    await expectText(page.getByTestId('pf-credits'), /0 credits left/);
    await page.getByText('Buy credits').waitFor();
    await expect(page.getByTestId('pf-generate').isDisabled()).resolves.toBe(true);
    await expectText(page.getByTestId('pf-generate-reason'), /No credits left/);
    await shot(page, 'panel-no-credits');
    await page.close();
  });
});
