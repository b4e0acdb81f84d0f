/**
 * Where a host's Falco writes its alerts, from its effective configuration: falco.yaml, then
 * the `config_files` it lists (a directory's files in byte order), merged at the ROOT KEY only
 * as Falco >= 0.41 does (strategy append: lists appended, everything else replaced; override;
 * add-only). A drop-in that sets `file_output:` replaces the whole map.
 */
import { parseDocument } from 'yaml';
import { checkYamlDocument, checkYamlText } from '../yaml/guard.js';

export interface ConfigFile {
  path: string;
  text: string;
}

interface AlertOutputs {
  /** file_output.filename when file_output is enabled. */
  file?: string;
  jsonOutput: boolean;
  /** Files that were read, in merge order (falco.yaml first). */
  files: string[];
  /** Files that could not be parsed (skipped, as their keys are unknown). */
  problems: string[];
  /** config_files entries not among the files read (the caller reads them and asks again). */
  missing: string[];
}

type Strategy = 'append' | 'override' | 'add-only';
interface Entry {
  path: string;
  strategy: Strategy;
}

export const MAIN_CONFIG = '/etc/falco/falco.yaml';

function parseMapping(file: ConfigFile): Record<string, unknown> {
  checkYamlText(file.text);
  const doc = parseDocument(file.text, { uniqueKeys: false });
  checkYamlDocument(doc);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message.split('\n')[0]);
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error('the root is not a map');
  return data as Record<string, unknown>;
}

function includeEntries(main: Record<string, unknown>): Entry[] {
  const raw = main.config_files;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.flatMap((e): Entry[] => {
    if (typeof e === 'string') return [{ path: e, strategy: 'append' }];
    if (e && typeof e === 'object' && typeof (e as { path?: unknown }).path === 'string') {
      const s = (e as { strategy?: unknown }).strategy;
      return [{ path: (e as { path: string }).path, strategy: s === 'override' || s === 'add-only' ? s : 'append' }];
    }
    return [];
  });
}

function filesOf(entry: Entry, read: ConfigFile[]): ConfigFile[] {
  const exact = read.find((f) => f.path === entry.path);
  if (exact) return [exact];
  const dir = entry.path.replace(/\/+$/, '') + '/';
  const inside = read.filter((f) => f.path.startsWith(dir) && !f.path.slice(dir.length).includes('/'));
  return inside.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function merge(into: Record<string, unknown>, data: Record<string, unknown>, strategy: Strategy): void {
  for (const [key, value] of Object.entries(data)) {
    if (key === 'config_files') continue; // ignored in included files, as Falco does
    const present = key in into;
    if (strategy === 'add-only' && present) continue;
    const old = into[key];
    into[key] = strategy === 'append' && Array.isArray(old) && Array.isArray(value) ? [...old, ...value] : value;
  }
}

/**
 * `read`: falco.yaml and every file the probe found under the config_files entries (absent
 * entries are skipped, as Falco skips them). `covered`: the entries the probe looked at.
 */
export function alertOutputs(read: ConfigFile[], covered: string[]): AlertOutputs {
  const problems: string[] = [];
  const mainFile = read.find((f) => f.path === MAIN_CONFIG);
  const result: AlertOutputs = { jsonOutput: false, files: [], problems, missing: [] };
  if (!mainFile) return { ...result, problems: [`${MAIN_CONFIG} is missing`] };
  const config: Record<string, unknown> = {};
  const load = (f: ConfigFile): Record<string, unknown> | undefined => {
    try {
      const data = parseMapping(f);
      result.files.push(f.path);
      return data;
    } catch (err) {
      problems.push(`${f.path}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const main = load(mainFile);
  if (!main) return result;
  Object.assign(config, main);
  for (const entry of includeEntries(main)) {
    if (!covered.includes(entry.path)) {
      result.missing.push(entry.path);
      continue;
    }
    for (const f of filesOf(entry, read)) {
      const data = load(f);
      if (data) merge(config, data, entry.strategy);
    }
  }
  const fileOutput = config.file_output as { enabled?: unknown; filename?: unknown } | undefined;
  if (fileOutput && fileOutput.enabled === true && typeof fileOutput.filename === 'string') result.file = fileOutput.filename;
  result.jsonOutput = config.json_output === true;
  return result;
}
