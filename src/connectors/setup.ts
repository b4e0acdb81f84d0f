/**
 * Wiring the connector from the CLI's global options: ssh config (-F or ~/.ssh/config), -u,
 * --private-key, --timeout, --host-key-checking, --forks, -K (asked once per run). Commands
 * that talk to hosts (ping, apply, ...) all start here.
 */
import * as os from 'node:os';
import type SSHConfig from 'ssh-config';
import { ConnectionPool } from './pool.js';
import type { SshHostConnection } from './ssh-connection.js';
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
  /** The host's one connection for this run (UnreachableError when it cannot be reached). */
  connect(name: string, hostVars: Record<string, unknown>): Promise<SshHostConnection>;
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
    connect: async (name, hostVars) => pool.connect(target(name, hostVars)),
    interrupt: () => pool.interruptAll(),
    close: () => pool.closeAll(),
  };
}
