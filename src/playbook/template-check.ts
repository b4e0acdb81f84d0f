/**
 * Load-time template checks (before any host is touched): every template string written in a
 * play, task, block, role entry or role vars file must compile and name only known filters and
 * tests; a template/copy task's literal `src` must exist, and a template file must compile too.
 * Strings built at run time (templated names, host data) are not seen here and are not checked.
 */
import { readFileSync } from 'node:fs';
import { checkTemplate, hasTemplateMarkers } from '../template/check.js';
import { TemplateSyntaxError } from '../template/errors.js';
import { errorAt, isMap, type YamlMap } from './fields.js';
import { findLocalFile, localCandidates, notFoundMessage } from './local-files.js';
import type { RoleInstance, SourcePos } from './model.js';
import { keyPositionOf } from '../yaml/positions.js';

/** Keywords holding Jinja expressions (no braces), as Ansible's conditionals. */
const CONDITION_KEYS = new Set(['when', 'changed_when', 'failed_when', 'until']);
/** Keywords whose values are not templated (names) or are checked where they are parsed (task lists). */
const SKIPPED_KEYS = new Set(['block', 'rescue', 'always', 'tasks', 'pre_tasks', 'post_tasks', 'handlers', 'roles', 'register']);

type Use = 'value' | 'condition';

const ASSERT = /^(?:ansible\.(?:builtin|legacy)\.)?assert$/;

/**
 * Checks the templates of one play/task/block/role-entry mapping as written. `actionKey` is the
 * task's module key, so assert's `that:` is checked as conditions.
 */
export function checkKeywordTemplates(map: YamlMap, file: string, actionKey?: string): void {
  for (const [key, value] of Object.entries(map)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const pos = keyPositionOf(map, key) ?? { file, line: 1, column: 1 };
    if (key === actionKey && ASSERT.test(key) && isMap(value)) {
      for (const [arg, v] of Object.entries(value)) checkValue(v, arg === 'that' ? 'condition' : 'value', keyPositionOf(value, arg) ?? pos);
    } else {
      checkValue(value, CONDITION_KEYS.has(key) ? 'condition' : 'value', pos);
    }
  }
}

/** Checks every template string in a vars mapping (role defaults/vars, vars files). */
export function checkVarsTemplates(vars: YamlMap, file: string): void {
  checkValue(vars, 'value', { file, line: 1, column: 1 });
}

function checkValue(value: unknown, use: Use, pos: SourcePos): void {
  if (typeof value === 'string') checkString(value, use, pos);
  else if (Array.isArray(value)) value.forEach((v, i) => checkValue(v, use, keyPositionOf(value, String(i)) ?? pos));
  else if (isMap(value)) for (const [k, v] of Object.entries(value)) checkValue(v, use, keyPositionOf(value, k) ?? pos);
}

function checkString(text: string, use: Use, pos: SourcePos): void {
  // A condition with braces is templated first and its result evaluated: only the template is known now.
  if (hasTemplateMarkers(text)) checkTemplate(text, 'vars', pos);
  else if (use === 'condition' && text !== '') checkTemplate(text, 'expr', pos);
}

/**
 * A template/copy task's literal `src` must exist on the controller (searched as at run time),
 * and a template file must compile: the error names the task's `src` and the template's line.
 * Run after the arguments are validated (`module` is the canonical name).
 */
export function checkLocalSource(module: string, args: YamlMap, argsPos: SourcePos, role: RoleInstance | undefined, playDir: string): void {
  if (module !== 'template' && module !== 'copy') return;
  const src = args['src'];
  if (typeof src !== 'string' || src === '' || hasTemplateMarkers(src)) return;
  if (module === 'copy' && !isFalse(args['remote_src'])) return; // src is on the host
  const pos = keyPositionOf(args, 'src') ?? argsPos;
  const candidates = localCandidates(src, module === 'template' ? 'templates' : 'files', role, playDir);
  const found = findLocalFile(candidates);
  if (!found) throw errorAt(notFoundMessage(src, candidates), pos);
  if (module !== 'template') return;
  try {
    checkTemplate(readFileSync(found, 'utf8'), 'text', { file: found, line: 1 });
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    throw errorAt(`template ${err.file}:${err.line ?? 1}: ${err.message}`, pos);
  }
}

function isFalse(value: unknown): boolean {
  return value === undefined || value === null || value === false || (typeof value === 'string' && /^(?:no|false|n|off|0)$/i.test(value));
}
