// Puts text into LinkedIn's editor the way typing would, then reads it back. Assigning
// textContent/innerHTML is ignored by TipTap and leaves Quill's model (and LinkedIn's Post button)
// unaware, so there is no such fallback: execCommand goes through the browser's editing pipeline,
// which fires the beforeinput/input events and DOM changes both editors build their model from.
import type { SearchRoot } from './composer/find';
import { editorText, normalized } from './composer/editorText';

export type InsertMode = 'replace' | 'append';

export interface InsertResult {
  ok: boolean;
  /** What the editor holds afterwards, as its model sees it. */
  text: string;
  attempts: number;
}

/** The selection that owns the editor: a shadow root has its own in Chromium. */
function selectionFor(root: SearchRoot): Selection | null {
  const own = (root as ShadowRoot & { getSelection?: () => Selection | null }).getSelection;
  return (typeof own === 'function' ? own.call(root) : null) ?? window.getSelection();
}

function select(editor: HTMLElement, root: SearchRoot, collapseToEnd: boolean): void {
  editor.focus();
  const sel = selectionFor(root);
  if (!sel) return;
  const range = document.createRange();
  range.selectNodeContents(editor);
  if (collapseToEnd) range.collapse(false);
  sel.removeAllRanges();
  sel.addRange(range);
}

/** Line by line: a newline is Enter (a new paragraph), as when the author types it. */
function type(text: string): void {
  text.split('\n').forEach((line, i) => {
    if (i > 0) document.execCommand('insertParagraph');
    if (line) document.execCommand('insertText', false, line);
  });
}

const settle = () => new Promise<void>((r) => setTimeout(r, 60));

/**
 * Replace: the editor ends up holding exactly `text`. Append: after what is there, a blank line
 * apart. Confirmed by reading the editor back; tried twice (the second time from a clean select-all,
 * so a half-applied first try cannot leave doubles); `ok: false` means the caller offers Copy.
 */
export async function insertIntoEditor(editor: HTMLElement, root: SearchRoot, text: string, mode: InsertMode): Promise<InsertResult> {
  const before = editorText(editor);
  const wanted = mode === 'append' && normalized(before) ? `${before.replace(/\s+$/, '')}\n\n${text}` : text;
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt === 1 && mode === 'append' && normalized(before)) {
      select(editor, root, true);
      type(`\n\n${text}`);
    } else {
      select(editor, root, false);
      type(wanted);
    }
    await settle();
    const now = editorText(editor);
    if (normalized(now) === normalized(wanted)) return { ok: true, text: now, attempts: attempt };
    if (!editor.isConnected) return { ok: false, text: now, attempts: attempt };
  }
  return { ok: false, text: editorText(editor), attempts: 2 };
}

/** The draft as it goes into a post: the text, then its hashtags unless the text already has them. */
export function draftText(draft: { content: string; hashtags: string[] }): string {
  const missing = draft.hashtags.filter((h) => !new RegExp(`#${h}\\b`, 'i').test(draft.content));
  return missing.length ? `${draft.content}\n\n${missing.map((h) => `#${h}`).join(' ')}` : draft.content;
}
