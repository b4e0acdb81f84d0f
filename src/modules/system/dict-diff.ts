/** The default callback's rendering of a dict in a diff: json.dumps(sort_keys=True, indent=4) + newline. */
export function dictDiffText(d: Record<string, unknown>): string {
  return `${JSON.stringify(Object.fromEntries(Object.entries(d).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))), null, 4)}\n`;
}
