/** Python `re` patterns and replacement strings translated to JavaScript RegExp. */
interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  global?: boolean;
}

const cache = new Map<string, RegExp>();

function pySource(pattern: string): string {
  return pattern
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
}

export function pyRegex(pattern: string, flags: RegexFlags = {}): RegExp {
  const f = `${flags.global ? 'g' : ''}${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}u`;
  const key = f + '\0' + pattern;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new RegExp(pySource(pattern), f);
    } catch {
      re = new RegExp(pySource(pattern), f.replace('u', ''));
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Python replacement template (`\1`, `\g<name>`, `\n`) expanded for one match. */
export function expandReplacement(template: string, m: RegExpExecArray | string[], groups?: Record<string, string | undefined>): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|([\\ntr]))|([^\\]+|\\)/g, (_all, gname: string | undefined, num: string | undefined, esc: string | undefined, lit: string | undefined) => {
    if (lit !== undefined) return lit;
    if (esc !== undefined) return ({ '\\': '\\', n: '\n', t: '\t', r: '\r' } as Record<string, string>)[esc]!;
    const key = gname ?? num!;
    if (/^\d+$/.test(key)) return m[Number(key)] ?? '';
    return groups?.[key] ?? '';
  });
}
