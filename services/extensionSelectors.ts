// The LinkedIn selector table the browser extension merges in front of its built-in defaults
// (extension/src/lib/composer/selectors.ts). When LinkedIn changes its composer markup, a new
// entry here reaches every installed extension within hours (its cache), without a store release.
// Entries may only ADD selectors: the extension keeps its defaults after these.

export interface ExtensionSelectorTable {
  version: number;
  editors: string[];
  anchors: string[];
  shadowHosts: string[];
  startPost: string[];
}

export const EXTENSION_SELECTORS: ExtensionSelectorTable = {
  version: 1,
  // Seen on LinkedIn in 2026 (see test/browser/fixtures/linkedin/sources.md); the extension's
  // defaults carry the same, so this starts as a no-op and is where a fix goes first.
  editors: ['[componentkey="ShareBox_textEditor"][contenteditable="true"]'],
  anchors: ['[data-testid="ui-core-tiptap-text-editor-wrapper"]'],
  shadowHosts: ['#interop-outlet'],
  startPost: ['[aria-label="Start a post" i]'],
};
