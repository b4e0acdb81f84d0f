/** Client-side files `sandbox up` writes: inventory.ini, ssh_config, known_hosts. Pure. */
import type { InventoryValue, SandboxHost, SandboxKind } from './types.js';

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
/** Tokens an INI value may show bare: Ansible would not turn them into a non-string. */
const BARE_VALUE = /^[A-Za-z0-9_@%+=:,./~-]+$/;
const PY_LITERAL = /^(?:[-+]?\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|True|False|None)$/i;
/** Paths we write unquoted into inventory.ini and ssh_config. */
const PLAIN_PATH = /^\/[A-Za-z0-9_@%+=./~-]*$/;

export function plainPathProblem(path: string): string | undefined {
  return PLAIN_PATH.test(path)
    ? undefined
    : `"${path}" must be an absolute path without spaces, quotes, commas or colons (it goes unquoted into inventory.ini, ssh_config and overlay mount options)`;
}

/** A value for an Ansible INI `[group:vars]` line, kept a string when it is one. */
export function iniValue(value: InventoryValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`inventory value ${value} is not a finite number`);
    return String(value);
  }
  if (BARE_VALUE.test(value) && !PY_LITERAL.test(value)) return value;
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
