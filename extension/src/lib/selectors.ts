// LinkedIn's composer, found by roles and aria labels. LinkedIn hashes its class names and
// reshuffles its markup often, so every guess about its DOM lives in this one module, ordered from
// most to least specific; when LinkedIn changes, this is the file to fix.

/** The post editor: a Quill contenteditable inside the "Create a post" dialog. */
export const EDITOR_SELECTORS = [
  '[role="dialog"] div.ql-editor[contenteditable="true"][role="textbox"]',
  '[role="dialog"] [role="textbox"][contenteditable="true"][aria-label*="post" i]',
  '[role="dialog"] [role="textbox"][contenteditable="true"][aria-label*="content" i]',
  '[role="dialog"] div.ql-editor[contenteditable="true"]',
] as const;

/** Our button goes after Quill's container, not inside it: Quill re-renders whatever it owns. */
const EDITOR_CONTAINER = '.ql-container';

export function findEditor(root: ParentNode = document): HTMLElement | null {
  for (const sel of EDITOR_SELECTORS) {
    const el = root.querySelector<HTMLElement>(sel);
    if (el && el.isConnected) return el;
  }
  return null;
}

export function findComposerDialog(editor: HTMLElement | null = findEditor()): HTMLElement | null {
  return editor?.closest<HTMLElement>('[role="dialog"]') ?? null;
}

/** Where the "Write with PostForge" button is mounted: right after the editor's container. */
export function findAnchor(): Element | null {
  const editor = findEditor();
  if (!editor) return null;
  return editor.closest(EDITOR_CONTAINER) ?? editor;
}
