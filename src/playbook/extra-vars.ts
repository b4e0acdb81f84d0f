/**
 * `-e` values as Ansible reads them (utils/vars.py load_extra_vars): `@file` loads a YAML/JSON
 * file, text starting with { or [ is YAML/JSON, anything else is k=v pairs whose values are
 * strings. Later values win (shallow merge).
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { isMap } from './fields.js';
import { ArgSplitError, parseKv } from '../template/kv.js';
import { loadAnsibleYaml, parseAnsibleYaml } from '../yaml/load.js';

export function parseExtraVars(values: readonly string[], cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const value of values) Object.assign(out, parseOne(value, cwd));
  return out;
}

function parseOne(value: string, cwd: string): Record<string, unknown> {
  const text = value.trim();
  if (text === '') return {};
  if (text.startsWith('@')) {
    const file = resolve(cwd, text.slice(1));
    const data = loadAnsibleYaml(file);
    if (data === null) return {};
    if (!isMap(data)) throw new InputError(`extra vars file must hold a mapping of variables`, { file, line: 1, column: 1 });
    return data;
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    const data = parseAnsibleYaml(text, '<-e argument>');
    if (!isMap(data)) throw new InputError(`-e ${JSON.stringify(value)}: extra vars must be a mapping, not a list`);
    return data;
  }
  let kv: Record<string, string>;
  try {
    kv = parseKv(text, false);
  } catch (err) {
    if (err instanceof ArgSplitError) throw new InputError(`-e ${JSON.stringify(value)}: ${err.message}`);
    throw err;
  }
  if ('_raw_params' in kv) {
    throw new InputError(`-e ${JSON.stringify(value)}: '${kv['_raw_params']}' is not key=value (use -e key=value, -e '{"key": ...}' or -e @file.yml)`);
  }
  return kv;
}
