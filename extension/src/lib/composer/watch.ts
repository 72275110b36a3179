// Keeps an eye on the page for LinkedIn's composer: one MutationObserver on the page and on every
// open overlay shadow root it finds (#interop-outlet), SPA navigations (pushState does not fire
// popstate, so the Navigation API and a cheap URL check cover it), and a debounced scan, so a
// burst of LinkedIn re-renders costs one lookup and our button moves at most once.
import { findComposer, searchRoots, type Composer } from './find';
import type { SelectorTable } from './selectors';

export const OUR_TAGS = new Set(['postforge-trigger', 'postforge-app']);

export interface ComposerWatcher {
  /** Scans now (cancelling a pending scan) and returns what it found. */
  scanNow(): Composer | null;
  stop(): void;
}

/** Mutations that only move our own hosts must not trigger another scan, or we would chase ourselves. */
function onlyOurs(records: MutationRecord[]): boolean {
  return records.every((r) => [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)].every((n) => n instanceof Element && OUR_TAGS.has(n.localName)));
}

export function watchComposer(table: () => SelectorTable, onScan: (c: Composer | null) => void, debounceMs = 120): ComposerWatcher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observed = new WeakSet<Node>();
  const mo = new MutationObserver((records) => {
    if (!onlyOurs(records)) schedule();
  });
  const observe = (root: Node) => {
    if (observed.has(root)) return;
    observed.add(root);
    mo.observe(root, { childList: true, subtree: true });
  };
  function scanNow(): Composer | null {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const t = table();
    // A shadow root that appeared since the last scan (LinkedIn attaches #interop-outlet's lazily).
    for (const root of searchRoots(t)) observe(root);
    const found = findComposer(t);
    onScan(found);
    return found;
  }
  function schedule(): void {
    if (!timer) timer = setTimeout(scanNow, debounceMs);
  }

  observe(document.documentElement);
  window.addEventListener('popstate', schedule);
  const nav = (window as unknown as { navigation?: EventTarget }).navigation;
  nav?.addEventListener('navigatesuccess', schedule);
  let href = location.href;
  const poll = setInterval(() => {
    if (location.href !== href) {
      href = location.href;
      schedule();
    }
  }, 500);
  scanNow();

  return {
    scanNow,
    stop() {
      mo.disconnect();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      window.removeEventListener('popstate', schedule);
      nav?.removeEventListener('navigatesuccess', schedule);
    },
  };
}
