/** YAML as PyYAML (Ansible's parser) resolves it: YAML 1.1, minus the y/n booleans. */
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { checkDataDepth, checkYamlDocument, checkYamlText, YamlLimitError } from '../yaml-guard.js';
import { PyError } from './errors.js';
import { PyFloat, pyFloat } from './pytypes.js';

/** PyYAML's YAML 1.1 booleans: yes/no/on/off/true/false but not y/n. */
function pyyamlTags(tags: unknown[]): unknown[] {
  const replaced = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:float']);
  const others = tags.filter((t) => !replaced.has((t as { tag?: string }).tag ?? ''));
  return [
    ...others,
    {
      identify: (v: unknown) => typeof v === 'boolean',
      default: true,
      tag: 'tag:yaml.org,2002:bool',
      test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
      resolve: (s: string) => /^(?:yes|true|on)$/i.test(s),
    },
    {
      // PyYAML floats need a dot ("1e3" is a string); integral ones stay floats ("1.0").
      identify: (v: unknown) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
      default: true,
      tag: 'tag:yaml.org,2002:float',
      test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
      resolve: (s: string) => {
        const t = s.replace(/_/g, '').toLowerCase();
        if (t.endsWith('.nan')) return NaN;
        if (t.endsWith('.inf')) return t.startsWith('-') ? -Infinity : Infinity;
        return pyFloat(Number(t));
      },
    },
    {
      identify: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
      default: true,
      tag: 'tag:yaml.org,2002:int',
      test: /^[-+]?0o[0-7_]+$/,
      resolve: (s: string) => (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[-+]?0o/, '').replace(/_/g, ''), 8),
    },
  ];
}

export function parsePyYaml(text: string): unknown {
  limited(() => checkYamlText(text));
  return toData(parseDocument(text, { version: '1.1', customTags: pyyamlTags as never }));
}

export function parseAllPyYaml(text: string): unknown[] {
  limited(() => checkYamlText(text));
  return parseAllDocuments(text, { version: '1.1', customTags: pyyamlTags as never }).map((d) => {
    if (!('toJS' in d)) throw new Error('invalid YAML stream');
    return toData(d);
  });
}

/** from_json's data: nesting beyond the YAML limit fails the filter too. */
export function checkJsonDepth(data: unknown): void {
  limited(() => checkDataDepth(data));
}

function toData(doc: Document): unknown {
  limited(() => checkYamlDocument(doc));
  if (doc.errors[0]) throw doc.errors[0];
  return doc.toJS() ?? null;
}

/** Alias bombs, recursive aliases and absurd nesting fail the filter like bad YAML does. */
function limited(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof YamlLimitError) throw new PyError(err.message);
    throw err;
  }
}
