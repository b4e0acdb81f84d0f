/**
 * Which connection plugin a host's commands go through, by Ansible's precedence (PlayContext):
 * the `ansible_connection` variable beats the task/play `connection` keyword, which beats
 * `-c/--connection`; the default is smart, which is ssh.
 */
import { UnreachableError } from '../errors.js';

export type ConnectionType = 'ssh' | 'local';

/** Plugin names (short, ansible.builtin. and ansible.legacy.) and the connector that runs them. */
const PLUGINS: Record<string, ConnectionType> = { ssh: 'ssh', smart: 'ssh', paramiko: 'ssh', paramiko_ssh: 'ssh', local: 'local' };

/** `-c/--connection` values: these names, with or without ansible.builtin. */
export const CONNECTION_CHOICES = Object.keys(PLUGINS);

export function pluginType(name: string): ConnectionType | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return Object.hasOwn(PLUGINS, short) ? PLUGINS[short] : undefined;
}

export function connectionType(host: string, hostVars: Record<string, unknown>, keyword?: string, cliDefault?: string): ConnectionType {
  const fromVar = hostVars.ansible_connection;
  const name = fromVar !== undefined && fromVar !== null && fromVar !== '' ? String(fromVar) : (keyword ?? cliDefault ?? 'smart');
  const type = pluginType(name);
  if (!type) {
    const from = name === fromVar ? 'ansible_connection' : keyword === name ? 'connection' : '--connection';
    throw new UnreachableError(`${from}: the connection plugin '${name}' is not supported (ssh and local are)`, { host });
  }
  return type;
}
