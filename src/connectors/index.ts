/**
 * The SSH connector: one connection + persistent shell per host, host key policy, ssh config.
 * Commands that talk to hosts start with createConnector(globalOptions) and then
 * `connector.connect(name, inventory.hostVars(name))`.
 */
export type * from './types.js';
export { createConnector, type Connector, type ConnectorCliOptions, type ConnectorIo } from './setup.js';
export { ConnectionPool, targetKey, type PoolOptions } from './pool.js';
export { SshHostConnection, MAX_SESSION_CHANNELS } from './ssh-connection.js';
export { resolveTarget, type ResolveOptions } from './resolve-target.js';
export { loadSshConfig } from './ssh-config-file.js';
export { pingHosts, type PingHost, type PingResult, type PingOptions, type PingStatus } from './ping-hosts.js';
export { terminalSecretPrompt, type SecretPrompt } from './secret-prompt.js';
export { KnownHostsStore } from './known-hosts-store.js';
export {
  parseKnownHosts,
  checkHostKey,
  describeHostKey,
  fingerprintOf,
  knownHostsName,
  entryMatchesHost,
  type KnownHostEntry,
  type HostKeyInfo,
  type HostKeyVerdict,
} from './known-hosts.js';
