/**
 * Ansible's YAML inventory format (the `yaml` plugin): groups with `hosts`, `vars`, `children`,
 * nested to any depth; host keys may be ranges and may carry `:port`.
 */
import { InputError } from '../errors.js';
import { expandHostPattern } from './host-range.js';
import type { InventoryData } from './model.js';
import { pyStr } from '../python/repr.js';
import { isMapping } from '../python/values.js';

type Warn = (message: string) => void;

/** Finds the line of a mapping key (first `key:` at or after a line) so errors can name file:line. */
class KeyLocator {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }
  find(key: string, fromLine: number | undefined): number | undefined {
    if (fromLine === undefined) return undefined;
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^\\s*(?:-\\s+)?(['"]?)${escaped}\\1\\s*:`);
    for (let i = Math.max(fromLine, 1) - 1; i < this.lines.length; i++) if (re.test(this.lines[i])) return i + 1;
    return undefined;
  }
}

export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (Array.isArray(v)) return "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>";
  if (typeof v === 'string') return "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  return "<class 'ansible.parsing.yaml.objects.AnsibleMapping'>";
}

/** Raises InputError like the plugin's AnsibleParserError for structural problems. */
export function parseYamlInventory(
  inventory: InventoryData,
  data: unknown,
  file: string,
  warn: Warn,
  text = '',
): void {
  if (data === null || data === undefined || (isMapping(data) && Object.keys(data).length === 0)) {
    throw new InputError('Parsed empty YAML file', { file });
  }
  if (!isMapping(data)) {
    throw new InputError(
      `YAML inventory has invalid structure, it should be a dictionary, got: ${pyTypeName(data)}`,
      { file },
    );
  }
  if (data.plugin) {
    throw new InputError('Plugin configuration YAML file, not YAML inventory (inventory plugins are not supported)', {
      file,
    });
  }
  const locate = new KeyLocator(text);
  for (const [name, groupData] of Object.entries(data)) {
    parseGroup(inventory, name, groupData, { file, warn, locate }, locate.find(name, 1));
  }
}

interface Context {
  file: string;
  warn: Warn;
  locate: KeyLocator;
}

function parseGroup(inventory: InventoryData, name: string, groupData: unknown, ctx: Context, line?: number): string {
  const { file, warn, locate } = ctx;
  const where = { file, line };
  if (!(isMapping(groupData) || groupData === null || groupData === undefined)) {
    warn(`Skipping '${name}' as this is not a valid group definition`);
    return name;
  }
  inventory.addGroup(name, where);
  if (!groupData) return name;

  for (const section of ['vars', 'children', 'hosts']) {
    if (!(section in groupData)) continue;
    const value = groupData[section];
    if (typeof value === 'string') groupData[section] = { [value]: null };
    else if (!(isMapping(value) || value === null || value === undefined)) {
      throw new InputError(
        `Invalid "${section}" entry for "${name}" group, requires a dictionary, found "${pyTypeName(value)}" instead.`,
        { file, line: locate.find(section, line) ?? line },
      );
    }
  }

  for (const [key, value] of Object.entries(groupData)) {
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) {
      warn(`Skipping key (${key}) in group (${name}) as it is not a mapping, it is a ${pyTypeName(value)}`);
      continue;
    }
    const sectionLine = locate.find(key, line) ?? line;
    if (key === 'vars') {
      for (const [k, v] of Object.entries(value)) inventory.setVariable(name, k, v, { file, line: sectionLine });
    } else if (key === 'children') {
      for (const [child, childData] of Object.entries(value)) {
        const childLine = locate.find(child, sectionLine) ?? sectionLine;
        const childName = parseGroup(inventory, child, childData, ctx, childLine);
        inventory.addChild(name, childName, { file, line: childLine });
      }
    } else if (key === 'hosts') {
      for (const [pattern, hostVars] of Object.entries(value)) {
        const hostWhere = { file, line: locate.find(pattern, sectionLine) ?? sectionLine };
        let expanded: { hosts: string[]; port?: number };
        try {
          expanded = expandHostPattern(pattern);
        } catch (err) {
          throw new InputError(`${(err as Error).message} (in host entry '${pattern}' of group ${name})`, hostWhere);
        }
        const vars = hostVars ?? {};
        if (!isMapping(vars)) {
          throw new InputError(
            `Invalid data from file, expected dictionary and got:\n\n${pyStr(vars)}\n(host ${pattern} in group ${name})`,
            hostWhere,
          );
        }
        for (const host of expanded.hosts) {
          inventory.addHost(host, name, expanded.port, hostWhere);
          for (const [k, v] of Object.entries(vars)) inventory.setVariable(host, k, v, hostWhere);
        }
      }
    } else {
      warn(`Skipping unexpected key (${key}) in group (${name}), only "vars", "children" and "hosts" are valid`);
    }
  }
  return name;
}
