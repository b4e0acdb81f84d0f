/** `key=value` lines -> record (first `=` splits; later duplicates win; other lines ignored). */
export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    out[line.slice(0, i)] = line.slice(i + 1).replace(/\r$/, '');
  }
  return out;
}
