/**
 * Text that is not valid Unicode is refused at every boundary, never altered.
 *
 * JavaScript strings are UTF-16 and may hold an unpaired surrogate (U+D800–U+DFFF): JSON allows one as a
 * `\ud800` escape, and JSON.parse keeps it. Such a string has no UTF-8 form: SQLite, a PDF, a GB18030
 * printer or TextEncoder each replace it with U+FFFD, so a name stored or printed would differ from the
 * name submitted without anyone being told. Each entry point therefore checks a parsed value with
 * `findIllFormedText` and answers a bad request instead (ECMAScript `String.prototype.isWellFormed`
 * semantics; WHATWG Encoding "scalar value string").
 */

/** With the `u` flag a surrogate pair is one code point, so only an unpaired surrogate matches. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** True when `text` is a sequence of Unicode scalar values (no unpaired surrogate). */
export function isWellFormedText(text: string): boolean {
  return !UNPAIRED_SURROGATE.test(text);
}

/**
 * Walks a parsed JSON value (objects, arrays, strings; keys too) and returns the path of the first string
 * that is not valid Unicode, e.g. `form.name`, or null when every string is well formed. Depth is bounded
 * by the caller's parser (JSON.parse of a bounded body), so the walk is iterative to be safe anyway.
 */
export function findIllFormedText(value: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const current = item.value;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) return item.path || '(root)';
    } else if (Array.isArray(current)) {
      current.forEach((entry, index) => stack.push({ value: entry, path: `${item.path}[${index}]` }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, entry] of Object.entries(current)) {
        const path = item.path ? `${item.path}.${key}` : key;
        if (!isWellFormedText(key)) return path;
        stack.push({ value: entry, path });
      }
    }
  }
  return null;
}
