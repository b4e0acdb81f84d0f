/**
 * Wiring the connector from the CLI's global options: ssh config (-F or ~/.ssh/config), -u,
 * --private-key, --timeout, --host-key-checking, --forks, -K (asked once per run). Commands
 * that talk to hosts (ping, apply, ...) all start here.
 */
import * as os from 'node:os';
import type SSHConfig from 'ssh-config';
import { connectionType, type ConnectionType } from './connection-type.js';
import { LocalHostConnection, type LocalTarget } from './local-connection.js';
import { ConnectionPool } from './pool.js';
import { resolveTarget, unresolvableTarget, type ResolveOptions, type VarOrigin } from './resolve-target.js';
import { terminalSecretPrompt, type SecretPrompt } from './secret-prompt.js';
import { loadSshConfig } from './ssh-config-file.js';
import type { ConnectionTarget, HostKeyPolicy } from './types.js';

export interface ConnectorCliOptions {
  forks: number;
  user?: string;
  privateKey?: string;
  sshConfig?: string;
  hostKeyChecking: HostKeyPolicy;
  timeout: number;
  askBecomePass?: boolean;
  /** -c/--connection: the plugin for hosts whose play, task and vars name none. */
  connection?: string;
}

export interface Connector {
  pool: ConnectionPool;
  sshConfig: SSHConfig;
  /** Connection target of an inventory host (pure resolution; throws InputError on bad vars). */
  target(name: string, hostVars: Record<string, unknown>): ConnectionTarget;
  /**
   * target(), for `run` and `ping` alike: a host whose vars cannot be resolved is unreachable
   * (UnreachableError naming the inventory file:line `originOf` knows for the bad variable).
   */
  targetOrUnreachable(name: string, hostVars: Record<string, unknown>, originOf?: VarOrigin): ConnectionTarget;
  /** ssh or local for this host: its ansible_connection, else `keyword` (task/play), else -c. */
  connectionType(name: string, hostVars: Record<string, unknown>, keyword?: string): ConnectionType;
  /** What a `connection: local` host runs as: the controller's user, its become password. */
  localTarget(name: string, hostVars: Record<string, unknown>): LocalTarget;
  /** The host's one local connection for this run (commands run on the controller). */
  connectLocal(target: LocalTarget): LocalHostConnection;
  /** Ctrl-C: abort connects, end the commands running on the hosts (close() waits for it). */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectorIo {
  prompt?: SecretPrompt;
  debug?: (msg: string) => void;
  homeDir?: string;
  localUser?: string;
  env?: NodeJS.ProcessEnv;
}

export async function createConnector(opts: ConnectorCliOptions, io: ConnectorIo = {}): Promise<Connector> {
  const homeDir = io.homeDir ?? os.homedir();
  const env = io.env ?? process.env;
  const prompt = io.prompt ?? terminalSecretPrompt();
  const sshConfig = await loadSshConfig(opts.sshConfig, homeDir);
  const becomePassword = opts.askBecomePass ? await prompt('BECOME password: ') : undefined;
  const resolveOpts: ResolveOptions = {
    user: opts.user,
    privateKey: opts.privateKey,
    timeoutSec: opts.timeout,
    hostKeyChecking: opts.hostKeyChecking,
    becomePassword,
    localUser: io.localUser ?? env.USER ?? os.userInfo().username,
    homeDir,
    agentSocket: env.SSH_AUTH_SOCK || undefined,
  };
  const pool = new ConnectionPool({
    forks: opts.forks,
    homeDir,
    askPassphrase: (file) => prompt(`Enter passphrase for key '${file}': `),
    debug: io.debug,
  });
  const locals = new Map<string, LocalHostConnection>();
  const localUser = os.userInfo().username;
  const localTarget = (name: string, hostVars: Record<string, unknown>): LocalTarget => {
    const v = hostVars.ansible_become_password ?? hostVars.ansible_become_pass;
    const password = v === undefined || v === null || v === '' ? becomePassword : String(v);
    return { name, user: localUser, ...(password !== undefined ? { becomePassword: password } : {}) };
  };
  const connectLocal = (t: LocalTarget) => {
    const key = `${t.name}\0${t.becomePassword ?? ''}`;
    let conn = locals.get(key);
    if (!conn || !conn.isAlive) locals.set(key, (conn = new LocalHostConnection(t)));
    return conn;
  };
  const target = (name: string, hostVars: Record<string, unknown>) => resolveTarget(name, hostVars, resolveOpts, sshConfig);
  const targetOrUnreachable = (name: string, hostVars: Record<string, unknown>, originOf?: VarOrigin) => {
    try {
      return target(name, hostVars);
    } catch (err) {
      throw unresolvableTarget(err, name, originOf);
    }
  };
  return {
    pool,
    sshConfig,
    target,
    targetOrUnreachable,
    connectionType: (name, hostVars, keyword) => connectionType(name, hostVars, keyword, opts.connection),
    localTarget,
    connectLocal,
    interrupt: async () => {
      await Promise.all([pool.interruptAll(), ...[...locals.values()].map((c) => c.interrupt())]);
    },
    close: async () => {
      await Promise.all([pool.closeAll(), ...[...locals.values()].map((c) => c.close())]);
      locals.clear();
    },
  };
}
