/**
 * Playbook YAML with source positions. Values come out as plain JS (PyYAML typing, as Ansible:
 * yes/no/on/off booleans, 0755 octal, duplicate keys last-wins, `<<` merge keys); every map and
 * list produced is registered in a side table so loaders can ask where it, or one of its keys,
 * was written.
 */
import { readFileSync } from 'node:fs';
import {
  LineCounter,
  parseDocument,
  Scalar,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { UnsafeText } from '../template/unsafe.js';
import { InputError } from '../errors.js';
import { guardYamlDocument, guardYamlText } from '../yaml-guard.js';
import type { SourcePos } from './model.js';

interface Where {
  pos: SourcePos;
  keys: Map<string, SourcePos>;
}

const table = new WeakMap<object, Where>();

/** Where a map or list from parsed YAML starts. */
export function positionOf(value: unknown): SourcePos | undefined {
  return typeof value === 'object' && value !== null ? table.get(value)?.pos : undefined;
}

/** Where a key of a parsed map (or item `String(i)` of a list) was written; falls back to the map itself. */
export function keyPositionOf(map: unknown, key: string): SourcePos | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  const where = table.get(map);
  return where?.keys.get(key) ?? where?.pos;
}

/** Lets a map built from parsed maps (e.g. merged module args) answer keyPositionOf too. */
export function copyKeyPositions(target: object, ...sources: unknown[]): void {
  const keys = new Map<string, SourcePos>();
  let pos: SourcePos | undefined;
  for (const source of sources) {
    if (typeof source !== 'object' || source === null) continue;
    const where = table.get(source);
    if (!where) continue;
    pos ??= where.pos;
    for (const [k, v] of where.keys) if (!keys.has(k)) keys.set(k, v);
  }
  if (pos) table.set(target, { pos, keys });
}

const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function pyNumber(source: string, float: boolean): number {
  let v = source.replace(/_/g, '');
  let sign = 1;
  if (v.startsWith('-') || v.startsWith('+')) {
    if (v.startsWith('-')) sign = -1;
    v = v.slice(1);
  }
  if (float) {
    const lower = v.toLowerCase();
    if (lower === '.inf') return sign * Infinity;
    if (lower === '.nan') return NaN;
    return sign * (v.includes(':') ? sexagesimal(v) : Number(v));
  }
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v.startsWith('0')) return sign * parseInt(v, 8);
  return sign * (v.includes(':') ? sexagesimal(v) : Number(v));
}

function scalarTag(tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag {
  return { identify: () => false, default: true, tag, test, resolve: (s: string) => new Scalar(resolve(s)) as never };
}

const PYYAML_SCALARS: ScalarTag[] = [
  scalarTag('tag:yaml.org,2002:null', NULL, () => null),
  scalarTag('tag:yaml.org,2002:bool', BOOL_TRUE, () => true),
  scalarTag('tag:yaml.org,2002:bool', BOOL_FALSE, () => false),
  scalarTag('tag:yaml.org,2002:int', INT, (s) => pyNumber(s, false)),
  scalarTag('tag:yaml.org,2002:float', FLOAT, (s) => pyNumber(s, true)),
  // Ansible's !unsafe: text that is never templated.
  { identify: () => false, tag: '!unsafe', resolve: (s: string) => new UnsafeText(s) as never },
];

function customTags(tags: Tags): Tags {
  return [...tags, ...PYYAML_SCALARS];
}

/** Parses YAML text; syntax errors are InputErrors at file:line:col. Empty text is `null`. */
export function parseYamlWithPositions(text: string, file: string): unknown {
  guardYamlText(text, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'failsafe',
    customTags,
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
    lineCounter,
  });
  guardYamlDocument(doc, file, text);
  const error = doc.errors[0];
  if (error) {
    let offset = error.pos[0];
    let message = error.message.split('\n')[0];
    const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
    if (quote) {
      // the parser reports the end of the input; the opening quote is what needs fixing
      const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
      if (opening >= 0) {
        offset = opening;
        message = `this ${quote} quote is never closed`;
      }
    }
    const at = lineCounter.linePos(offset);
    throw new InputError(`YAML syntax error: ${message}`, { file, line: at.line, column: at.col });
  }
  if (text.startsWith('$ANSIBLE_VAULT')) {
    throw new InputError('vault-encrypted files are not supported', { file, line: 1, column: 1 });
  }
  const convert = new Converter(doc, file, lineCounter);
  return convert.value(doc.contents as Node | null);
}

export function loadYamlWithPositions(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseYamlWithPositions(text, file);
}

class Converter {
  constructor(
    private readonly doc: Document,
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  private pos(node: Node | null | undefined): SourcePos {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  value(node: Node | null | undefined, depth = 0): unknown {
    if (node === null || node === undefined) return null;
    if (depth > 200) throw new InputError('YAML nesting too deep (alias loop?)', this.pos(node));
    if (isAlias(node)) return this.value(node.resolve(this.doc) as Node | undefined, depth + 1);
    if (isScalar(node)) {
      if (node.tag === '!vault') throw new InputError('!vault values are not supported', this.pos(node));
      return node.value;
    }
    if (isSeq(node)) {
      const out = node.items.map((item) => this.value(item as Node, depth + 1));
      // list items are "keyed" by index, so scalar items can be located too
      const keys = new Map(node.items.map((item, i) => [String(i), this.pos(item as Node)]));
      table.set(out, { pos: this.pos(node), keys });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, SourcePos>();
      const merges: unknown[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = String(this.value(keyNode, depth + 1));
        const value = this.value(pair.value as Node | null, depth + 1);
        if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          merges.push(...(Array.isArray(value) ? value : [value]));
          continue;
        }
        out[key] = value;
        keys.set(key, this.pos(keyNode));
      }
      // explicit keys win over merged ones; earlier merge sources win over later ones
      for (const source of merges) {
        if (typeof source !== 'object' || source === null || Array.isArray(source)) {
          throw new InputError('merge key << needs a mapping or a list of mappings', this.pos(node));
        }
        for (const [k, v] of Object.entries(source)) {
          if (!(k in out)) {
            out[k] = v;
            keys.set(k, keyPositionOf(source, k) ?? this.pos(node));
          }
        }
      }
      table.set(out, { pos: this.pos(node), keys });
      return out;
    }
    return null;
  }
}
