// The web dashboard in Debian's Chromium against the real stack (Temporal dev server, FerretDB,
// worker, API serving web/dist, stripe-mock): sign-in by one-time link, drag to reschedule (and a
// refused drag snapping back), edit and cancel from the table, live updates, a purchase, and the
// member rules. Screenshots of each page go to test-output/screenshots/dashboard-*.png.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { issueApiKey } from '../../core/apiKeys';
import { newPostDoc } from '../../core/postRecords';
import { postWorkflowId, seriesScheduleId } from '../../core/temporal';
import { issueDashboardLink } from '../../services/dashboardSessions';
import { statusQuery } from '../../workflows/messages';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { chromiumPath, SCREENSHOTS } from './harness';

jest.setTimeout(120_000);

const ZONE = 'Europe/Berlin';
/** The browser runs six hours behind the account: the calendar must still show and move Berlin times. */
const BROWSER_ZONE = 'America/New_York';
const root = path.resolve(__dirname, '../..');

let stack: Stack;
let sink: WebhookSink;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let alice: { accountId: string; memberId: string; key: string };
let bobKey: string;

/** The bits of the page's globals these tests read (the test project has no DOM lib). */
type BrowserGlobals = { document: { cookie: string; documentElement: { scrollWidth: number } } };

const shot = (name: string, p: Page = page) => p.screenshot({ path: path.join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
const local = (url: string) => url.replace(stack.config.PUBLIC_URL, stack.apiUrl);

async function createPost(key: string, text: string, at: DateTime): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/v1/posts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, targets: [{ kind: 'webhook', url: sink.hookUrl }], scheduledAt: at.toUTC().toISO(), timeZone: ZONE }),
  });
  if (res.status !== 202) throw new Error(`creating a post: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'scheduled', { what: `post ${id} scheduled` });
  return id;
}

const workflowState = (id: string) => stack.env.client.workflow.getHandle(postWorkflowId(id)).query(statusQuery);

async function signIn(p: Page, who: { memberId: string; isAdmin: boolean }): Promise<string> {
  const link = await issueDashboardLink(stack.ctx, { accountId: alice.accountId, ...who, timeZone: ZONE });
  await p.goto(local(link.url));
  await p.getByTestId('who').waitFor();
  return local(link.url);
}

async function openCalendarWeekWith(id: string): Promise<Locator> {
  // Through another page, so the calendar mounts afresh and reads the posts now.
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('nav-calendar').click();
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByRole('button', { name: 'Today' }).click();
  const event = eventBox(id);
  for (let i = 0; i < 3 && !(await event.isVisible()); i++) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(200);
  }
  await event.waitFor();
  return event;
}

/** The event's box in the calendar (the draggable element). */
const eventBox = (id: string): Locator => page.locator('.rbc-event', { has: page.getByTestId(`event-${id}`) });

/** Drags with real mouse events (react-big-calendar's drag-and-drop listens to them). */
async function drag(from: Locator, dx: number, dy: number): Promise<void> {
  // The mouse only reaches what is on screen: a post late in the day sits below the calendar's scroll.
  await from.scrollIntoViewIfNeeded();
  const box = (await from.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 4, y + dy / 4, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 10 });
  await page.mouse.up();
}

/** Which weekday column (0 = Monday) an event sits in, and how wide a column is. */
async function column(event: Locator): Promise<{ index: number; width: number }> {
  const cols = page.locator('.rbc-time-content .rbc-day-slot');
  const box = (await event.boundingBox())!;
  const n = await cols.count();
  for (let i = 0; i < n; i++) {
    const c = (await cols.nth(i).boundingBox())!;
    if (box.x + box.width / 2 >= c.x && box.x + box.width / 2 < c.x + c.width) return { index: i, width: c.width };
  }
  throw new Error('event is in no day column');
}

beforeAll(async () => {
  const chromiumBin = chromiumPath();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the dashboard failed:\n${build.stdout}\n${build.stderr}`);
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
  stack = await startStack('dashboard-browser');
  alice = await stack.newAccount('web-team', { credits: 30 });
  bobKey = (await issueApiKey(stack.db, { accountId: alice.accountId, memberId: 'member-bob', label: 'bob' })).key;
  browser = await chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  context = await browser.newContext({ timezoneId: BROWSER_ZONE, viewport: { width: 1280, height: 900 } });
  // Stripe's hosted Checkout page is on the internet; the browser gets a stand-in page for it.
  await context.route(/^https:\/\/(checkout\.stripe\.com|[^/]*stripe[^/]*)\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Stripe Checkout (stand-in)</h1>' }),
  );
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sink?.close();
});

describe('sign-in', () => {
  test('a one-time link signs in; the same link a second time is refused', async () => {
    const url = await signIn(page, { memberId: alice.memberId, isAdmin: false });
    expect(new URL(page.url()).pathname).toBe('/app/');
    const cookies = await context.cookies(`${stack.apiUrl}/app/`);
    expect(cookies.find((c) => c.name === 'pf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await shot('overview');

    const other = await context.newPage();
    const res = await other.goto(url);
    expect(res?.status()).toBe(410);
    await expect(other.locator('body').innerText()).resolves.toMatch(/already used/);
    await other.close();
  });
});

describe('calendar', () => {
  test('dragging a post to another day reschedules it in the workflow', async () => {
    const at = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    const id = await createPost(alice.key, 'Drag me to another day', at);
    const event = await openCalendarWeekWith(id);
    // At 10:00 as Berlin counts, though the browser is in New York (where it is 04:00).
    await expect(event.innerText()).resolves.toMatch(/^10:00 AM/);
    await shot('calendar');

    const { index, width } = await column(event);
    const days = index < 6 ? 1 : -1;
    await drag(event, days * width, 0);
    await page.getByTestId('calendar-message').filter({ hasText: 'Moved' }).waitFor();
    const want = at.plus({ days }).toUTC().toISO();
    await eventually(async () => new Date((await workflowState(id)).scheduledAt).toISOString() === new Date(want!).toISOString(), {
      what: 'workflow rescheduled',
    });
    // The event is drawn in the new column (once the page has the workflow's answer back).
    await eventually(async () => (await column(eventBox(id))).index === index + days, { what: 'the event drawn in its new column' });
  });

  test('a drag into the past is refused: the post snaps back and the reason is shown', async () => {
    const at = DateTime.now().setZone(ZONE).plus({ hours: 1 }).startOf('minute');
    const id = await createPost(alice.key, 'Not into the past', at);
    const event = await openCalendarWeekWith(id);
    // An hour from now is below the calendar's scroll in the evening (the drag found nothing there after ~19:00 Berlin).
    await event.scrollIntoViewIfNeeded();
    const grid = page.locator('.rbc-time-content');
    // Relative to the grid: the message above the calendar shifts the whole page down.
    const place = async () => {
      const [e, g] = [(await eventBox(id).boundingBox())!, (await grid.boundingBox())!];
      return { x: e.x - g.x, y: e.y - g.y };
    };
    const before = (await event.boundingBox())!;
    const start = await place();
    const { index, width } = await column(event);
    // A day earlier, or (on a Monday) to the top of the day: either way before now.
    if (index > 0) await drag(event, -width, 0);
    else await drag(event, 0, -before.y + (await grid.boundingBox())!.y - 2000);
    const msg = page.getByTestId('calendar-message');
    await msg.filter({ hasText: /Not moved: .*in the past/ }).waitFor();
    await shot('calendar-refused');
    const after = await place();
    expect(Math.abs(after.x - start.x)).toBeLessThan(2);
    expect(Math.abs(after.y - start.y)).toBeLessThan(2);
    expect(new Date((await workflowState(id)).scheduledAt).toISOString()).toBe(new Date(at.toUTC().toISO()!).toISOString());
  });

  test('by keyboard: focus a post, Enter opens it, its time field reschedules it', async () => {
    const at = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    const id = await createPost(alice.key, 'Moved without a mouse', at);
    const event = await openCalendarWeekWith(id);
    await event.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('post-panel').getByText('Moved without a mouse').first().waitFor();
    const later = at.plus({ hours: 3, minutes: 30 });
    await page.getByTestId('edit-when').focus();
    await page.keyboard.type(later.toFormat('LLddyyyy'));
    await page.keyboard.press('Tab');
    await page.keyboard.type(later.toFormat('hhmma'));
    await page.getByTestId('save-when').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('panel-message').filter({ hasText: 'Rescheduled' }).waitFor();
    expect(new Date((await workflowState(id)).scheduledAt).toISOString()).toBe(new Date(later.toUTC().toISO()!).toISOString());
    await page.keyboard.press('Escape');
    await page.getByTestId('post-panel').waitFor({ state: 'detached' });
  });

  test('month view shows the posts too', async () => {
    await page.getByTestId('nav-calendar').click();
    await page.getByRole('button', { name: 'Month' }).click();
    await page.locator('.rbc-month-view').waitFor();
    await shot('calendar-month');
  });

  test("a member cannot move another member's post; an admin can", async () => {
    const at = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
    const bobs = await createPost(bobKey, "Bob's post", at);
    const event = await openCalendarWeekWith(bobs);
    const { index, width } = await column(event);
    await drag(event, (index < 6 ? 1 : -1) * width, 0);
    await page.waitForTimeout(500);
    expect(new Date((await workflowState(bobs)).scheduledAt).toISOString()).toBe(new Date(at.toUTC().toISO()!).toISOString());
    // Opened, it says why, and offers no controls; the server refuses even a hand-made request.
    await event.click();
    await page.getByTestId('post-panel').getByText('Only its author or an admin can change this post.').waitFor();
    expect(await page.getByTestId('save-when').count()).toBe(0);
    const status = await page.evaluate(
      async ([postId, when]) => {
        const csrf = /pf_csrf=([^;]*)/.exec((globalThis as unknown as BrowserGlobals).document.cookie)?.[1] ?? '';
        const r = await fetch(`/app/api/posts/${postId}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ scheduledAt: when }),
        });
        return r.status;
      },
      [bobs, at.plus({ days: 1 }).toUTC().toISO()!] as const,
    );
    expect(status).toBe(403);
    await page.getByTestId('panel-close').click();

    // An admin of the account, signed in in another browser, moves it by keyboard in the post panel.
    const adminContext = await browser.newContext({ timezoneId: BROWSER_ZONE, viewport: { width: 1280, height: 900 } });
    const admin = await adminContext.newPage();
    await signIn(admin, { memberId: 'member-admin', isAdmin: true });
    await admin.getByTestId('nav-posts').click();
    await admin.getByTestId(`open-${bobs}`).click();
    const moved = at.plus({ days: 1, hours: 1 });
    await admin.getByTestId('edit-when').fill(moved.toFormat("yyyy-LL-dd'T'HH:mm"));
    await admin.getByTestId('save-when').click();
    await admin.getByTestId('panel-message').filter({ hasText: 'Rescheduled' }).waitFor();
    await shot('post-panel', admin);
    expect(new Date((await workflowState(bobs)).scheduledAt).toISOString()).toBe(new Date(moved.toUTC().toISO()!).toISOString());
    await adminContext.close();
  });
});

describe('posts table', () => {
  test('edit a post and cancel another from the table; a change made elsewhere shows up without a reload', async () => {
    const at = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
    const editMe = await createPost(alice.key, 'Original words', at);
    const cancelMe = await createPost(alice.key, 'Cancel me please', at.plus({ hours: 1 }));
    const elsewhere = await createPost(alice.key, 'Canceled from the API', at.plus({ hours: 2 }));
    // A post that failed (as the workflow writes it when LinkedIn refuses the connection).
    const failed = newPostDoc(
      {
        postId: 'fa11ed0000000000000000aa',
        accountId: alice.accountId,
        authorId: alice.memberId,
        source: 'api',
        text: 'Went nowhere',
        tone: 'professional',
        language: 'en',
        targets: [{ kind: 'linkedin' }],
        scheduledAt: at.minus({ days: 5 }).toUTC().toISO()!,
        timeZone: ZONE,
        requireApproval: false,
      },
      new Date(),
    );
    await stack.db.posts.insertOne({
      ...failed,
      status: 'failed',
      reason: 'LinkedIn refused the token (401): the connection expired. Your credit was refunded.',
    });
    await page.getByTestId('nav-posts').click();
    await page.getByTestId(`row-${editMe}`).waitFor();

    await page.getByTestId('filter-search').fill('Original');
    await page.getByTestId(`row-${cancelMe}`).waitFor({ state: 'detached' });
    await page.getByTestId(`row-${editMe}`).waitFor();
    await page.getByTestId('filter-search').fill('');
    await page.getByTestId(`row-${cancelMe}`).waitFor();
    // The failed one says why and what to do.
    const failedRow = page.getByTestId(`row-${failed._id}`);
    await expect(failedRow.innerText()).resolves.toMatch(/LinkedIn refused the token[\s\S]*Reconnect LinkedIn/);
    await page.getByTestId('filter-status').selectOption('failed');
    await page.getByTestId(`row-${editMe}`).waitFor({ state: 'detached' });
    await failedRow.waitFor();
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId(`row-${cancelMe}`).waitFor();
    await shot('posts');

    await page.getByTestId(`open-${editMe}`).click();
    await page.getByTestId('edit-content').fill('Better words, edited in the dashboard');
    await page.getByTestId('edit-hashtags').fill('dashboard calendar');
    await page.getByTestId('save-text').click();
    await page.getByTestId('panel-message').filter({ hasText: 'Saved' }).waitFor();
    expect(await workflowState(editMe)).toMatchObject({ content: 'Better words, edited in the dashboard', hashtags: ['dashboard', 'calendar'] });
    await page.getByTestId('panel-close').click();

    await page.getByTestId(`cancel-${cancelMe}`).click();
    await page.getByTestId(`confirm-cancel-${cancelMe}`).click();
    await page.getByTestId('posts-message').filter({ hasText: 'Canceled' }).waitFor();
    await page.locator(`[data-testid="row-${cancelMe}"][data-status="canceled"]`).waitFor();
    expect((await workflowState(cancelMe)).status).toBe('canceled');

    // Live: canceled through the API, the row changes within a few seconds, no reload.
    const res = await fetch(`${stack.apiUrl}/v1/posts/${elsewhere}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice.key}` } });
    expect(res.status).toBe(200);
    await page.locator(`[data-testid="row-${elsewhere}"][data-status="canceled"]`).waitFor({ timeout: 10_000 });
  });
});

describe('credits', () => {
  test('buying a pack opens the Stripe Checkout session made through stripe-mock', async () => {
    await page.getByTestId('nav-credits').click();
    await page.getByTestId('ledger').waitFor();
    await shot('credits');
    const pack = stack.config.CREDIT_PACKS[0]!;
    const navigation = page.waitForRequest((r) => r.isNavigationRequest() && !r.url().startsWith(stack.apiUrl));
    await page.getByTestId(`buy-${pack.id}`).click();
    const checkoutUrl = (await navigation).url();
    const purchase = await eventually(() => stack.db.purchases.findOne({ accountId: alice.accountId }), { what: 'purchase recorded' });
    expect(purchase).toMatchObject({ packId: pack.id, status: 'open' });
    expect(checkoutUrl).toMatch(/^https:\/\//);
    await page.waitForURL(checkoutUrl);
    await page.goBack();
  });
});

describe('compose and phone width', () => {
  test('compose streams a draft and schedules it; the pages work at phone width', async () => {
    await page.goto(`${stack.apiUrl}/app/compose`);
    await page.getByTestId('compose-topic').fill('What a calendar teaches a scheduler');
    await page.getByTestId('compose-linkedin').uncheck();
    await page.getByTestId('compose-webhook').fill(sink.hookUrl);
    await page.getByTestId('compose-write').click();
    await page.getByTestId('compose-schedule').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await shot('compose');
    await page.getByTestId('compose-schedule').click();
    await page.getByTestId('post-panel').waitFor();
    await page.getByTestId('panel-close').click();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('nav-posts').click();
    await page.getByTestId('posts-table').waitFor();
    await shot('posts-phone');
    await page.getByTestId('nav-calendar').click();
    await page.locator('.rbc-calendar').waitFor();
    await shot('calendar-phone');
    const width = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(400);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('schedule and series pages', () => {
  beforeAll(() => signIn(page, { memberId: alice.memberId, isAdmin: false }));

  test('Schedule: none yet, set weekly times in the browser’s zone, the API’s reasons shown when refused, and a queued post shows in the calendar', async () => {
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('schedule-none').waitFor();
    // No schedule yet: the zone starts as the browser's.
    await expect(page.getByTestId('schedule-zone').inputValue()).resolves.toBe(BROWSER_ZONE);

    // With every time removed the API refuses (at least one slot), and the page says why.
    await page.getByTestId('schedule-save').click();
    await page
      .getByTestId('schedule-message')
      .filter({ hasText: /Not saved: .*give at least one slot/ })
      .waitFor();

    for (const [day, time] of [
      ['mon', '08:30'],
      ['mon', '12:00'],
      ['tue', '08:30'],
      ['wed', '08:30'],
    ] as const) {
      await page.getByTestId(`add-time-${day}`).fill(time);
      await page.getByTestId(`add-${day}`).click();
      await page.getByTestId(`slot-${day}-${time}`).waitFor();
    }
    await page.getByTestId('remove-mon-12:00').click();
    await page.getByTestId('slot-mon-12:00').waitFor({ state: 'detached' });
    await page.getByTestId('schedule-zone').selectOption(ZONE);
    await page.getByTestId('schedule-save').click();
    await page.getByTestId('schedule-message').filter({ hasText: 'Saved' }).waitFor();
    const saved = await stack.db.postingSchedules.findOne({ _id: alice.accountId });
    expect(saved).toMatchObject({ timeZone: ZONE, slots: [{ days: ['mon', 'tue', 'wed'], times: ['08:30'] }] });
    await page.getByTestId('next-slots').waitFor();
    await expect(page.getByTestId('next-slots').innerText()).resolves.toMatch(/(Mon|Tue|Wed) .*08:30/);
    await shot('schedule');

    // A post added to the queue is in the calendar like any other, at its slot.
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Queued for the next free slot', targets: [{ kind: 'webhook', url: sink.hookUrl }], when: 'queue', timeZone: ZONE }),
    });
    expect(res.status).toBe(202);
    const { id, scheduledAt } = (await res.json()) as { id: string; scheduledAt: string };
    await eventually(async () => (await stack.db.posts.findOne({ _id: id }))?.status === 'scheduled', { what: 'the queued post scheduled' });
    expect(DateTime.fromISO(scheduledAt, { zone: ZONE }).toFormat('HH:mm')).toBe('08:30');
    const event = await openCalendarWeekWith(id);
    await expect(event.innerText()).resolves.toMatch(/^0?8:30 AM/);
    await expect(page.getByTestId(`event-${id}`).getAttribute('data-status')).resolves.toBe('scheduled');
  });

  test('Series: create a weekly series, see its next runs, pause, resume, run now and delete it', async () => {
    await page.getByTestId('nav-series').click();
    await page.getByTestId('new-series').waitFor();
    // Refused first (no target): the API's reason is shown.
    await page.getByTestId('series-theme').fill('Our engineering culture');
    await page.getByTestId('series-linkedin').uncheck();
    await page.getByTestId('series-create').click();
    await page
      .getByTestId('series-error')
      .filter({ hasText: /give at least one target/ })
      .waitFor();

    await page.getByTestId('series-webhook').fill(sink.hookUrl);
    await page.getByTestId('series-day-thu').check();
    await page.getByTestId('series-time').fill('09:15');
    await page.getByTestId('series-approval').uncheck();
    await page.getByTestId('series-create').click();
    await page.getByTestId('series-message').filter({ hasText: 'Created' }).waitFor();
    const doc = await eventually(() => stack.db.series.findOne({ accountId: alice.accountId }), { what: 'the series stored' });
    expect(doc).toMatchObject({ source: 'web', theme: 'Our engineering culture', requireApproval: false, timeZone: BROWSER_ZONE });
    expect(doc.recurrence).toEqual({ kind: 'weekly', days: ['mon', 'thu'], time: '09:15' });
    const card = page.getByTestId(`series-${doc._id}`);
    // Next runs in the account's zone (Berlin), 09:15 in New York.
    const expected = DateTime.now().setZone(BROWSER_ZONE).set({ hour: 9, minute: 15 }).setZone(ZONE).toFormat('HH:mm');
    await expect(card.getByTestId('series-next').innerText()).resolves.toContain(expected);
    await shot('series');

    const handle = stack.env.client.schedule.getHandle(seriesScheduleId(doc._id));
    await card.getByTestId(`pause-${doc._id}`).click();
    await card.getByTestId('series-paused').waitFor();
    expect((await handle.describe()).state.paused).toBe(true);
    await card.getByTestId(`resume-${doc._id}`).click();
    await card.getByTestId('series-next').waitFor();
    expect((await handle.describe()).state.paused).toBe(false);

    const before = (await handle.describe()).info.numActionsTaken;
    await card.getByTestId(`run-${doc._id}`).click();
    await card.getByTestId(`confirm-run-${doc._id}`).click();
    await page.getByTestId('series-message').filter({ hasText: 'Started an occurrence' }).waitFor();
    await eventually(async () => (await handle.describe()).info.numActionsTaken > before, { what: 'the occurrence started' });

    await card.getByTestId(`delete-${doc._id}`).click();
    await card.getByTestId(`confirm-delete-${doc._id}`).click();
    await card.waitFor({ state: 'detached' });
    await expect(handle.describe()).rejects.toThrow(/not found/i);
    expect(await stack.db.series.findOne({ _id: doc._id })).toBeNull();
  });
});

describe('README', () => {
  test('the calendar with a week of posts, for docs/screenshots/dashboard-calendar.png', async () => {
    const id = await createPost(alice.key, 'Our roadmap for next quarter', DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 13, minute: 0 }));
    // A draft waiting for approval, so the week shows more than one colour.
    const res = await fetch(`${stack.apiUrl}/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        topic: 'Hiring: two engineers for the platform team',
        requireApproval: true,
        targets: [{ kind: 'webhook', url: sink.hookUrl }],
        scheduledAt: DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 11, minute: 0 }).toUTC().toISO(),
        timeZone: ZONE,
      }),
    });
    const draftId = ((await res.json()) as { id: string }).id;
    await eventually(async () => (await stack.db.posts.findOne({ _id: draftId }))?.status === 'draft', { what: 'the draft written' });
    await openCalendarWeekWith(id);
    await eventBox(draftId).waitFor();
    await shot('calendar-week');
    fs.mkdirSync(path.join(root, 'docs/screenshots'), { recursive: true });
    fs.copyFileSync(path.join(SCREENSHOTS, 'dashboard-calendar-week.png'), path.join(root, 'docs/screenshots/dashboard-calendar.png'));
  });
});
