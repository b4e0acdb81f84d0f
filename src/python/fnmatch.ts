/**
 * Python's fnmatch (3.11 fnmatch.translate): `*`, `?`, `[seq]`, `[!seq]`; every other character
 * matches itself. Case-sensitive, as fnmatch.fnmatch is on POSIX (where Ansible runs it).
 */

const STAR = Symbol('*');
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** The whole name must match the glob. */
export function fnmatch(name: string, glob: string): boolean {
  return fnmatchRegExp(glob).test(name);
}

export function fnmatchRegExp(glob: string): RegExp {
  const pieces = translatePieces(Array.from(glob));
  return new RegExp(`^${joinStars(pieces)}$`, 'su');
}

function translatePieces(pat: string[]): Array<string | typeof STAR> {
  const res: Array<string | typeof STAR> = [];
  const n = pat.length;
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      if (res[res.length - 1] !== STAR) res.push(STAR);
    } else if (c === '?') {
      res.push('.');
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        res.push('\\[');
        continue;
      }
      const stuff = bracket(pat, i, j);
      i = j + 1;
      if (!stuff) res.push('(?!)'); // empty range: never matches
      else if (stuff === '!') res.push('.'); // negated empty range: any character
      else if (stuff[0] === '!') res.push(`[^${stuff.slice(1)}]`);
      else res.push(`[${stuff[0] === '^' ? '\\' : ''}${stuff}]`);
    } else {
      res.push(c.replace(SYNTAX, '\\$&'));
    }
  }
  return res;
}

/** The body of `[...]` (pat[i..j)) for a RegExp class: ranges kept, empty ranges dropped. */
function bracket(pat: string[], i: number, j: number): string {
  const escape = (s: string) => s.replace(/[\\\]]/g, '\\$&');
  const stuff = pat.slice(i, j);
  if (!stuff.includes('-')) return escape(stuff.join(''));
  const chunks: string[][] = [];
  let k = pat[i] === '!' ? i + 2 : i + 1;
  for (;;) {
    k = pat.indexOf('-', k);
    if (k < 0 || k >= j) break;
    chunks.push(pat.slice(i, k));
    i = k + 1;
    k = k + 3;
  }
  const last = pat.slice(i, j);
  if (last.length) chunks.push(last);
  else chunks[chunks.length - 1]!.push('-');
  for (let m = chunks.length - 1; m > 0; m--) {
    const prev = chunks[m - 1]!;
    if (prev[prev.length - 1]!.codePointAt(0)! > chunks[m]![0]!.codePointAt(0)!) {
      chunks[m - 1] = [...prev.slice(0, -1), ...chunks[m]!.slice(1)];
      chunks.splice(m, 1);
    }
  }
  return chunks.map((s) => escape(s.join('')).replace(/-/g, '\\-')).join('-');
}

/**
 * `fixed*fixed*...`: each interior `*fixed` is Python's atomic `(?>.*?fixed)`, written as a
 * lookahead plus back-reference so a glob with many stars cannot backtrack exponentially.
 */
function joinStars(pieces: Array<string | typeof STAR>): string {
  let out = '';
  let i = 0;
  while (i < pieces.length && pieces[i] !== STAR) out += pieces[i++] as string;
  let group = 0;
  while (i < pieces.length) {
    i++; // the STAR
    let fixed = '';
    while (i < pieces.length && pieces[i] !== STAR) fixed += pieces[i++] as string;
    if (i === pieces.length) out += `.*${fixed}`;
    else out += `(?=(.*?${fixed}))\\${++group}`;
  }
  return out;
}
