// Every guess about LinkedIn's composer markup lives in this table: stable hooks only (componentkey,
// data-testid, roles, aria labels, the editors' own library classes), never LinkedIn's hashed class
// names. LinkedIn changes its markup more often than we can ship releases, so the API can serve a
// newer table (GET /v1/extension/selectors); it is merged in front of these built-in defaults, so a
// remote table can add a selector but never take away one that works.

export interface SelectorTable {
  /** Bumped by whoever edits the remote table; shown in diagnostics. */
  version: number;
  /** The post editor, most specific first. Each is tried in the page and in the open shadow roots below. */
  editors: string[];
  /** The editor's wrapper our button goes after (first ancestor that matches); its parent otherwise. */
  anchors: string[];
  /** Elements whose open shadow roots LinkedIn renders overlays into (the classic composer). */
  shadowHosts: string[];
  /** The "Start a post" control, for "Open LinkedIn's composer". */
  startPost: string[];
}

export const DEFAULT_SELECTORS: SelectorTable = {
  version: 1,
  editors: [
    // New share box (2026): TipTap in a native <dialog data-testid="dialog">.
    '[componentkey="ShareBox_textEditor"][contenteditable="true"]',
    'dialog [data-testid="ui-core-tiptap-text-editor-wrapper"] [role="textbox"][contenteditable="true"]',
    // Classic share box: Quill, in #interop-outlet's shadow root or (older accounts) the page.
    '[role="dialog"] .ql-editor[contenteditable="true"]',
    '[role="dialog"] [data-test-ql-editor-contenteditable="true"][contenteditable="true"]',
  ],
  anchors: ['[data-testid="ui-core-tiptap-text-editor-wrapper"]', '.ql-container'],
  shadowHosts: ['#interop-outlet', '[data-testid="interop-shadowdom"]'],
  startPost: ['[aria-label="Start a post" i]', '.share-box-feed-entry__trigger'],
};

const KEYS = ['editors', 'anchors', 'shadowHosts', 'startPost'] as const;

/** A selector the browser cannot parse would throw on every scan; such entries are dropped. */
function parses(selector: string): boolean {
  try {
    // Typed loosely: this module is also unit-tested in Node, where there is no DOM.
    (globalThis as unknown as { document: { createDocumentFragment(): { querySelector(s: string): unknown } } }).document
      .createDocumentFragment()
      .querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The remote table's valid entries first, then the defaults it does not repeat. */
export function mergeSelectors(remote: unknown, defaults: SelectorTable = DEFAULT_SELECTORS, valid: (selector: string) => boolean = parses): SelectorTable {
  if (!remote || typeof remote !== 'object') return defaults;
  const r = remote as Record<string, unknown>;
  const out: SelectorTable = { ...defaults, version: typeof r.version === 'number' ? r.version : defaults.version };
  for (const key of KEYS) {
    const extra = Array.isArray(r[key]) ? (r[key] as unknown[]).filter((s): s is string => typeof s === 'string' && s.length < 500 && valid(s)) : [];
    out[key] = [...new Set([...extra, ...defaults[key]])];
  }
  return out;
}
