// Finds LinkedIn's post editor wherever it is: in the page, or inside the open shadow root of one
// of LinkedIn's overlay hosts (#interop-outlet), which document.querySelector cannot see into.
import type { SelectorTable } from './selectors';

export type SearchRoot = Document | ShadowRoot;

export interface Composer {
  editor: HTMLElement;
  /** Our button goes right after this element. */
  anchor: Element;
  /** The document or shadow root the editor lives in (its selection is the one to use). */
  root: SearchRoot;
}

/** The page, and the open shadow roots of the overlay hosts (and any open roots nested in them). */
export function searchRoots(table: SelectorTable, doc: Document = document): SearchRoot[] {
  const roots: SearchRoot[] = [doc];
  for (let i = 0; i < roots.length && roots.length < 20; i++) {
    for (const sel of table.shadowHosts) {
      for (const host of Array.from(roots[i]!.querySelectorAll(sel))) {
        if (host.shadowRoot && !roots.includes(host.shadowRoot)) roots.push(host.shadowRoot);
      }
    }
  }
  return roots;
}

const visible = (el: HTMLElement): boolean => el.isConnected && el.getClientRects().length > 0;

export function findComposer(table: SelectorTable, doc: Document = document): Composer | null {
  for (const root of searchRoots(table, doc)) {
    for (const sel of table.editors) {
      for (const editor of Array.from(root.querySelectorAll<HTMLElement>(sel))) {
        if (!visible(editor)) continue;
        return { editor, anchor: anchorFor(editor, table), root };
      }
    }
  }
  return null;
}

/** After the editor's wrapper, never inside it: the editor library owns and re-renders its own DOM. */
function anchorFor(editor: HTMLElement, table: SelectorTable): Element {
  for (const sel of table.anchors) {
    const a = editor.closest(sel);
    if (a) return a;
  }
  return editor;
}

/** The "Start a post" control, if this page has one. */
export function findStartPost(table: SelectorTable, doc: Document = document): HTMLElement | null {
  for (const sel of table.startPost) {
    const el = doc.querySelector<HTMLElement>(sel);
    if (el && visible(el)) return el;
  }
  const byText = Array.from(doc.querySelectorAll<HTMLElement>('button, [role="button"]')).find((b) => /^\s*start a post\s*$/i.test(b.textContent ?? ''));
  return byText ?? null;
}

/** The modal <dialog> the page is showing, if any: everything outside it is inert, so our panel goes inside. */
export function topModalDialog(table: SelectorTable, doc: Document = document): HTMLDialogElement | null {
  let top: HTMLDialogElement | null = null;
  for (const root of searchRoots(table, doc)) {
    for (const d of Array.from(root.querySelectorAll('dialog'))) {
      if (d.matches(':modal')) top = d;
    }
  }
  return top;
}
