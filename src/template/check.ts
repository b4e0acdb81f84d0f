/**
 * Load-time check of a template string or file: it must compile, and every filter and test it
 * names must exist (Jinja2 resolves them when compiling, so Ansible reports them as template
 * errors). Lets the playbook loader reject bad templates before any host is touched.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { TemplateSyntaxError, type TemplateOrigin } from './errors.js';
import { FILTERS } from './filters.js';
import { compileTree, NunjucksEnvironment, parseTemplate, syntaxError } from './jinja.js';
import { nodes } from './nunjucks-internals.js';
import { rewriteSource } from './source.js';
import { TESTS } from './tests.js';

/** How the string is used: a variable/argument value, a template file's text, a bare expression (when:). */
type TemplateUse = 'vars' | 'text' | 'expr';

// Lexer options as the templater's environment has them (only they affect parsing).
const env = new NunjucksEnvironment([], { autoescape: false, trimBlocks: true, lstripBlocks: false });
const withBuiltin = (names: string[]) => [...names, ...names.map((n) => `ansible.builtin.${n}`)];
const FILTER_NAMES = new Set([...Object.keys(env.filters), ...withBuiltin(Object.keys(FILTERS))]);
const TEST_NAMES = new Set([...Object.keys(env.tests), ...withBuiltin(Object.keys(TESTS))]);

const checked = new Set<string>();

/** Whether the templater would template this string at all (`{{`, `{%` or `{#`). */
export function hasTemplateMarkers(value: string): boolean {
  return value.includes('{{') || value.includes('{%') || value.includes('{#');
}

/**
 * Throws TemplateSyntaxError (an InputError: exit 4) at `origin` (file, line of the string's
 * first line) when `source` cannot compile or names an unknown filter or test.
 */
export function checkTemplate(source: string, use: TemplateUse, origin: TemplateOrigin): void {
  const key = `${use}\0${source}`;
  if (checked.has(key)) return;
  const lineOffset = (origin.line ?? 1) - 1;
  let text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  if (use === 'expr') text = `{{ ${text} }}`;
  else if (text.endsWith('\n')) text = text.slice(0, -1);
  const where = (line: number | undefined) => ({ file: origin.file, line: line === undefined ? undefined : line + lineOffset });
  // As the templater words it: the text of a template string is shown, a file's is not.
  const shown = (reason: string) => (use === 'text' ? reason : `${reason.replace(/\.$/, '')}. String: ${source}`);
  let root: any;
  try {
    const rewritten = rewriteSource(text, use === 'vars');
    root = parseTemplate(env, rewritten, origin.file);
    compileTree(root, origin.file, rewritten);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw new TemplateSyntaxError(shown(err.reason), { ...where(err.line), cause: err.cause });
    if (err instanceof RangeError) throw new TemplateSyntaxError(shown('template nested too deeply'), where(1));
    const e = syntaxError(err, origin.file, 0, text);
    throw new TemplateSyntaxError(shown(e.reason), { ...where(e.line), cause: err });
  }
  const unknown = (kind: string, name: string, node: any) =>
    new TemplateSyntaxError(shown(`template error while templating string: No ${kind} named '${name}'.`), where(node.lineno + 1));
  for (const node of root.findAll(nodes.Filter) as any[]) {
    if (!FILTER_NAMES.has(node.name.value)) throw unknown('filter', node.name.value, node);
  }
  for (const node of root.findAll(nodes.Is) as any[]) {
    const name = String(node.right.name ? node.right.name.value : node.right.value);
    if (!TEST_NAMES.has(name)) throw unknown('test', name, node);
  }
  if (checked.size > 10_000) checked.clear();
  checked.add(key);
}
