/**
 * How a plain (unquoted) scalar becomes a value: PyYAML's implicit resolvers and constructors
 * (YAML 1.1 minus the y/n booleans), and JSON's for text Ansible reads as JSON first.
 */
import { Scalar, type ScalarTag } from 'yaml';
import { pyFloat } from '../python/values.js';

const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
/** 0b binary, leading-0 octal (no 0o: that is a string), decimal, 0x hex, 1:30 sexagesimal; `_` anywhere. */
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
/** A float needs a dot: "1e3" is a string, "1.0e+3" a float. */
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/**
 * PyYAML makes a date or datetime; templates print it with str(): "2001-12-14",
 * "2001-12-14 21:59:43.100000-05:00". We keep that text.
 */
function pyTimestamp(source: string): string {
  const [, y, mo, d, h, mi, sec, fraction, tz, sign, tzh, tzm] = TIMESTAMP_PARTS.exec(source)!;
  const two = (v: string) => v.padStart(2, '0');
  const date = `${y}-${two(mo!)}-${two(d!)}`;
  if (h === undefined) return date;
  let text = `${date} ${two(h)}:${mi}:${sec}`;
  const micro = (fraction ?? '').slice(0, 6).padEnd(6, '0');
  if (Number(micro)) text += `.${micro}`;
  if (tz === 'Z') text += '+00:00';
  else if (sign) text += `${sign}${two(tzh!)}:${tzm ?? '00'}`;
  return text;
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function signOf(text: string): [number, string] {
  if (text.startsWith('-')) return [-1, text.slice(1)];
  if (text.startsWith('+')) return [1, text.slice(1)];
  return [1, text];
}

/** PyYAML's construct_yaml_int. */
function pyInt(source: string): number {
  const [sign, v] = signOf(source.replace(/_/g, ''));
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v.startsWith('0')) return sign * parseInt(v, 8);
  if (v.includes(':')) return sign * sexagesimal(v);
  return sign * Number(v);
}

/** PyYAML's construct_yaml_float: a Python float, so `1.0` stays a float (prints "1.0"). */
function pyYamlFloat(source: string): unknown {
  const [sign, v] = signOf(source.replace(/_/g, '').toLowerCase());
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  return pyFloat(sign * (v.includes(':') ? sexagesimal(v) : Number(v)));
}

function scalarTag(tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag {
  return { identify: () => false, default: true, tag, test, resolve: (s: string) => new Scalar(resolve(s)) as never };
}

/** PyYAML's SafeLoader resolution of plain scalars (what `from_yaml` and Ansible's loader share). */
export const PYYAML_SCALARS: readonly ScalarTag[] = [
  scalarTag('tag:yaml.org,2002:null', NULL, () => null),
  scalarTag('tag:yaml.org,2002:bool', BOOL_TRUE, () => true),
  scalarTag('tag:yaml.org,2002:bool', BOOL_FALSE, () => false),
  scalarTag('tag:yaml.org,2002:int', INT, pyInt),
  scalarTag('tag:yaml.org,2002:float', FLOAT, pyYamlFloat),
  scalarTag('tag:yaml.org,2002:timestamp', TIMESTAMP, pyTimestamp),
];

/** Python's json.loads of the plain scalars JSON has (the text was checked to be JSON). */
export const JSON_SCALARS: readonly ScalarTag[] = [
  scalarTag('tag:yaml.org,2002:null', /^null$/, () => null),
  scalarTag('tag:yaml.org,2002:bool', /^(?:true|false)$/, (s) => s === 'true'),
  scalarTag('tag:yaml.org,2002:int', /^-?(?:0|[1-9][0-9]*)$/, Number),
  scalarTag('tag:yaml.org,2002:float', /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/, (s) => pyFloat(Number(s))),
];
