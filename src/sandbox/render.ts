/** Client-side files `sandbox up` writes: inventory.ini, ssh_config, known_hosts. Pure. */
import type { InventoryValue, SandboxHost, SandboxKind } from './types.js';
import { literalEval } from '../python/literal-eval.js';
import { pyRepr } from '../python/repr.js';

export interface ClientFiles {
  sandbox: string;
  kind: SandboxKind;
  hosts: readonly SandboxHost[];
  /** Absolute paths. */
  privateKey: string;
  knownHosts: string;
  extraVars?: Record<string, InventoryValue>;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Characters an INI value may show bare (unless Ansible's literal_eval would make it a non-string). */
const BARE_VALUE = /^[A-Za-z0-9_@%+=:,./~-]+$/;
/** Paths we write unquoted into inventory.ini and ssh_config. */
const PLAIN_PATH = /^\/[A-Za-z0-9_@%+=./~-]*$/;

export function plainPathProblem(path: string): string | undefined {
  return PLAIN_PATH.test(path)
    ? undefined
    : `"${path}" must be an absolute path without spaces, quotes, commas or colons (it goes unquoted into inventory.ini, ssh_config and overlay mount options)`;
}

/** A value for an Ansible INI `[group:vars]` line, kept a string when it is one. */
export function iniValue(value: InventoryValue): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`inventory value ${value} is not a finite number`);
  if (typeof value !== 'string') return pyRepr(value);
  if (BARE_VALUE.test(value) && !literalEval(value, { json: true }).ok) return value;
  // Ansible runs ast.literal_eval on INI values: a JSON string literal is a Python string literal.
  return JSON.stringify(value);
}

export function renderInventory(f: ClientFiles): string {
  const vars: [string, string][] = [
    ['ansible_user', 'root'],
    ['ansible_ssh_private_key_file', f.privateKey],
    ['ansible_python_interpreter', '/usr/bin/python3'],
    ['ansible_ssh_common_args', `'-o UserKnownHostsFile=${f.knownHosts}'`],
  ];
  for (const [key, value] of Object.entries(f.extraVars ?? {})) {
    if (!VAR_NAME.test(key)) throw new Error(`inventory variable name "${key}" is not a valid identifier`);
    if (vars.some(([k]) => k === key)) throw new Error(`inventory variable "${key}" is set by the sandbox itself`);
    vars.push([key, iniValue(value)]);
  }
  const lines = [
    `# Written by falco-deploy sandbox up (${f.kind}, ${f.hosts.length} hosts); removed by sandbox down.`,
    `[${f.sandbox}]`,
    ...f.hosts.map((h) => `${h.name} ansible_host=${h.ip}`),
    '',
    `[${f.kind}]`,
    ...f.hosts.map((h) => h.name),
    '',
    `[${f.sandbox}:vars]`,
    ...vars.map(([k, v]) => `${k}=${v}`),
  ];
  return lines.join('\n') + '\n';
}

export function renderSshConfig(f: ClientFiles): string {
  const blocks = f.hosts.map((h) =>
    [
      `Host ${h.name}`,
      `  HostName ${h.ip}`,
      '  User root',
      `  IdentityFile ${f.privateKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${f.knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  ConnectTimeout 5',
    ].join('\n'),
  );
  return `# Written by falco-deploy sandbox up; use with ssh -F <this file> ${f.hosts[0]?.name ?? 'HOST'}\n${blocks.join('\n\n')}\n`;
}

/** One line per host, keyed by IP, with the host key generated for it before it started. */
export function renderKnownHosts(hosts: readonly { ip: string; hostKey: string }[]): string {
  return hosts.map((h) => `${h.ip} ${publicKeyBody(h.hostKey)}`).join('\n') + '\n';
}

/** `ssh-ed25519 AAAA... comment` -> `ssh-ed25519 AAAA...`. */
function publicKeyBody(publicKey: string): string {
  const [type, body] = publicKey.trim().split(/\s+/);
  if (!type || !body) throw new Error(`not an OpenSSH public key: ${publicKey}`);
  return `${type} ${body}`;
}
