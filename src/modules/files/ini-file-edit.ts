/**
 * community.general.ini_file's line editor (do_ini, collection 9.5), pure: the module works on lines,
 * not on a parsed config (comments, order and spacing are kept), so it is its own algorithm.
 */
import { pyStrip } from '../../python/boolean.js';

export interface SectionCondition {
  option: string;
  values: string[];
}

export interface IniFileParams {
  section?: string | null;
  section_has_values?: SectionCondition[] | null;
  option?: string | null;
  /** `value` or `values`, as the module merges them. */
  values: string[];
  state: 'present' | 'absent';
  exclusive: boolean;
  no_extra_spaces: boolean;
  ignore_spaces: boolean;
  allow_no_value: boolean;
  modify_inactive_option: boolean;
}

interface IniFileEdit {
  content: string;
  changed: boolean;
  msg: string;
}

/** The module's own name for the part of the file before any section. */
const FAKE_SECTION = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';
const BLANK_OR_COMMENT = /^[ \t]*([#;][^\n]*)?\n?$/;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * re.match of the module's option patterns on a line ending in "\n": group 1 is the comment mark,
 * group 7 the value. Python's `$` also matches before the final newline and `.` stops at "\n" only.
 */
function optionMatch(option: string, line: string, activeOnly: boolean): RegExpExecArray | null {
  const re = new RegExp(`^(${activeOnly ? '' : '[#;]?'})( |\\t)*(${escapeRe(option)})( |\\t)*(=|(?=\\n?$))( |\\t)*([^\\n]*)`);
  return re.exec(line);
}

/** Python text-mode readlines() of a utf-8-sig file: BOM dropped, newlines universal. */
function readLines(text: string): string[] {
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function sectionHasValues(conditions: SectionCondition[] | null | undefined, lines: string[]): boolean {
  for (const c of conditions ?? []) {
    const found = lines.some((line) => {
      const m = optionMatch(c.option, line, false);
      return m !== null && (c.values.length === 0 || c.values.includes(m[7]));
    });
    if (!found) return false;
  }
  return true;
}

/** `fileText` undefined: the file does not exist (create). */
export function iniFileEdit(fileText: string | undefined, p: IniFileParams): IniFileEdit {
  const option = p.option ?? undefined;
  const values = p.values.filter((v, i) => p.values.indexOf(v) === i);
  const lines = readLines(fileText ?? '');
  let changed = false;
  if (lines.length === 0) lines.push('\n');
  if (!lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n';
    changed = true;
  }
  lines.unshift(`[${FAKE_SECTION}]`);
  lines.push('[');
  const section = p.section ? p.section : FAKE_SECTION;
  const assignment = (o: string, v: string) => (p.no_extra_spaces ? `${o}=${v}\n` : `${o} = ${v}\n`);
  const sectionPattern = new RegExp(`^\\[\\s*${escapeRe(pyStrip(section))}\\s*]`);

  let within = false;
  let start = 0;
  let end = 0;
  for (const [index, line] of lines.entries()) {
    if (within && line.startsWith('[')) {
      if (sectionHasValues(p.section_has_values, lines.slice(start, index))) {
        end = index;
        break;
      }
      within = false;
      start = end = 0;
    }
    if (sectionPattern.test(line)) {
      within = true;
      start = index;
    }
  }
  const before = lines.slice(0, start);
  let sectionLines = lines.slice(start, end);
  const after = lines.slice(end);
  const changedLines = sectionLines.map(() => false);
  const matches = (o: string, line: string) => optionMatch(o, line, !p.modify_inactive_option);
  let msg = 'OK';
  let noValuePresent = false;

  const update = (index: number, newline: string) => {
    let optionChanged: boolean | undefined;
    if (p.ignore_spaces) {
      const old = optionMatch(option!, sectionLines[index], false)!;
      if (!old[1]) optionChanged = old[7] !== optionMatch(option!, newline, false)![7];
    }
    optionChanged ??= sectionLines[index] !== newline;
    if (optionChanged) {
      sectionLines[index] = newline;
      changed = true;
      msg = 'option changed';
    }
    changedLines[index] = true;
  };

  if (p.state === 'present' && option) {
    for (const [index, line] of sectionLines.entries()) {
      const m = matches(option, line);
      if (!m) continue;
      if (values.length && values.includes(m[7])) {
        const matched = m[7];
        if (!matched && p.allow_no_value) {
          update(index, `${option}\n`);
          noValuePresent = true;
        } else {
          update(index, assignment(option, matched));
        }
        values.splice(values.indexOf(matched), 1);
      } else if (!values.length && p.allow_no_value) {
        update(index, `${option}\n`);
        noValuePresent = true;
        break;
      }
    }
  }

  if (p.state === 'present' && p.exclusive && !p.allow_no_value) {
    if (values.length > 0) {
      for (const [index, line] of sectionLines.entries()) {
        if (!changedLines[index] && option !== undefined && matches(option, line)) {
          update(index, assignment(option, values.shift()!));
          if (values.length === 0) break;
        }
      }
    }
    for (let index = sectionLines.length - 1; index > 0; index--) {
      if (!changedLines[index] && option !== undefined && matches(option, sectionLines[index])) {
        sectionLines.splice(index, 1);
        changedLines.splice(index, 1);
        changed = true;
        msg = 'option changed';
      }
    }
  }

  if (p.state === 'present') {
    for (let index = sectionLines.length; index > 0; index--) {
      if (BLANK_OR_COMMENT.test(sectionLines[index - 1])) continue;
      if (option && values.length) {
        sectionLines.splice(index, 0, ...values.map((v) => assignment(option, v)));
        msg = 'option added';
        changed = true;
      } else if (option && !values.length && p.allow_no_value && !noValuePresent) {
        sectionLines.splice(index, 0, `${option}\n`);
        msg = 'option added';
        changed = true;
      }
      break;
    }
  }

  if (p.state === 'absent') {
    if (option) {
      const keep = p.exclusive
        ? (line: string) => !optionMatch(option, line, true)
        : (line: string) => !(optionMatch(option, line, true) && values.includes(optionMatch(option, line, true)![7]));
      if (p.exclusive || values.length > 0) {
        const kept = sectionLines.filter(keep);
        if (kept.length !== sectionLines.length) {
          changed = true;
          msg = 'option changed';
          sectionLines = kept;
        }
      }
    } else if (sectionLines.length) {
      sectionLines = [];
      msg = 'section removed';
      changed = true;
    }
  }

  const out = [...before, ...sectionLines, ...after].slice(1, -1);
  if (!within && p.state === 'present') {
    out.push(`[${section}]\n`);
    msg = 'section and option added';
    for (const c of p.section_has_values ?? []) {
      if (c.option !== option) {
        if (c.values.length > 0) out.push(...c.values.map((v) => assignment(c.option, v)));
        else if (p.allow_no_value) out.push(`${c.option}\n`);
      } else if (!p.exclusive) {
        for (const v of c.values) if (!values.includes(v)) values.push(v);
      }
    }
    if (option && values.length) out.push(...values.map((v) => assignment(option, v)));
    else if (option && !values.length && p.allow_no_value) out.push(`${option}\n`);
    else msg = 'only section added';
    changed = true;
  }
  return { content: out.join(''), changed, msg };
}
