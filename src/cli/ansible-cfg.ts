import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Where settings are looked up: the process environment, working directory and home by default. */
export interface ConfigSources {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  /** The system config directory holding the last-resort ansible.cfg; /etc/ansible unless a test gives another. */
  systemDir?: string;
}

const SYSTEM_DIR = '/etc/ansible';

export const processSources = (): ConfigSources => ({ env: process.env, cwd: process.cwd(), home: homedir() });

/** One Ansible setting: an environment variable, else a key of the ansible.cfg in use. */
interface SettingSpec {
  env: string;
  section: string;
  key: string;
}

/**
 * The setting's raw value and the directory a relative path in it is resolved against
 * (the working directory for the environment, the config file's directory for ansible.cfg),
 * as Ansible 2.14's ConfigManager; an empty environment value counts as unset.
 */
export function ansibleSetting(spec: SettingSpec, src: ConfigSources): { value: string; baseDir: string } | undefined {
  const fromEnv = src.env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, baseDir: src.cwd };
  const file = findAnsibleCfg(src);
  if (!file) return undefined;
  const value = parseIni(readFileSync(file, 'utf8'))[spec.section]?.[spec.key.toLowerCase()];
  return value === undefined ? undefined : { value, baseDir: dirname(file) };
}

/** Ansible's `path` type: $VARS and ~ expanded, relative to `baseDir`. */
export function ansiblePath(value: string, baseDir: string, src: ConfigSources): string {
  const expanded = value
    .replace(/\$(\w+)|\$\{(\w+)\}/g, (all, a: string | undefined, b: string | undefined) => src.env[(a ?? b)!] ?? all)
    .replace(/^~(?=\/|$)/, src.home);
  return isAbsolute(expanded) ? resolve(expanded) : resolve(baseDir, expanded);
}

/**
 * The first readable of: $ANSIBLE_CONFIG (a file, or a directory holding ansible.cfg),
 * ./ansible.cfg (skipped in a world-writable directory), ~/.ansible.cfg, /etc/ansible/ansible.cfg.
 */
function findAnsibleCfg(src: ConfigSources): string | undefined {
  const candidates: string[] = [];
  const fromEnv = src.env.ANSIBLE_CONFIG;
  if (fromEnv !== undefined) {
    const p = resolve(src.cwd, fromEnv.replace(/^~(?=\/|$)/, src.home));
    candidates.push(isDir(p) ? join(p, 'ansible.cfg') : p);
  }
  if (!worldWritable(src.cwd)) candidates.push(join(src.cwd, 'ansible.cfg'));
  candidates.push(join(src.home, '.ansible.cfg'), join(src.systemDir ?? SYSTEM_DIR, 'ansible.cfg'));
  return candidates.find(readable);
}

/**
 * The subset of Python's configparser that ansible.cfg files use: [section], `key = value` or
 * `key: value` (keys lower-cased), whole-line # and ; comments, inline comments after " ;",
 * indented continuation lines.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s;.*$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || /^[#;]/.test(trimmed)) continue;
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section[lastKey] = `${section[lastKey]}\n${trimmed}`;
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = out[header[1]] ??= {};
      lastKey = undefined;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (kv && section) {
      lastKey = kv[1].toLowerCase();
      section[lastKey] = kv[2];
    }
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return true;
  }
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
