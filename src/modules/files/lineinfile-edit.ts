/**
 * Ansible's lineinfile algorithm (ansible-core 2.14 lineinfile.py present()/absent()) as a pure
 * function on the file's text. Lines keep their endings like Python's readlines().
 */
import { expandTemplate, pythonRegex, searchLine as search } from '../../python/re.js';

export type LineinfileParams = {
  state?: 'present' | 'absent';
  regexp?: string;
  search_string?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

interface LineinfileEdit {
  content: string;
  changed: boolean;
  msg: string;
  /** state=absent: number of removed lines. */
  found?: number;
}

function readLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const rstripNl = (s: string) => s.replace(/[\r\n]+$/, '');
const endsWithNewline = (s: string) => s.endsWith('\n') || s.endsWith('\r');

export function lineinfilePresent(text: string, p: LineinfileParams): LineinfileEdit {
  const lines = readLines(text);
  const line = p.line ?? '';
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const bre = p.regexp !== undefined ? pythonRegex(p.regexp) : undefined;
  let breIns: RegExp | undefined;
  if (insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF') breIns = pythonRegex(insertafter);
  else if (insertbefore !== undefined && insertbefore !== 'BOF') breIns = pythonRegex(insertbefore);

  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  if (bre) {
    for (const [n, cur] of lines.entries()) {
      const found = search(bre, cur);
      if (found) { index[0] = n; match = found; if (p.firstmatch) break; }
    }
  }
  if (p.search_string !== undefined) {
    for (const [n, cur] of lines.entries()) {
      if (cur.includes(p.search_string)) { index[0] = n; match = true; if (p.firstmatch) break; }
    }
  }
  if (!match) {
    for (const [n, cur] of lines.entries()) {
      if (line === rstripNl(cur)) {
        index[0] = n;
      } else if (breIns && search(breIns, cur)) {
        if (insertafter) { index[1] = n + 1; if (p.firstmatch) break; }
        if (insertbefore) { index[1] = n; if (p.firstmatch) break; }
      }
    }
  }

  let msg = '';
  let changed = false;
  const add = (at: number) => { lines.splice(at, 0, `${line}\n`); msg = 'line added'; changed = true; };
  if (index[0] !== -1) {
    let newLine = p.backrefs && match && typeof match !== 'boolean' ? expandTemplate(match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    // (Python's insertafter/insertbefore branch for index[0] != -1 without any match is unreachable.)
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (p.backrefs) {
    // backrefs=yes and no match: leave the file alone
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    add(0);
  } else if (insertafter === 'EOF' || index[1] === -1) {
    if (lines.length && !endsWithNewline(lines[lines.length - 1])) lines.push('\n');
    lines.push(`${line}\n`);
    msg = 'line added';
    changed = true;
  } else if (insertafter && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (rstripNl(lines[index[1] - 1]) !== line) { lines.push(`${line}\n`); msg = 'line added'; changed = true; }
    } else if (line !== rstripNl(lines[index[1]])) {
      add(index[1]);
    }
  } else {
    add(index[1]);
  }
  return { content: lines.join(''), changed, msg };
}

export function lineinfileAbsent(text: string, p: LineinfileParams): LineinfileEdit {
  const bre = p.regexp !== undefined ? pythonRegex(p.regexp) : undefined;
  let found = 0;
  const kept = readLines(text).filter((cur) => {
    let hit: boolean;
    if (bre) hit = !!search(bre, cur);
    else if (p.search_string !== undefined) hit = cur.includes(p.search_string);
    else hit = p.line === rstripNl(cur);
    if (hit) found++;
    return !hit;
  });
  return { content: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
