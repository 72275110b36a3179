// A draft longer than one text box of a chat app (Slack: 3,000 characters, Discord: 4,000) is
// edited in several boxes. Pure, so both bots cut and join the same way.

/**
 * A draft in parts of at most `max` characters, cut at the last paragraph break, else line break,
 * else space inside each window (a hard cut only for a single unbroken run); the separators are
 * kept apart so saving joins the parts back into exactly the text that was shown.
 */
export function splitForInputs(text: string, max: number): { parts: string[]; joins: string[] } {
  const parts: string[] = [];
  const joins: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 2);
    let cut = -1;
    let sep = '';
    for (const candidate of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(candidate, max);
      if (at > 0) {
        cut = at;
        sep = candidate;
        break;
      }
    }
    if (cut < 0) {
      cut = max;
      sep = '';
    }
    parts.push(rest.slice(0, cut));
    joins.push(sep);
    rest = rest.slice(cut + sep.length);
  }
  parts.push(rest);
  return { parts, joins };
}

/** The text back from the parts' inputs; a part emptied by the editor takes its separator with it. */
export function joinParts(parts: string[], joins: string[]): string {
  let out = '';
  parts.forEach((part, i) => {
    if (!part) return;
    out += out ? (joins[i - 1] ?? '\n\n') + part : part;
  });
  return out;
}
