// Puts text into LinkedIn's editor the way typing would. Setting textContent alone leaves Quill's
// model (and so LinkedIn's Post button) unaware; execCommand goes through the browser's editing
// pipeline and fires the beforeinput/input events the editor listens to.

export function insertIntoEditor(editor: HTMLElement, text: string): boolean {
  editor.focus();
  const sel = window.getSelection();
  if (sel) {
    const range = document.createRange();
    range.selectNodeContents(editor);
    // Replace an empty editor (Quill keeps a placeholder <p><br></p>); otherwise add after what is there.
    if (editor.innerText.trim() !== '') range.collapse(false);
    sel.removeAllRanges();
    sel.addRange(range);
  }
  const prefix = editor.innerText.trim() !== '' ? '\n\n' : '';
  if (document.execCommand('insertText', false, prefix + text)) return true;
  return pasteInto(editor, prefix + text);
}

/** Editors that ignore execCommand usually still handle a paste. */
function pasteInto(editor: HTMLElement, text: string): boolean {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const handled = !editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  if (handled) return true;
  editor.textContent = text;
  editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  return false;
}

/** The draft as it goes into a post: the text, then its hashtags unless the text already has them. */
export function draftText(draft: { content: string; hashtags: string[] }): string {
  const missing = draft.hashtags.filter((h) => !new RegExp(`#${h}\\b`, 'i').test(draft.content));
  return missing.length ? `${draft.content}\n\n${missing.map((h) => `#${h}`).join(' ')}` : draft.content;
}
