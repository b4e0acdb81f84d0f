/**
 * File modes as Ansible accepts them: an octal string ('0644', '644', '0o644'), an int (the
 * numeric mode, e.g. 420 — what YAML 1.1 makes of an unquoted 0644), or a symbolic mode
 * ('u=rw,g=r,o=', 'u+x', 'a-w', 'g=u') applied to the current mode.
 */
import { ArgumentError } from '../../argspec/validate.js';

const OCTAL = /^(?:0o)?([0-7]{1,4})$/i;
const SYMBOLIC_CLAUSE = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/;

/** True when the mode needs the current mode to resolve (symbolic). */
export function isSymbolicMode(mode: unknown): boolean {
  return typeof mode === 'string' && !OCTAL.test(mode.trim());
}

/**
 * Desired mode as 4 octal digits. `current` (numeric) and `isDir` are needed for symbolic modes;
 * for a file that does not exist yet pass current = 0.
 */
export function normalizeMode(mode: unknown, current = 0, isDir = false): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new ArgumentError(`mode ${mode} is out of range`);
    return toOctal(mode);
  }
  if (typeof mode !== 'string') throw new ArgumentError(`mode must be a string or number, got ${typeof mode}`);
  const s = mode.trim();
  if (s === 'preserve') throw new ArgumentError('mode=preserve is not supported by falco-deploy; give an octal mode such as "0644"');
  const m = OCTAL.exec(s);
  if (m) return toOctal(parseInt(m[1], 8));
  return toOctal(applySymbolicMode(current, s, isDir));
}

function toOctal(n: number): string {
  return n.toString(8).padStart(4, '0');
}

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };
const PERM_BITS = { r: 0o444, w: 0o222, x: 0o111, s: 0o6000, t: 0o1000 } as const;

/** chmod(1) symbolic mode semantics (no umask: an empty "who" means "a"). */
function applySymbolicMode(current: number, spec: string, isDir: boolean): number {
  let mode = current & 0o7777;
  for (const clause of spec.split(',')) {
    const c = SYMBOLIC_CLAUSE.exec(clause.trim());
    if (!c) throw new ArgumentError(`mode "${spec}" is neither octal nor a symbolic mode (e.g. u=rw,g=r,o=)`);
    const who = c[1] === '' || c[1].includes('a') ? 'ugo' : c[1];
    let whoMask = 0;
    for (const w of who) whoMask |= WHO_BITS[w];
    let perms = 0;
    if (/^[ugo]$/.test(c[3])) {
      // copy permissions from another class, e.g. g=u
      const shift = { u: 6, g: 3, o: 0 }[c[3] as 'u' | 'g' | 'o'];
      const bits = (mode >> shift) & 7;
      perms = bits * 0o111;
    } else {
      for (const p of c[3]) {
        if (p === 'X') {
          if (isDir || (mode & 0o111) !== 0) perms |= PERM_BITS.x;
        } else perms |= PERM_BITS[p as keyof typeof PERM_BITS];
      }
    }
    const bits = perms & whoMask;
    if (c[2] === '+') mode |= bits;
    else if (c[2] === '-') mode &= ~bits;
    else mode = (mode & ~whoMask) | bits;
  }
  return mode;
}
