/** A file's text inside a line-based probe output: a marker line, then its base64 on one line. */
export const printFileAfter = (marker: string, pathVar: string) => `echo ${marker}; base64 < "$${pathVar}" | tr -d "\\n"; echo`;

/** The text printed by printFileAfter, or undefined when the marker is not in `lines` (from index `from`). */
export function fileTextAfter(lines: string[], marker: string, from = 0): string | undefined {
  const at = lines.indexOf(marker, from);
  return at < 0 ? undefined : Buffer.from(lines[at + 1] ?? '', 'base64').toString('utf8');
}
