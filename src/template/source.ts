/**
 * Source rewriting before nunjucks lexes a template, so string literals mean what they mean
 * in Jinja2 under Ansible:
 *  - Python escapes: unknown escapes keep their backslash ('\d' is backslash-d), \xNN/\uNNNN work;
 *  - Ansible's escape_backslashes (variable templating, not the template module): backslashes in
 *    string literals inside `{{ }}` are literal ('a\d' -> a\d, '\n' -> backslash-n).
 */
function rewriteLiteral(body: string, literalBackslashes: boolean, quote: string): string {
  if (literalBackslashes) {
    // Ansible doubled every backslash; Jinja then read \\ as \, so the text is literal,
    // except that a doubled backslash before the quote still ends the string.
    return body.replace(/\\/g, '\\\\');
  }
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (_m, esc: string) => {
    if ('ntr\\\'"'.includes(esc)) return '\\' + esc;
    if (esc.length > 1) {
      const ch = String.fromCodePoint(parseInt(esc.slice(1), 16));
      return ch === '\\' || ch === quote ? '\\' + ch : ch;
    }
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
    return simple[esc] ?? '\\\\' + esc;
  });
}

/** Rewrites string literals inside `{{ }}` and `{% %}` tags; text, comments and raw blocks untouched. */
export function rewriteSource(src: string, escapeBackslashes: boolean): string {
  if (!src.includes('\\') && !src.includes('{#') && !/\{%\+|\+%\}/.test(src) && !/\}\s*\}[^]*\}\}/.test(src)) {
    return src;
  }
  let out = '';
  let i = 0;
  while (i < src.length) {
    const open = src.slice(i).search(/\{[{%#]/);
    if (open < 0) {
      out += src.slice(i);
      break;
    }
    out += src.slice(i, i + open);
    i += open;
    const kind = src[i + 1];
    if (kind === '#') {
      const end = src.indexOf('#}', i + 2);
      let stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop);
      // trim_blocks: Jinja also drops the newline after a comment; nunjucks only after blocks.
      if (src[stop] === '\n' && src[stop - 3] !== '+') stop++;
      i = stop;
      continue;
    }
    if (kind === '%' && /^\{%-?\s*raw\s*-?%\}/.test(src.slice(i))) {
      const end = /\{%-?\s*endraw\s*-?%\}/.exec(src.slice(i));
      const stop = end ? i + end.index + end[0].length : src.length;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    const close = kind === '{' ? '}}' : '%}';
    out += src.slice(i, i + 2);
    i += 2;
    // `{%+`: no-op without lstrip_blocks; nunjucks does not know it.
    if (kind === '%' && src[i] === '+') i++;
    let keepNewline = false;
    // Jinja balances brackets, so `{{ {'a': {}} }}` ends at the last `}}`; nunjucks would stop
    // at the first one, so a space is put between a dict's closing brace and the next `}`.
    let depth = 0;
    while (i < src.length && !(depth === 0 && src.startsWith(close, i))) {
      const ch = src[i]!;
      if (kind === '%' && ch === '+' && depth === 0 && src.startsWith('%}', i + 1)) {
        // `+%}` keeps the newline trim_blocks would remove: an empty output stops the trim.
        keepNewline = true;
        i++;
        continue;
      }
      if (ch === '{' || ch === '[' || ch === '(') depth++;
      if ((ch === '}' || ch === ']' || ch === ')') && depth > 0) {
        depth--;
        out += ch;
        if (ch === '}' && src[i + 1] === '}') out += ' ';
        i++;
        continue;
      }
      if (ch === '"' || ch === "'") {
        let j = i + 1;
        while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
        const body = src.slice(i + 1, j);
        out += ch + rewriteLiteral(body, escapeBackslashes && kind === '{', ch) + (j < src.length ? ch : '');
        i = j + 1;
      } else {
        out += ch;
        i++;
      }
    }
    if (keepNewline && src.startsWith('%}\n', i)) {
      out += '%}{{ "" }}';
      i += 2;
    }
  }
  return out;
}
