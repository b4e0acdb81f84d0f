/**
 * Where parsed YAML was written: every map and list a loader produces with a file name is
 * registered in a side table, so later checks can name the file:line:col of it or of one of its keys.
 */

export interface SourcePos {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

interface Where {
  pos: SourcePos;
  keys: Map<string, SourcePos>;
}

const table = new WeakMap<object, Where>();

/** Records where `value` starts and where each of its keys (list items: `String(i)`) was written. */
export function recordPosition(value: object, pos: SourcePos, keys: Map<string, SourcePos>): void {
  table.set(value, { pos, keys });
}

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
