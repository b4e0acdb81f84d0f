/** Python's str.splitlines() line boundaries. */
const BOUNDARY = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;

/** str.splitlines(keepends): no empty last element for a final line break. */
export function pySplitlines(text: string, keepends = false): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    out.push(text.slice(start, keepends ? end : m.index));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
