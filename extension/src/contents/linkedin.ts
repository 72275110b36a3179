// The content script on LinkedIn: finds the post composer in all its variants (new TipTap dialog,
// classic Quill in #interop-outlet's shadow root, old light-DOM Quill) and mounts PostForge there.
import type { PlasmoCSConfig } from 'plasmo';
import { bg } from '~lib/bg';
import { DEFAULT_SELECTORS, mergeSelectors, type SelectorTable } from '~lib/composer/selectors';
import { watchComposer } from '~lib/composer/watch';
import { mountPostForge } from '~ui/mount';
import { createPageStore } from '~ui/store';

export const config: PlasmoCSConfig = {
  matches: ['https://www.linkedin.com/*'],
  run_at: 'document_idle',
};

let table: SelectorTable = DEFAULT_SELECTORS;
let watcher: ReturnType<typeof watchComposer> | undefined;
const store = createPageStore(() => watcher?.scanNow() ?? null);
const place = mountPostForge(store, () => table);
watcher = watchComposer(() => table, place);

// The API's newer selector table, when it has one (cached by the service worker): rescan with it.
void bg.selectors().then((r) => {
  if (!r.ok) return;
  table = mergeSelectors(r.data);
  watcher?.scanNow();
});
