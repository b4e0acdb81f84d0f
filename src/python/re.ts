/** Python `re` patterns run by JS RegExp (named groups, \A \Z, a leading inline-flag group). */
export function pythonRegex(pattern: string, extraFlags = ''): RegExp {
  let flags = extraFlags;
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
  return new RegExp(src, flags);
}

/** Python `re.search` on one readlines() line: `$` also matches before the final "\n". */
export function searchLine(re: RegExp, line: string): RegExpExecArray | null {
  return re.exec(line.endsWith('\n') ? line.slice(0, -1) : line);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's Match.expand(template): \1, \g<1>, \g<name>, and \n-style escapes. */
export function expandTemplate(m: RegExpExecArray, template: string): string {
  return template.replace(/\\(g<([^>]+)>|\d{1,2}|.)/gs, (all, what: string, g: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? '';
    if (/^\d+$/.test(what)) return m[Number(what)] ?? '';
    if (what in ESCAPES) return ESCAPES[what];
    return all;
  });
}
