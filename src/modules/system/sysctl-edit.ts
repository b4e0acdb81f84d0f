/**
 * ansible.posix.sysctl's decision (SysctlModule.process, collection 1.5.4), pure: from the file's
 * text and the kernel's current value, what changes and what the file becomes.
 */
import { BOOLEANS_FALSE, BOOLEANS_TRUE, pyStrip } from '../../python/boolean.js';

export type SysctlParams = {
  name: string;
  value?: string | null;
  state: 'present' | 'absent';
  reload: boolean;
  sysctl_set: boolean;
};

interface SysctlDecision {
  changed: boolean;
  /** Run `sysctl -w name=value`. */
  setProc: boolean;
  /** The whole new file text, when the file must be rewritten. */
  writeFile?: string;
  /** Run `sysctl -p file`. */
  reload: boolean;
}

/** _parse_value: booleans words become 1/0, other text is stripped. */
export function sysctlValueOf(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const lower = value.toLowerCase();
  if (BOOLEANS_TRUE.includes(lower)) return '1';
  if (BOOLEANS_FALSE.includes(lower)) return '0';
  return pyStrip(value);
}

/** _values_is_equal: the same whitespace-separated words. */
function sameWords(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = a.split(/\s+/).filter(Boolean);
  const y = b.split(/\s+/).filter(Boolean);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

/** Python text-mode readlines() (universal newlines), each line stripped. */
function strippedLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map(pyStrip);
}

const isSetting = (line: string) => line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=');

function splitSetting(line: string): [string, string] {
  const i = line.indexOf('=');
  return [pyStrip(line.slice(0, i)), pyStrip(line.slice(i + 1))];
}

/** fix_lines + write_sysctl: the first line of each key is kept (the managed key's updated or dropped), later duplicates dropped. */
function fixedText(lines: string[], name: string, value: string, present: boolean): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    if (!isSetting(line)) {
      out.push(line);
      continue;
    }
    const [k, v] = splitSetting(line);
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${v}`);
    else if (present) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`);
  return out.map((l) => `${pyStrip(l)}\n`).join('');
}

/** `fileText` undefined: no such file. `procValue` null: sysctl could not read the key. */
export function decideSysctl(p: SysctlParams, fileText: string | undefined, procValue: string | null): SysctlDecision {
  const name = pyStrip(p.name);
  const value = sysctlValueOf(p.value);
  const present = p.state === 'present';
  const lines = strippedLines(fileText ?? '');
  const fileValues = new Map<string, string>();
  for (const line of lines) if (isSetting(line)) fileValues.set(...splitSetting(line));
  const fileValue = fileValues.get(name) ?? null;

  let changed = false;
  let write = false;
  if (fileValue === null) {
    changed = write = present;
  } else if (fileValue !== '' && !present) {
    changed = write = true;
  } else if (fileValue !== value) {
    changed = write = true;
  } else if (p.reload && !sameWords(procValue, value)) {
    changed = true;
  }
  let setProc = false;
  if (p.sysctl_set && present && !sameWords(procValue, value)) {
    changed = true;
    setProc = procValue !== null;
  }
  return { changed, setProc, writeFile: write ? fixedText(lines, name, value, present) : undefined, reload: changed && p.reload };
}
