// The editor's text as its model holds it: Quill and ProseMirror render each line as a block, and
// an empty line as a block holding only <br>; innerText would add a blank line per paragraph.
export function editorText(editor: HTMLElement): string {
  const blocks = Array.from(editor.children);
  if (!blocks.length) return (editor.textContent ?? '').replace(/\u00a0/g, ' ');
  return blocks
    .map((b) => (b.childNodes.length === 1 && b.firstChild?.nodeName === 'BR' ? '' : (b.textContent ?? '')))
    .join('\n')
    .replace(/\u00a0/g, ' ')
    .replace(/[\u200b\ufeff]/g, '');
}

/** Whitespace-insensitive form used to confirm text stuck (editors may normalise spaces). */
export const normalized = (s: string): string => s.replace(/\s+/g, ' ').trim();

export const isEmptyEditor = (editor: HTMLElement): boolean => normalized(editorText(editor)) === '';
