/** Typed reads of keyword values from parsed YAML maps; errors point at the key. */
import { InputError } from '../errors.js';
import type { Conditional, EnvironmentEntry, SourcePos } from './model.js';
import { keyPositionOf, positionOf } from '../yaml/positions.js';
import { closeFirst, didYouMean } from '../suggest.js';
import { boolean } from '../python/boolean.js';
import { pyStr } from '../template/pyvalue.js';
import { isMapping as isMap, PyFloat } from '../python/values.js';

export type YamlMap = Record<string, unknown>;

/** A YAML mapping: a plain object (an `!unsafe` scalar is a String box, never a mapping). */
export { isMap };

export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

/** Position of a key, or of the map, or the file start. */
function at(map: unknown, key: string | undefined, file: string): SourcePos {
  return (key === undefined ? positionOf(map) : keyPositionOf(map, key)) ?? { file, line: 1, column: 1 };
}

export function errorAt(message: string, pos: SourcePos): InputError {
  return new InputError(message, { file: pos.file, line: pos.line, column: pos.column });
}

export class FieldReader {
  constructor(
    readonly map: YamlMap,
    readonly file: string,
    /** "play", "task", "block"... for messages. */
    readonly what: string,
  ) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.map, key) && this.map[key] !== undefined;
  }

  pos(key?: string): SourcePos {
    return at(this.map, key, this.file);
  }

  fail(key: string | undefined, message: string): never {
    throw errorAt(message, this.pos(key));
  }

  /** Rejects keys outside `allowed` (with refusal reasons for known-but-unsupported ones). */
  checkKeys(allowed: readonly string[], unsupported: Record<string, string>, ignore: (k: string) => boolean = () => false): void {
    for (const key of Object.keys(this.map)) {
      if (allowed.includes(key) || ignore(key)) continue;
      const reason = unsupported[key];
      if (reason) this.fail(key, `'${key}' is not supported in a ${this.what}: ${reason}`);
      this.fail(key, unknownKeywordMessage(key, this.what, allowed));
    }
  }

  str(key: string): string | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return String(v);
    this.fail(key, `'${key}' must be a string, got ${describeType(v)}`);
  }

  bool(key: string): boolean | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return undefined;
    try {
      return boolean(v);
    } catch (err) {
      // Ansible's wording (FieldAttribute isa=bool), "an bool" and all
      const why = `the field '${key}' has an invalid value (${pyStr(v)}), and could not be converted to an bool.The error was: ${(err as Error).message}`;
      this.fail(key, `${why}${isTemplated(v) ? '; templated values are not supported for this keyword' : ''}`);
    }
  }

  /** A boolean, or a template rendered when the task runs. */
  boolOrTemplate(key: string): boolean | string | undefined {
    const v = this.map[key];
    return typeof v === 'string' && isTemplated(v) ? v : this.bool(key);
  }

  int(key: string): number | undefined {
    const v = this.map[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (v instanceof PyFloat) return v.value; // int(3.0)
    if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
    this.fail(key, `'${key}' must be an integer, got ${JSON.stringify(v)}`);
  }

  /** Integer, or a templated string resolved at run time. */
  intOrTemplate(key: string): number | string | undefined {
    const v = this.map[key];
    if (isTemplated(v)) return v as string;
    return this.int(key);
  }

  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!choices.includes(v as T)) {
      this.fail(key, `'${key}' must be one of ${choices.join(', ')}; got '${v}'${didYouMean(v, choices)}`);
    }
    return v as T;
  }

  /** A string or a list of strings (notify, listen). */
  strList(key: string): string[] {
    const v = this.map[key];
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    return items.map((item) => {
      if (typeof item === 'string' || typeof item === 'number' || item instanceof PyFloat) return String(item);
      this.fail(key, `'${key}' must be a string or a list of strings`);
    });
  }

  /** Tags: a comma-separated string or a list (Ansible's Taggable). */
  tags(key = 'tags'): string[] {
    const v = this.map[key];
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of items) {
      if (typeof item === 'string') out.push(...item.split(',').map((t) => t.trim()).filter(Boolean));
      else if (typeof item === 'number') out.push(String(item));
      else this.fail(key, `'${key}' must be a string or a list of strings`);
    }
    return out;
  }

  conditionals(key: string): Conditional[] {
    const v = this.map[key];
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    return items.map((item) => {
      if (typeof item === 'boolean' || typeof item === 'string') return item;
      if (typeof item === 'number' || item instanceof PyFloat) return String(item);
      this.fail(key, `'${key}' must be a condition string or a list of them, got ${describeType(item)}`);
    });
  }

  vars(key = 'vars'): Record<string, unknown> {
    const v = this.map[key];
    if (v === undefined || v === null) return {};
    if (isMap(v)) return v;
    if (Array.isArray(v) && v.every(isMap)) return Object.assign({}, ...v);
    this.fail(key, `'${key}' must be a mapping of variable names to values`);
  }

  environment(key = 'environment'): EnvironmentEntry[] {
    const v = this.map[key];
    if (v === undefined || v === null) return [];
    if (isMap(v)) return [v];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((e) => isMap(e) || typeof e === 'string')) return v as EnvironmentEntry[];
    this.fail(key, `'${key}' must be a mapping of environment variables (or a templated variable)`);
  }

  list(key: string): unknown[] {
    const v = this.map[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.fail(key, `'${key}' must be a list, got ${describeType(v)}`);
  }
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function unknownKeywordMessage(key: string, what: string, allowed: readonly string[]): string {
  return `'${key}' is not a valid keyword for a ${what}${didYouMean(key, allowed)}; valid keywords: ${closeFirst(key, allowed).join(', ')}`;
}
