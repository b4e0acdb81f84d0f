import { failOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { ModuleDefinition, Plan } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { fileContent } from '../facts/repos.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { dumpIniSorted, parseIni, writeIni } from './system/ini.js';
import { fileDiff, removeFileCommand, writeFileCommand } from './system/repo-write.js';
import { normalizeMode } from './files/mode.js';

const str = { type: 'str' } as const;
const bool = { type: 'bool' } as const;
const list = { type: 'list', elements: 'str' } as const;

const yumRepositorySpec: ModuleSpec = {
  args: {
    async: bool,
    bandwidth: str,
    baseurl: list,
    cost: str,
    description: str,
    enabled: bool,
    enablegroups: bool,
    exclude: list,
    failovermethod: { type: 'str', choices: ['roundrobin', 'priority'] },
    file: str,
    gpgcakey: str,
    gpgcheck: bool,
    gpgkey: list,
    module_hotfixes: bool,
    http_caching: { type: 'str', choices: ['all', 'packages', 'none'] },
    include: str,
    includepkgs: list,
    ip_resolve: { type: 'str', choices: ['4', '6', 'IPv4', 'IPv6', 'whatever'] },
    keepalive: bool,
    keepcache: { type: 'str', choices: ['0', '1'] },
    metadata_expire: str,
    metadata_expire_filter: { type: 'str', choices: ['never', 'read-only:past', 'read-only:present', 'read-only:future'] },
    metalink: str,
    mirrorlist: str,
    mirrorlist_expire: str,
    name: { type: 'str', required: true },
    password: { type: 'str', noLog: true },
    priority: str,
    protect: bool,
    proxy: str,
    proxy_password: { type: 'str', noLog: true },
    proxy_username: str,
    repo_gpgcheck: bool,
    reposdir: { type: 'path', default: '/etc/yum.repos.d' },
    retries: str,
    s3_enabled: bool,
    skip_if_unavailable: bool,
    sslcacert: { type: 'str', aliases: ['ca_cert'] },
    ssl_check_cert_permissions: bool,
    sslclientcert: { type: 'str', aliases: ['client_cert'] },
    sslclientkey: { type: 'str', aliases: ['client_key'] },
    sslverify: { type: 'bool', aliases: ['validate_certs'] },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
    throttle: str,
    timeout: str,
    ui_repoid_vars: str,
    username: str,
    mode: { type: 'raw' },
  },
};

/** Keys Ansible writes to the .repo file (every other argument steers the module). */
const NOT_WRITTEN = new Set(['description', 'file', 'reposdir', 'state', 'mode', 'name']);
const SPACE_JOINED = new Set(['exclude', 'includepkgs']);
const NEWLINE_JOINED = new Set(['baseurl', 'gpgkey']);

function args(raw: Record<string, unknown>) {
  const a = validateArgs<Record<string, unknown> & { name: string; state: string; reposdir: string; file?: string; description?: string }>(
    yumRepositorySpec,
    raw,
    'yum_repository',
  );
  if (a.state === 'present') {
    if (a.baseurl === undefined && a.metalink === undefined && a.mirrorlist === undefined) {
      throw new ArgumentError("Parameter 'baseurl', 'metalink' or 'mirrorlist' is required.");
    }
    if (a.description === undefined) throw new ArgumentError("Parameter 'description' is required.");
  }
  if (/[\]\n]/.test(a.name)) throw new ArgumentError(`invalid repository id: ${a.name}`);
  return a;
}

function repoFilePath(raw: Record<string, unknown>): string {
  const dir = String(raw.reposdir ?? '/etc/yum.repos.d');
  return `${dir}/${String(raw.file ?? raw.name)}.repo`;
}

/** The section's keys, sorted, with Ansible's value conversions (bool -> 1/0, lists joined). */
function repoSection(a: Record<string, unknown>): Map<string, string> {
  const values: Record<string, unknown> = { ...a, name: a.description };
  const section = new Map<string, string>();
  for (const key of Object.keys(values).sort()) {
    let v = values[key];
    if (v === undefined || v === null || (NOT_WRITTEN.has(key) && key !== 'name')) continue;
    if (key === 'name' && a.description === undefined) continue;
    if (Array.isArray(v)) v = v.join(NEWLINE_JOINED.has(key) ? '\n' : SPACE_JOINED.has(key) ? ' ' : ' ');
    else if (typeof v === 'boolean') v = v ? 1 : 0;
    section.set(key, String(v));
  }
  return section;
}

function planYumRepository(raw: Record<string, unknown>, facts: ProbedFacts): Plan {
  const a = args(raw);
  const dest = repoFilePath(a);
  const current = facts.get(fileContent(dest));
  const ini = parseIni(current.exists ? current.content : '');
  const before = dumpIniSorted(ini);
  ini.delete(a.name);
  if (a.state === 'present') ini.set(a.name, repoSection(a));
  const after = dumpIniSorted(ini);
  const result = { repo: a.name, state: a.state };
  if (before === after) return { commands: [], changed: false, result };
  const diff = [{ ...fileDiff(dest, before, after), beforeHeader: dest, afterHeader: dest }];
  if (ini.size === 0) {
    return { commands: current.exists ? [removeFileCommand(dest)] : [], changed: true, diff, result };
  }
  const mode = a.mode !== undefined ? normalizeMode(a.mode) : undefined;
  return { commands: [writeFileCommand(dest, writeIni(ini), mode ?? '0644')], changed: true, diff, result };
}

export const yumRepositoryModule: ModuleDefinition = {
  name: 'yum_repository',
  spec: yumRepositorySpec,
  probes: (raw) => (typeof raw.name === 'string' ? [fileContent(repoFilePath(raw))] : []),
  plan: (raw, facts) => failOnArgError(() => planYumRepository(raw, facts)),
};
