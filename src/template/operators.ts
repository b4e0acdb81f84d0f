/** Python arithmetic on template values: list/string concatenation and repetition, true and
 * floor division, modulo and %-formatting. */
import { PyError } from './errors.js';
import { isMapping, pyRepr, pyStr, pyTypeName } from './pyvalue.js';
import { isFloat, numberOf, PyFloat, pyFloat } from './pytypes.js';
import { Undefined } from './undefined.js';

const num = numberOf;

function unsupported(op: string, a: unknown, b: unknown): never {
  throw new PyError(
    `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

export function pyBinop(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) {
    const float = isFloat(a) || isFloat(b);
    const result = (n: number) => (float ? pyFloat(n) : n);
    switch (op) {
      case '+': return result(x + y);
      case '-': return result(x - y);
      case '*': return result(x * y);
      case '/':
        if (y === 0) throw new PyError('division by zero');
        return pyFloat(x / y);
      case '//':
        if (y === 0) throw new PyError(float ? 'float divmod()' : 'integer division or modulo by zero');
        return result(Math.floor(x / y));
      case '%':
        if (y === 0) throw new PyError(float ? 'float modulo' : 'integer division or modulo by zero');
        return result(((x % y) + y) % y);
      case '**': return float || y < 0 ? pyFloat(x ** y) : x ** y;
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  }
  if (op === '*') {
    if (typeof a === 'string' && y !== null) return a.repeat(Math.max(0, y));
    if (typeof b === 'string' && x !== null) return b.repeat(Math.max(0, x));
    if (Array.isArray(a) && y !== null) return Array.from({ length: Math.max(0, y) }, () => a).flat();
  }
  if (op === '%' && typeof a === 'string') return percentFormat(a, b);
  if (op === '+' && (typeof a === 'string' || Array.isArray(a))) {
    const t = pyTypeName(a);
    throw new PyError(`can only concatenate ${t} (not "${pyTypeName(b)}") to ${t}`);
  }
  return unsupported(op, a, b);
}

export function pyNeg(v: unknown): number | PyFloat {
  if (v instanceof Undefined) v.fail();
  const n = num(v);
  if (n === null) throw new PyError(`bad operand type for unary -: '${pyTypeName(v)}'`);
  return v instanceof PyFloat ? new PyFloat(-n) : -n;
}

/** printf-style `'%s-%d' % (a, b)`. */
export function percentFormat(format: string, args: unknown): string {
  const values = Array.isArray(args) ? [...args] : [args];
  const named = isMapping(args) ? args : null;
  let index = 0;
  const out = format.replace(
    /%(?:\(([^)]+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfgexXo%])/g,
    (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      if (key !== undefined && named && !Object.prototype.hasOwnProperty.call(named, key)) throw new PyError(pyRepr(key)); // KeyError
      const value = key !== undefined && named ? named[key] : values[index++];
      if (value === undefined && key === undefined) throw new PyError('not enough arguments for format string');
      let text: string;
      switch (conv) {
        case 's': text = pyStr(value); break;
        case 'r': text = pyRepr(value); break;
        case 'd':
        case 'i': text = String(Math.trunc(Number(value))); break;
        case 'f': text = Number(value).toFixed(prec === undefined ? 6 : Number(prec)); break;
        case 'e': text = Number(value).toExponential(prec === undefined ? 6 : Number(prec)); break;
        case 'g': text = String(Number(value)); break;
        case 'x': text = Math.trunc(Number(value)).toString(16); break;
        case 'X': text = Math.trunc(Number(value)).toString(16).toUpperCase(); break;
        case 'o': text = Math.trunc(Number(value)).toString(8); break;
        default: text = pyStr(value);
      }
      if (conv === 's' && prec !== undefined) text = text.slice(0, Number(prec));
      const w = width === undefined ? 0 : Number(width);
      if (text.length < w) {
        if (flags.includes('-')) text = text.padEnd(w);
        else if (flags.includes('0') && conv !== 's') text = text.padStart(w, '0');
        else text = text.padStart(w);
      }
      return text;
    },
  );
  if (!named && index < values.length) {
    throw new PyError('not all arguments converted during string formatting');
  }
  return out;
}
