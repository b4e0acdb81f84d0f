/**
 * A YAML emitter that reproduces PyYAML's `yaml.dump` layout as Ansible's to_yaml /
 * to_nice_yaml produce it: sorted keys, sequences not indented under their mapping key,
 * mapping items in sequences padded to the indent ("-   key: v" with indent 4), flow style
 * for leaf collections when default_flow_style is None (to_yaml).
 * Known gap: PyYAML folds plain scalars longer than 80 columns; this does not.
 */
import { PyFloat } from './pytypes.js';
import { isMapping, pyNumberStr } from './pyvalue.js';

interface DumpOptions {
  indent: number;
  /** PyYAML default_flow_style: false = block everywhere, null = flow for leaf collections. */
  flow: boolean | null;
  sortKeys: boolean;
}

const RESOLVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|<<|=|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/;

function needsQuotes(s: string): boolean {
  if (s === '') return true;
  if (RESOLVED.test(s)) return true;
  if (/^[\s]|[\s]$/.test(s)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return true;
  if (/^[-?:]$/.test(s)) return true;
  if (/: |:$| #|[,[\]{}]/.test(s) && /: |:$| #/.test(s)) return true;
  return false;
}

function needsQuotesFlow(s: string): boolean {
  return needsQuotes(s) || /[,[\]{}]/.test(s);
}

function doubleQuoted(s: string): string {
  return (
    '"' +
    s.replace(/[\\"\n\t\r\x00-\x1f]/g, (c) => {
      const map: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
      return map[c] ?? '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    }) +
    '"'
  );
}

/** PyYAML's single-quoted style for multi-line text: a line break is written as a blank line. */
function singleQuotedMultiline(s: string, continuation: number): string {
  const pad = ' '.repeat(continuation);
  const parts = s.replace(/'/g, "''").split(/(\n+)/);
  let out = "'";
  for (const part of parts) {
    if (part.startsWith('\n')) out += '\n'.repeat(part.length + 1) + pad;
    else out += part;
  }
  return out + "'";
}

function yamlScalar(value: unknown, inFlow = false, continuation = 0): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value instanceof PyFloat) return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return pyNumberStr(value);
  }
  const s = String(value);
  if (/[\r\t\x00-\x08\x0b-\x1f]/.test(s)) return doubleQuoted(s);
  if (s.includes('\n')) {
    if (inFlow || /^\s|\s$/.test(s.replace(/\n+$/, ''))) return doubleQuoted(s);
    return singleQuotedMultiline(s, continuation);
  }
  if (inFlow ? needsQuotesFlow(s) : needsQuotes(s)) return `'${s.replace(/'/g, "''")}'`;
  return s;
}

function isCollection(v: unknown): v is unknown[] | Record<string, unknown> {
  return Array.isArray(v) || isMapping(v);
}

function isEmpty(v: unknown[] | Record<string, unknown>): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

function entries(v: Record<string, unknown>, o: DumpOptions): [string, unknown][] {
  const e = Object.entries(v);
  return o.sortKeys ? e.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : e;
}

function flow(v: unknown, o: DumpOptions): string {
  if (Array.isArray(v)) return '[' + v.map((x) => flow(x, o)).join(', ') + ']';
  if (isMapping(v)) return '{' + entries(v, o).map(([k, x]) => `${yamlScalar(k, true)}: ${flow(x, o)}`).join(', ') + '}';
  return yamlScalar(v, true);
}

function useFlow(v: unknown[] | Record<string, unknown>, o: DumpOptions): boolean {
  if (isEmpty(v)) return true;
  if (o.flow === null) return !(Array.isArray(v) ? v : Object.values(v)).some(isCollection);
  return o.flow;
}

/** Lines of a block collection whose items start at column `col`. */
function block(v: unknown[] | Record<string, unknown>, col: number, o: DumpOptions): string[] {
  const pad = ' '.repeat(col);
  const lines: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isCollection(item) && !useFlow(item, o)) {
        const inner = block(item, col + o.indent, o);
        const dash = pad + '-' + ' '.repeat(o.indent - 1);
        lines.push(dash + inner[0]!.slice(col + o.indent), ...inner.slice(1));
      } else {
        lines.push(`${pad}- ${isCollection(item) ? flow(item, o) : yamlScalar(item, false, col + o.indent)}`);
      }
    }
    return lines;
  }
  for (const [k, item] of entries(v, o)) {
    const key = `${pad}${yamlScalar(k)}:`;
    if (isCollection(item) && !useFlow(item, o)) {
      lines.push(key, ...block(item, Array.isArray(item) ? col : col + o.indent, o));
    } else {
      lines.push(`${key} ${isCollection(item) ? flow(item, o) : yamlScalar(item, false, col + o.indent)}`);
    }
  }
  return lines;
}

export function dumpYaml(value: unknown, o: DumpOptions): string {
  if (isCollection(value)) {
    if (useFlow(value, o)) return flow(value, o) + '\n';
    return block(value, 0, o).join('\n') + '\n';
  }
  return yamlScalar(value) + '\n';
}
