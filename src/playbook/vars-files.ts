/**
 * vars_files at run time (entries may be templated per host): a plain entry must exist; a list
 * entry takes the first candidate that exists (Ansible's "first found" vars_files form).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { isMap } from './fields.js';
import type { Play, VarsFileEntry } from './model.js';
import { loadAnsibleYaml } from '../yaml/load.js';

/** `rendered` is the entry after templating; relative paths are relative to the play's file. */
export function resolveVarsFileEntry(rendered: VarsFileEntry, play: Pick<Play, 'baseDir' | 'source'>): string {
  const candidates = (Array.isArray(rendered) ? rendered : [rendered]).map((f) => (isAbsolute(f) ? f : resolve(play.baseDir, f)));
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  const what = candidates.length > 1 ? `none of the vars_files candidates exist: ${candidates.join(', ')}` : `vars file ${candidates[0]} not found`;
  throw new InputError(what, { ...play.source });
}

/** Loads one vars file (a mapping; empty file = no variables). */
export function loadVarsFile(path: string): Record<string, unknown> {
  const data = loadAnsibleYaml(path);
  if (data === null) return {};
  if (!isMap(data)) throw new InputError('a vars file must hold a mapping of variable names to values', { file: path, line: 1, column: 1 });
  return data;
}
