/** Ansible's `version` test: LooseVersion by default, StrictVersion/semver-ish on request. */
import { PyError } from './errors.js';

type Part = number | string;

function looseParts(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((p) => p && p !== '.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function compareLoose(a: string, b: string): number {
  const pa = looseParts(a);
  const pb = looseParts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === typeof y) return x < y ? -1 : 1;
    // LooseVersion on Python 3 compares int with str: TypeError.
    throw new PyError(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
  }
  return pa.length - pb.length;
}

function strictParts(v: string): [number[], [string, number] | null] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/.exec(v);
  if (!m) throw new PyError(`Version comparison failed: invalid version number '${v}'`);
  return [[Number(m[1]), Number(m[2]), Number(m[3] ?? 0)], m[4] ? [m[4], Number(m[5])] : null];
}

function compareStrict(a: string, b: string): number {
  const [na, pa] = strictParts(a);
  const [nb, pb] = strictParts(b);
  for (let i = 0; i < 3; i++) if (na[i] !== nb[i]) return na[i]! - nb[i]!;
  if (!pa && !pb) return 0;
  if (!pa) return 1;
  if (!pb) return -1;
  if (pa[0] !== pb[0]) return pa[0] < pb[0] ? -1 : 1;
  return pa[1] - pb[1];
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

export function versionCompare(value: unknown, version: unknown, operator: unknown = 'eq', strict = false): boolean {
  const test = OPS[String(operator)];
  if (!test) throw new PyError(`Invalid operator type (${String(operator)})`);
  const a = String(value);
  const b = String(version);
  if (!a || !b) throw new PyError('Version comparison failed: empty version');
  return test(strict ? compareStrict(a, b) : compareLoose(a, b));
}
