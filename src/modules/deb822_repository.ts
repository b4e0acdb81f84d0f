import { failOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { fileContent } from '../facts/repos.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { fileDiff, removeFileCommand, writeFileCommand } from './system/repo-write.js';
import { normalizeMode } from './files/mode.js';

const boolArg = { type: 'bool' } as const;
const listArg = { type: 'list', elements: 'str' } as const;

const deb822Spec: ModuleSpec = {
  args: {
    allow_downgrade_to_insecure: boolArg,
    allow_insecure: boolArg,
    allow_weak: boolArg,
    architectures: listArg,
    by_hash: boolArg,
    check_date: boolArg,
    check_valid_until: boolArg,
    components: listArg,
    date_max_future: { type: 'int' },
    enabled: boolArg,
    inrelease_path: { type: 'str' },
    install_python_debian: { type: 'bool', default: true },
    languages: listArg,
    name: { type: 'str', required: true },
    pdiffs: boolArg,
    signed_by: { type: 'str' },
    suites: listArg,
    targets: listArg,
    trusted: boolArg,
    types: { type: 'list', elements: 'str', choices: ['deb', 'deb-src'], default: ['deb'] },
    uris: listArg,
    mode: { type: 'raw', default: '0644' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  },
};

/** Arguments that are not deb822 fields. */
const NOT_FIELDS = new Set(['mode', 'state', 'install_python_debian']);

/** Ansible's slug: lower-case, runs of `_`/space -> '-', anything else not [a-z0-9-] dropped. */
export function deb822Slug(name: string): string {
  return name.toLowerCase().replace(/[_\s]+/g, '-').replace(/[^a-z0-9-]+/g, '');
}

function fieldName(key: string): string {
  if (key === 'name') return 'X-Repolib-Name';
  if (key === 'uris') return 'URIs';
  // Python's str.title(): upper-case after every non-letter
  return key.replace(/_/g, '-').replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
}

function multiline(v: string): string {
  const lines = v.trim().split('\n').map((l) => l.trim() || '.');
  return '\n' + lines.map((l) => `    ${l}`).join('\n');
}

/**
 * The .sources text as Ansible's deb822_repository writes it: fields in sorted argument order,
 * lists space-joined, booleans yes/no, multi-line values (an armored key) indented with '.' for
 * blank lines.
 */
function renderDeb822(a: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(a).sort()) {
    const raw = a[key];
    if (raw === undefined || raw === null || NOT_FIELDS.has(key)) continue;
    let value = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : Array.isArray(raw) ? raw.join(' ') : String(raw);
    if (value.includes('\n')) value = multiline(value);
    out += !value || value.startsWith('\n') ? `${fieldName(key)}:${value}\n` : `${fieldName(key)}: ${value}\n`;
  }
  return out;
}

function args(raw: Record<string, unknown>) {
  const a = validateArgs<Record<string, unknown> & { name: string; state: string; mode: unknown; signed_by?: string }>(deb822Spec, raw, 'deb822_repository');
  if (a.signed_by && /^[a-z][a-z0-9+.-]*:\/\//i.test(a.signed_by)) {
    throw new ArgumentError('signed_by as a URL is not fetched here: install the key with signing_key (it verifies the fingerprint) and give its path');
  }
  if (a.state === 'present') {
    for (const f of ['uris', 'suites']) if (!a[f]) throw new ArgumentError(`state is present but all of the following are missing: ${f}`);
  }
  return a;
}

function sourcesPath(name: string): string {
  return `/etc/apt/sources.list.d/${deb822Slug(name)}.sources`;
}

function planDeb822(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const dest = sourcesPath(a.name);
  const current = facts.get(fileContent(dest));
  if (a.state === 'absent') {
    if (!current.exists) return { commands: [], changed: false, result: { repo: null, dest } };
    return { commands: [removeFileCommand(dest)], changed: true, diff: [fileDiff(dest, current.content, undefined)], result: { repo: null, dest } };
  }
  const repo = renderDeb822(a);
  const result = { repo, dest, key_filename: a.signed_by?.startsWith('/') ? a.signed_by : null };
  if (current.exists && current.content === repo) return { commands: [], changed: false, result };
  return {
    commands: [writeFileCommand(dest, repo, normalizeMode(a.mode) ?? '0644')],
    changed: true,
    diff: [fileDiff(dest, current.exists ? current.content : undefined, repo)],
    result,
  };
}

export const deb822RepositoryModule: ModuleDefinition = {
  name: 'deb822_repository',
  spec: deb822Spec,
  probes: (raw) => {
    const name = (raw as { name?: unknown }).name;
    return typeof name === 'string' ? [fileContent(sourcesPath(name))] : [];
  },
  plan: (raw, facts) => failOnArgError(() => planDeb822(raw, facts)),
};
