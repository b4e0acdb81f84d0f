/** Ansible's replace algorithm (ansible-core 2.14 replace.py main()) as a pure function on the file's text. */
import { expandTemplate, pythonRegex } from '../../python/re.js';
import type { TextEdit } from './text-edit.js';

export type ReplaceParams = {
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
}

/** Python's re.subn(pattern, template, text) with re.MULTILINE. */
function subn(pattern: string, template: string, text: string): [string, number] {
  let n = 0;
  const out = text.replace(pythonRegex(pattern, 'gm'), (...args: unknown[]) => {
    n++;
    const groups = args.at(-1);
    const index = args.findIndex((x) => typeof x === 'number');
    const m = Object.assign(args.slice(0, index) as string[], { index: args[index] as number, input: text, groups: typeof groups === 'object' ? groups as Record<string, string> : undefined });
    return expandTemplate(m as RegExpExecArray, template);
  });
  return [out, n];
}

/** `sectionMissing`: after/before did not match; Ansible then exits at once (no attribute changes). */
export function replaceEdit(contents: string, p: ReplaceParams): TextEdit & { sectionMissing?: boolean } {
  let pattern = '';
  if (p.after && p.before) pattern = `${p.after}(?P<subsection>.*?)${p.before}`;
  else if (p.after) pattern = `${p.after}(?P<subsection>.*)`;
  else if (p.before) pattern = `(?P<subsection>.*)${p.before}`;
  let start = 0;
  let end = contents.length;
  if (pattern) {
    const m = pythonRegex(pattern, 'sd').exec(contents);
    const span = m?.indices?.groups?.subsection;
    if (!span) return { content: contents, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}`, sectionMissing: true };
    [start, end] = span;
  }
  const section = contents.slice(start, end);
  const [replaced, n] = subn(p.regexp, p.replace ?? '', section);
  if (n === 0 || replaced === section) return { content: contents, changed: false, msg: '' };
  return { content: contents.slice(0, start) + replaced + contents.slice(end), changed: true, msg: `${n} replacements made` };
}
