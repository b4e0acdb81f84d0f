/**
 * Ansible's INI inventory format, line for line as ansible-core's `ini` plugin reads it
 * (sections, `:children`/`:vars`, forward references, host ranges, typed inline values).
 */
import { InputError } from '../errors.js';
import { expandHostPattern } from './host-range.js';
import type { InventoryData } from './model.js';
import { shlexSplit } from '../shell/shlex.js';
import { literalEval } from '../python/literal-eval.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
/** Python's str.splitlines() boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

export function parseIniInventory(inventory: InventoryData, text: string, file: string): void {
  const lines = text.split(LINE_BREAK);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  const fail = (lineno: number, message: string): never => {
    throw new InputError(message, { file, line: lineno });
  };

  lines.forEach((rawLine, index) => {
    const lineno = index + 1;
    const where = { file, line: lineno };
    const line = rawLine.trim();
    if (!line || line[0] === '#' || line[0] === ';') return;

    const section = SECTION.exec(line);
    if (section) {
      group = section[1];
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        fail(lineno, `Section [${section[1]}:${state}] has unknown type: ${state}`);
      }
      if (!inventory.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state: 'vars', parents: [] });
        inventory.addGroup(group, where);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(inventory, group, pending, where);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(
        lineno,
        `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, ` +
          'and that there are no other invalid characters',
      );
    }

    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line, { comments: true });
      } catch (err) {
        return fail(lineno, `Error parsing host definition '${line}': ${(err as Error).message}`);
      }
      const hostPattern = tokens[0] ?? '';
      let expanded: { hosts: string[]; port?: number };
      try {
        expanded = expandHostPattern(hostPattern);
      } catch (err) {
        return fail(lineno, `${(err as Error).message} (in host entry '${hostPattern}')`);
      }
      if (hostPattern.trim().endsWith(':') && expanded.port === undefined) {
        fail(
          lineno,
          `Invalid host pattern '${hostPattern}' supplied, ending in ':' is not allowed, ` +
            'this character is reserved to provide a port.',
        );
      }
      if (expanded.hosts.some((h) => h.trim() === '---')) {
        fail(lineno, `Invalid host pattern '${hostPattern}' supplied, '---' is normally a sign this is a YAML file.`);
      }
      const variables: Array<[string, unknown]> = [];
      for (const token of tokens.slice(1)) {
        const eq = token.indexOf('=');
        if (eq === -1) fail(lineno, `Expected key=value host variable assignment, got: ${token}`);
        variables.push([token.slice(0, eq), parseIniValue(token.slice(eq + 1))]);
      }
      for (const host of expanded.hosts) {
        inventory.addHost(host, group, expanded.port, where);
        for (const [k, v] of variables) inventory.setVariable(host, k, v, where);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq === -1) fail(lineno, `Expected key=value, got: ${line}`);
      inventory.setVariable(group, line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()), where);
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) return fail(lineno, `Expected group name, got: ${line}`);
      const child = m[1];
      if (inventory.groups.has(child)) {
        inventory.addChild(group, child, where);
      } else {
        const waiting = pending.get(child);
        if (waiting) waiting.parents.push(group);
        else pending.set(child, { line: lineno, state: 'children', parents: [group] });
      }
    }
  });

  for (const [name, decl] of pending) {
    if (decl.state === 'vars') {
      fail(decl.line, `Section [${name}:vars] not valid for undefined group: ${name}`);
    }
    fail(decl.line, `Section [${decl.parents[decl.parents.length - 1]}:children] includes undefined group: ${name}`);
  }
}

function addPendingChildren(
  inventory: InventoryData,
  group: string,
  pending: Map<string, Pending>,
  where: { file: string; line: number },
): void {
  for (const parent of pending.get(group)!.parents) {
    inventory.addChild(parent, group, where);
    const p = pending.get(parent);
    if (p && p.state === 'children') addPendingChildren(inventory, parent, pending, where);
  }
  pending.delete(group);
}

/** The plugin's `_parse_value`: a Python literal's value (for JSON output), or the text unchanged. */
function parseIniValue(text: string): unknown {
  const parsed = literalEval(text, { json: true });
  return parsed.ok ? parsed.value : text;
}
