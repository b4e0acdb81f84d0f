/**
 * Python's `int(text, 0)`: the number as a Python integer literal would be read (sign, 0x/0o/0b
 * prefixes, underscores between digits, surrounding whitespace); undefined where Python raises
 * ValueError (e.g. "0600": a leading zero is no octal in Python 3).
 */
export function intBase0(text: string): number | undefined {
  const m = /^\s*([-+]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0(?:_?0)*)\s*$/.exec(text);
  if (!m) return undefined;
  const body = m[2]!.replace(/_/g, '');
  const prefix = body.slice(0, 2).toLowerCase();
  const radix = prefix === '0x' ? 16 : prefix === '0o' ? 8 : prefix === '0b' ? 2 : 10;
  const n = parseInt(radix === 10 ? body : body.slice(2), radix);
  return m[1] === '-' ? -n : n;
}
