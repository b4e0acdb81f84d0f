/** Python `re` patterns run by JS RegExp (named groups, \A \Z, a leading inline-flag group). */
export function pythonRegex(pattern: string): RegExp {
  let flags = '';
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
