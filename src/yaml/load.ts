/**
 * The one YAML loader. Both of Ansible's ways of reading YAML resolve scalars as PyYAML does
 * (scalars.ts), allow duplicate keys (last wins) and `<<` merge keys, and are guarded against
 * alias bombs and absurd nesting (guard.ts):
 * - Ansible's DataLoader (inventories, group_vars/host_vars, playbooks, roles, vars files, -e):
 *   JSON first, `!unsafe` text, `!vault` values and vault-encrypted files decrypted with the
 *   secrets the CLI gave (vault.ts); one document; errors are InputErrors naming
 *   file:line:col; every map and list is registered for positionOf/keyPositionOf.
 * - PyYAML's SafeLoader (the `from_yaml`/`from_yaml_all` filters): no Ansible tags; errors are
 *   YamlErrors for the filter to turn into its own.
 */
import { readFileSync } from 'node:fs';
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type ScalarTag, type Tags, type YAMLError,
} from 'yaml';
import { InputError } from '../errors.js';
import { UnsafeText } from '../python/values.js';
import { checkYamlDocument, checkYamlText, YamlError } from './guard.js';
import { keyPositionOf, recordPosition, type SourcePos } from './positions.js';
import { JSON_SCALARS, PYYAML_SCALARS } from './scalars.js';
import { decryptVault, isVaultText, vaultSecrets, VaultError } from './vault.js';

export { YamlError } from './guard.js';

/** Ansible's own tags: `!unsafe` text is never templated; `!vault` text is decrypted. */
const ANSIBLE_TAGS: readonly ScalarTag[] = [
  { identify: () => false, tag: '!unsafe', resolve: (s: string) => new UnsafeText(s) as never },
  { identify: () => false, tag: '!vault', resolve: (s: string) => s },
];

interface Flavour {
  scalars: readonly ScalarTag[];
  /** Ansible's loader: its tags, and JSON's `{"__ansible_unsafe": ...}`. */
  ansible: boolean;
  /** Registers positions under this file name. */
  file?: string;
}

/** Ansible's DataLoader on text from `file`: InputError at file:line:col for bad input; empty text is null. */
export function parseAnsibleYaml(text: string, file: string): unknown {
  if (isVaultText(text)) text = decrypted(text, file);
  try {
    const docs = parseDocuments(text, { scalars: isJson(text) ? JSON_SCALARS : PYYAML_SCALARS, ansible: true, file });
    return singleDocument(docs);
  } catch (err) {
    if (err instanceof YamlError) throw new InputError(err.message, { file, ...lineAndColumn(text, err.offset) });
    throw err;
  }
}

/** parseAnsibleYaml on a file's text; a file that cannot be read is an InputError too. */
export function loadAnsibleYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseAnsibleYaml(text, file);
}

/** yaml.safe_load: one document (null when empty); bad YAML is a YamlError. */
export function safeLoad(text: string): unknown {
  return singleDocument(parseDocuments(text, { scalars: PYYAML_SCALARS, ansible: false }));
}

/** yaml.safe_load_all: every document of the stream. */
export function safeLoadAll(text: string): unknown[] {
  return parseDocuments(text, { scalars: PYYAML_SCALARS, ansible: false }).map((d) => d.value);
}

/** Ansible's loaders try json.loads first: JSON text gets JSON's typing ("1e3" is a float there). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

function singleDocument(docs: { value: unknown; offset: number }[]): unknown {
  if (docs.length > 1) {
    throw new YamlError('YAML syntax error: expected a single document in the stream, but found another document', docs[1]!.offset);
  }
  return docs.length ? docs[0]!.value : null;
}

function parseDocuments(text: string, flavour: Flavour): { value: unknown; offset: number }[] {
  checkYamlText(text);
  const lines = new LineCounter();
  const customTags = (tags: Tags): Tags => [...tags, ...flavour.scalars, ...(flavour.ansible ? ANSIBLE_TAGS : [])];
  const docs = parseAllDocuments(text, { schema: 'failsafe', customTags, uniqueKeys: false, prettyErrors: false, strict: false, lineCounter: lines });
  const streamError = docs.length === 0 && 'errors' in docs ? docs.errors[0] : undefined;
  if (streamError) throw syntaxError(streamError, text);
  return docs.map((doc) => {
    checkYamlDocument(doc);
    const error = doc.errors[0];
    if (error) throw syntaxError(error, text);
    const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' && !(flavour.ansible && /tag: !unsafe\b/.test(w.message)));
    if (unknownTag) throw unknownTagError(unknownTag, text);
    return { value: new Converter(doc, lines, flavour).value(doc.contents as Node | null), offset: doc.range[0] };
  });
}

function syntaxError(error: YAMLError, text: string): YamlError {
  let offset = error.pos[0];
  let message = error.message.split('\n')[0]!;
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    // the parser reports the end of the input; the opening quote is what needs fixing
    const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
    if (opening >= 0) {
      offset = opening;
      message = `this ${quote} quote is never closed`;
    }
  }
  return new YamlError(`YAML syntax error: ${message}`, offset);
}

/** PyYAML's ConstructorError for a tag it has no constructor for (`!unsafe` on a list or dict stays Ansible's). */
function unknownTagError(warning: YAMLError, text: string): YamlError {
  const offset = warning.pos[0];
  const written = /^\S+/.exec(text.slice(offset))?.[0] ?? '';
  const tag = written.startsWith('!!') ? `tag:yaml.org,2002:${written.slice(2)}` : written;
  return new YamlError(`could not determine a constructor for the tag '${tag}'`, offset);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** Turns the parsed nodes into plain data as PyYAML's constructor does. */
class Converter {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly flavour: Flavour,
  ) {}

  value(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.value(node.resolve(this.doc) as Node | undefined);
    if (isScalar(node)) {
      if (this.flavour.ansible && node.tag === '!vault') return vaultValue(String(node.value), node);
      return node.value;
    }
    if (isSeq(node)) {
      const out = node.items.map((item) => this.value(item as Node));
      // list items are "keyed" by index, so scalar items can be located too
      this.record(out, node, node.items.map((item, i) => [String(i), item as Node]));
      return out;
    }
    if (isMap(node)) return this.mapping(node.items as { key: unknown; value: unknown }[], node);
    return null;
  }

  private mapping(pairs: { key: unknown; value: unknown }[], node: Node): unknown {
    const out: Record<string, unknown> = {};
    const keys: [string, Node][] = [];
    const merges: unknown[] = [];
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      const key = String(this.value(keyNode));
      const value = this.value(pair.value as Node | null);
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        merges.push(...(Array.isArray(value) ? value : [value]));
        continue;
      }
      setKey(out, key, value);
      if (keyNode) keys.push([key, keyNode]);
    }
    const where = this.record(out, node, keys);
    // explicit keys win over merged ones; earlier merge sources win over later ones
    for (const source of merges) {
      if (typeof source !== 'object' || source === null || Array.isArray(source)) {
        throw new YamlError('YAML syntax error: merge key << needs a mapping or a list of mappings', node.range?.[0] ?? 0);
      }
      for (const [k, v] of Object.entries(source)) {
        if (k in out) continue;
        setKey(out, k, v);
        const pos = keyPositionOf(source, k);
        if (where && pos) where.set(k, pos);
      }
    }
    if (this.flavour.ansible && this.flavour.scalars === JSON_SCALARS) return ansibleJsonObject(out, node);
    return out;
  }

  /** Registers where `value` and its keys were written (only for a loader given a file name). */
  private record(value: object, node: Node, keys: [string, Node][]): Map<string, SourcePos> | undefined {
    const file = this.flavour.file;
    if (file === undefined) return undefined;
    const pos = (n: Node): SourcePos => {
      const { line, col } = this.lines.linePos(n.range?.[0] ?? 0);
      return { file, line, column: col };
    };
    const map = new Map(keys.map(([k, n]) => [k, pos(n)]));
    recordPosition(value, pos(node), map);
    return map;
  }
}

/** A key named `__proto__` stays a key. */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A `!vault` value's plaintext (Ansible decrypts it when it is used; we do when it is read). */
function vaultValue(vaulttext: string, node: Node): string {
  try {
    return decryptVault(vaulttext, vaultSecrets());
  } catch (err) {
    if (err instanceof VaultError) throw new YamlError(`${err.message}${VAULT_HINT}`, node.range?.[0] ?? 0);
    throw err;
  }
}

/** A vault-encrypted file's plaintext; InputError naming the file when no secret opens it. */
function decrypted(text: string, file: string): string {
  try {
    return decryptVault(text, vaultSecrets());
  } catch (err) {
    if (err instanceof VaultError) throw new InputError(`${err.message} on ${file}${VAULT_HINT}`, { file, line: 1, column: 1 });
    throw err;
  }
}

const VAULT_HINT = ' (vault passwords: --vault-password-file, --vault-id, --ask-vault-password)';

/** AnsibleJSONDecoder: `{"__ansible_unsafe": "text"}` is unsafe text, `{"__ansible_vault": ...}` a vault value. */
function ansibleJsonObject(out: Record<string, unknown>, node: Node): unknown {
  if ('__ansible_vault' in out) return vaultValue(String(out['__ansible_vault']), node);
  const unsafe = out['__ansible_unsafe'];
  if (typeof unsafe === 'string') return new UnsafeText(unsafe);
  return out;
}
