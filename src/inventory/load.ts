/**
 * Reading inventory sources (`-i` files, directories, `host1,host2,` lists) into one Inventory,
 * choosing the format per file as Ansible's enabled inventory plugins do.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { FalcoDeployError, InputError } from '../errors.js';
import { parseIniInventory } from './ini-parser.js';
import { Inventory, type SourceVars } from './inventory.js';
import { parseAddress } from './host-range.js';
import { InventoryData } from './model.js';
import { compareCodepoints, VarsDirectory } from './vars-files.js';
import { isMapping } from '../python/values.js';
import { parseYamlInventory } from './yaml-plugin.js';

interface LoadOptions {
  /** Called for each warning Ansible would print ([WARNING]: ...). They are also kept on Inventory.warnings. */
  onWarning?: (message: string) => void;
  /** No -i and no /etc/ansible/hosts: an empty inventory with Ansible's warning (ansible-playbook), not an error. */
  implicitLocalhost?: boolean;
}

export const DEFAULT_INVENTORY = '/etc/ansible/hosts';

/** Ansible's INVENTORY_IGNORE_EXTS and always-ignored names inside an inventory directory. */
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

function isIgnoredInDirectory(name: string): boolean {
  return IGNORED_NAMES.test(name) || IGNORED_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/** Load and merge inventory sources in order, then read group_vars/ and host_vars/ beside each. */
export async function loadInventory(sources: readonly string[], options: LoadOptions = {}): Promise<Inventory> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  let list = [...sources];
  if (list.length === 0) {
    if (existsSync(DEFAULT_INVENTORY)) list = [DEFAULT_INVENTORY];
    else if (options.implicitLocalhost) warn('No inventory was parsed, only implicit localhost is available');
    else throw new FalcoDeployError(`no inventory given: pass -i FILE|DIR|host1,host2, (${DEFAULT_INVENTORY} does not exist)`, { phase: 'usage' });
  }
  const data = new InventoryData();
  for (const source of list) {
    if (source.includes(',') && !existsSync(source)) {
      parseHostList(data, source);
      continue;
    }
    const path = resolve(source);
    if (!existsSync(path)) throw new InputError(`inventory source not found: ${source}`, { file: source });
    await parseSource(data, path, warn);
  }
  data.reconcile();
  for (const name of data.nameConflicts()) warn(`Found both group and host with same name: ${name}`);

  const sourceVars: SourceVars[] = [];
  for (const source of list) {
    if (source.includes(',') && !existsSync(source)) continue;
    const path = resolve(source);
    const base = (await stat(path)).isDirectory() ? path : dirname(path);
    const dir = await VarsDirectory.open(base, warn);
    const groups = new Map<string, Record<string, unknown>>();
    const hosts = new Map<string, Record<string, unknown>>();
    for (const g of data.groups.keys()) groups.set(g, await dir.load('group', g));
    for (const h of data.hosts.keys()) hosts.set(h, await dir.load('host', h));
    sourceVars.push({ groups, hosts });
  }
  const inventory = new Inventory(data, sourceVars, options.onWarning);
  inventory.warnings.push(...warnings);
  return inventory;
}

/** `-i 'web1,web2:2222,'`: Ansible's host_list plugin. */
function parseHostList(data: InventoryData, source: string): void {
  for (const entry of source.split(',')) {
    const text = entry.trim();
    if (!text) continue;
    const parsed = text.includes('[') ? undefined : parseAddress(text);
    const [host, port] = parsed ?? [text, undefined];
    if (!data.hosts.has(host)) data.addHost(host, 'ungrouped', port);
  }
}

async function parseSource(data: InventoryData, path: string, warn: (m: string) => void): Promise<void> {
  const st = await stat(path);
  if (st.isDirectory()) {
    const names = (await readdir(path)).sort(compareCodepoints);
    for (const name of names) {
      if (isIgnoredInDirectory(name)) continue;
      await parseSource(data, join(path, name), warn);
    }
    return;
  }
  data.currentSource = path;
  try {
    await parseFile(data, path, warn);
  } finally {
    data.currentSource = undefined;
  }
}

async function parseFile(data: InventoryData, file: string, warn: (m: string) => void): Promise<void> {
  const text = await readFile(file, 'utf8');
  const ext = extname(file);
  if (ext === '.toml') throw new InputError('TOML inventories are not supported; use INI or YAML', { file });
  if (text.startsWith('#!')) {
    const st = await stat(file);
    if (st.mode & 0o111) {
      throw new InputError('dynamic inventory scripts are not supported; use a static INI or YAML inventory', { file });
    }
  }
  if (ext === '' || YAML_EXTENSIONS.includes(ext)) {
    // Imported here: an INI inventory without vars files never needs the YAML parser (~80 ms to load).
    const { parseAnsibleYaml } = await import('../yaml/load.js');
    let yamlData: unknown;
    let yamlError: unknown;
    try {
      yamlData = parseAnsibleYaml(text, file);
    } catch (err) {
      yamlError = err;
    }
    if (yamlError === undefined && isMapping(yamlData) && Object.keys(yamlData).length) {
      parseYamlInventory(data, yamlData, file, warn, text);
      return;
    }
    if (ext !== '') {
      // Ansible tries the INI plugin next; when that fails too, the YAML problem is the one to report.
      try {
        parseIniInventory(data, text, file);
        return;
      } catch (iniError) {
        if (yamlError !== undefined) throw yamlError;
        parseYamlInventory(data, yamlData, file, warn, text); // throws its structural error
        throw iniError;
      }
    }
  }
  parseIniInventory(data, text, file);
}
