/**
 * Python's `shlex.split(line, comments=...)` in POSIX mode, as Ansible uses it: INI host lines
 * (comments on), command module args and ansible_ssh_common_args (comments off). Throws
 * Python's messages ('No closing quotation', 'No escaped character').
 */
export function shlexSplit(line: string, opts: { comments?: boolean } = {}): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false; // a token is open (possibly empty, when it was quoted)
  let i = 0;
  const flush = () => {
    if (inToken) tokens.push(token);
    token = '';
    inToken = false;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      flush();
      i++;
    } else if (c === '#' && opts.comments) {
      break; // a comment, also right after a word
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('No escaped character');
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else if (c === "'" || c === '"') {
      inToken = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('No closing quotation');
        const q = line[i];
        if (q === c) {
          i++;
          break;
        }
        if (c === '"' && q === '\\') {
          if (i + 1 >= line.length) throw new Error('No closing quotation');
          const next = line[i + 1];
          token += next === '"' || next === '\\' ? next : q + next;
          i += 2;
          continue;
        }
        token += q;
        i++;
      }
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  flush();
  return tokens;
}
