// Claude streams a tool call's input as fragments of JSON. The panel wants the post's text as it
// grows, so this pulls the "content" string out of the fragments seen so far, escapes and all.
export class ContentExtractor {
  private json = '';
  private emitted = 0;

  /** Adds a fragment and returns the newly decoded part of "content" (may be empty). */
  push(fragment: string): string {
    this.json += fragment;
    const decoded = decodeGrowingString(this.json, 'content');
    if (decoded === undefined || decoded.length <= this.emitted) return '';
    const fresh = decoded.slice(this.emitted);
    this.emitted = decoded.length;
    return fresh;
  }

  get text(): string {
    return this.json;
  }
}

/** The decoded value of a top-level string field, as far as it has arrived. */
export function decodeGrowingString(json: string, field: string): string | undefined {
  const m = new RegExp(`"${field}"\\s*:\\s*"`).exec(json);
  if (!m) return undefined;
  let out = '';
  for (let i = m.index + m[0].length; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"') return out;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = json[i + 1];
    if (next === undefined) return out; // the escape is split across fragments: wait for the rest
    if (next === 'u') {
      const hex = json.slice(i + 2, i + 6);
      if (hex.length < 4) return out;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
    i += 1;
  }
  return out;
}
