// Reading a LinkedIn fixture page from the test: our button counted through shadow roots, the
// editor's own model (the fixture's __fixture API runs in the page's world), waiting for text.
import type { Locator, Page } from 'playwright-core';

interface FixtureView {
  modelText: string | null;
  postEnabled: boolean | null;
  triggerInsertions: number;
  opens: number;
}

// The page-side code is a string: the test's TypeScript has no DOM types (it runs in Node).
const COUNT_TRIGGERS = `(() => {
  const skip = new Set(['postforge-trigger', 'postforge-app']);
  const count = (root) => root.querySelectorAll('postforge-trigger').length +
    Array.from(root.querySelectorAll('*')).reduce((n, el) => n + (el.shadowRoot && !skip.has(el.localName) ? count(el.shadowRoot) : 0), 0);
  return count(document);
})()`;

/** How many "Write with PostForge" buttons the page holds, looking inside every open shadow root. */
export function countTriggers(page: Page): Promise<number> {
  return page.evaluate<number>(COUNT_TRIGGERS);
}

/** Samples the count for a while: a flicker or a duplicate shows up as anything but `expected`. */
export async function triggerCountsOver(page: Page, ms: number): Promise<number[]> {
  const seen: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    seen.push(await countTriggers(page));
    await page.waitForTimeout(40);
  }
  return seen;
}

export function fixture(page: Page): Promise<FixtureView> {
  return page.evaluate<FixtureView>(`(() => {
    const f = window.__fixture;
    return { modelText: f.modelText(), postEnabled: f.postEnabled(), triggerInsertions: f.triggerInsertions, opens: f.opens };
  })()`);
}

/** Types into the fixture's editor (inside #interop-outlet's shadow root for the classic one) as a person would. */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await page.locator('[componentkey="ShareBox_textEditor"], .ql-editor').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** Waits for the element's text to match; on timeout says what the text was. */
export async function expectText(locator: Locator, re: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    // Flex layout splits innerText into lines; what a person reads is one line.
    last = (
      (await locator
        .first()
        .innerText({ timeout: 1000 })
        .catch(() => '')) ?? ''
    )
      .replace(/\s+/g, ' ')
      .trim();
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected text matching ${re}, last saw: ${JSON.stringify(last)}`);
}
