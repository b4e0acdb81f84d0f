/**
 * Loads YAML/JSON data the way Ansible's DataLoader does: JSON first, then YAML 1.1 with
 * PyYAML's implicit typing (yes/no/on/off booleans, 0755 octal, 1:30 sexagesimal, floats
 * need a dot), `<<` merge keys, duplicate keys allowed (last wins), `!unsafe` as a string.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, Scalar, isScalar, type ScalarTag, type Tags } from 'yaml';
import { UnsafeText } from '../template/unsafe.js';
import { InputError } from '../errors.js';
import { guardDataDepth, guardYamlDocument, guardYamlText } from '../yaml-guard.js';

const BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/** PyYAML makes a date/datetime; Ansible prints it with isoformat(): we keep that text. */
function pyTimestamp(source: string): string {
  const m = TIMESTAMP_PARTS.exec(source)!;
  const [, y, mo, d, h, mi, sec, fraction, tz, sign, tzh, tzm] = m;
  const two = (v: string) => v.padStart(2, '0');
  const date = `${y}-${two(mo)}-${two(d)}`;
  if (h === undefined) return date;
  let text = `${date}T${two(h)}:${mi}:${sec}`;
  const micro = (fraction ?? '').slice(0, 6).padEnd(6, '0');
  if (Number(micro)) text += `.${micro}`;
  if (tz === 'Z') text += '+00:00';
  else if (sign) text += `${sign}${two(tzh)}:${tzm ?? '00'}`;
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

/** PyYAML's construct_yaml_float. */
function pyFloat(source: string): number {
  const [sign, v] = signOf(source.replace(/_/g, '').toLowerCase());
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) return sign * sexagesimal(v);
  return sign * Number(v);
}

function scalarTag(tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag {
  return { identify: () => false, default: true, tag, test, resolve: (s: string) => resolve(s) as never };
}

const PYYAML_SCALARS: ScalarTag[] = [
  scalarTag('tag:yaml.org,2002:null', NULL, () => new Scalar(null)),
  scalarTag('tag:yaml.org,2002:bool', BOOL_TRUE, () => new Scalar(true)),
  scalarTag('tag:yaml.org,2002:bool', BOOL_FALSE, () => new Scalar(false)),
  scalarTag('tag:yaml.org,2002:int', INT, (s) => new Scalar(pyInt(s))),
  scalarTag('tag:yaml.org,2002:float', FLOAT, (s) => new Scalar(pyFloat(s))),
  scalarTag('tag:yaml.org,2002:timestamp', TIMESTAMP, (s) => new Scalar(pyTimestamp(s))),
  // Ansible's !unsafe: text that is never templated.
  { identify: () => false, tag: '!unsafe', resolve: (s: string) => new UnsafeText(s) as never },
];

function customTags(tags: Tags): Tags {
  return [...tags, ...PYYAML_SCALARS];
}

/** Parse YAML/JSON text; errors name file:line. An empty document is `null`. */
export function parseYamlText(text: string, file: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON: YAML below
    }
    if (data !== undefined) {
      guardDataDepth(data, file, text);
      return data;
    }
  }
  if (text.startsWith('$ANSIBLE_VAULT')) {
    throw new InputError('vault-encrypted files are not supported; decrypt it or move the secret elsewhere', { file });
  }
  guardYamlText(text, file);
  const docs = parseAllDocuments(text, {
    schema: 'failsafe',
    customTags,
    merge: true,
    uniqueKeys: false,
    prettyErrors: true,
    strict: false,
  });
  if (!Array.isArray(docs)) return null; // an empty stream
  if (docs.length > 1) {
    throw new InputError('expected a single YAML document, found several', { file, line: lineOf(text, docs[1].range[0]) });
  }
  const doc = docs[0];
  if (!doc) return null;
  guardYamlDocument(doc, file, text);
  const error = doc.errors[0];
  if (error) {
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [undefined, undefined];
    throw new InputError(`YAML syntax error: ${error.message.split('\n')[0]}`, { file, line, column });
  }
  if (isScalar(doc.contents) && doc.contents.tag === '!vault') {
    throw new InputError('!vault values are not supported', { file });
  }
  return doc.toJS({ maxAliasCount: -1 });
}

export async function loadYamlFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseYamlText(text, file);
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
