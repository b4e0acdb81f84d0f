/** What the engine and commands need from a connection; the SSH connector implements it. */

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

export interface ExecOptions {
  /** Bytes fed to the command's stdin; without it stdin is /dev/null. */
  stdin?: string | Buffer;
  /** Environment for the command; survives become (passed via `env` under sudo). */
  env?: Record<string, string>;
  /** Run through sudo (password, if any, was given once when the shell started). */
  become?: boolean;
  becomeUser?: string;
  cwd?: string;
  /**
   * Abort the command (and the shell it ran in) after this long, counted from when it is sent;
   * commands pipelined behind it in the same shell fail too, and the next use starts a new shell.
   */
  timeoutMs?: number;
  /** Most bytes of stdout and of stderr kept (default OUTPUT_LIMIT_BYTES); the middle is cut with a note. */
  maxOutputBytes?: number;
  /**
   * Controller file streamed into the command's stdin over a channel of its own (bounded
   * memory, any size); instead of `stdin`.
   */
  stdinFile?: string;
  /** Controller file the command's stdout is streamed into over a channel of its own (parent dirs created). */
  stdoutFile?: string;
}

export interface ExecRequest extends ExecOptions {
  command: string;
  /**
   * In a batch: an exit code outside this list stops the batch there. The requests after it do
   * not run (the remote shell skips them) and get no result: the result list ends with this one.
   */
  stopBatchUnless?: number[];
}

export interface ConnectionStats {
  /** SSH channels opened (exec or shell) on this connection. */
  channels: number;
  /** Request/response round trips to the host (a batch counts once). */
  roundTrips: number;
  connectMs: number;
}

/** One host's single connection, reused for every command of a run. */
export interface HostConnection {
  readonly name: string;
  readonly stats: ConnectionStats;
  /** ssh, or local child processes (`connection: local`). */
  readonly transport?: 'ssh' | 'local';
  /** One command, one round trip. Non-zero exit codes resolve, they do not reject. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Several commands in ONE round trip; results in order. Each gets its own exit code/stderr.
   * A request that fails its `stopBatchUnless` ends the batch: fewer results than requests.
   */
  execBatch(requests: ExecRequest[]): Promise<ExecResult[]>;
  close(): Promise<void>;
  /** False once the transport is gone (lost or closed); a new connection is then needed. */
  readonly isAlive?: boolean;
  /** Optional: write bytes to a remote file atomically (temp file + rename). */
  upload?(content: string | Buffer, remotePath: string, opts?: UploadOptions): Promise<void>;
}

/** Everything needed to reach one host, resolved from inventory vars, ssh config and CLI flags. */
export interface ConnectionTarget {
  /** Inventory name. */
  name: string;
  hostname: string;
  port: number;
  user: string;
  privateKeyFiles: string[];
  password?: string;
  becomePassword?: string;
  /** Jump host chain (ProxyJump), outermost first. */
  proxyJump?: ConnectionTarget[];
  connectTimeoutMs: number;
  /** known_hosts files searched and (the first one) written in accept-new; default ~/.ssh/known_hosts. */
  knownHostsFiles?: string[];
  /** Read-only system known_hosts files (GlobalKnownHostsFile). */
  globalKnownHostsFiles?: string[];
  /** Host key policy for this host; default strict. */
  hostKeyPolicy?: HostKeyPolicy;
  /** Name looked up in known_hosts instead of hostname (HostKeyAlias). */
  hostKeyAlias?: string;
  /** Write new known_hosts entries hashed (HashKnownHosts yes). */
  hashKnownHosts?: boolean;
  /** Only the listed key files, never the agent (IdentitiesOnly yes). */
  identitiesOnly?: boolean;
  /** ssh-agent socket (SSH_AUTH_SOCK or IdentityAgent); none means no agent. */
  agentSocket?: string;
}

/** `strict`: only known keys; `accept-new`: record unknown keys, refuse changed ones; `off`: accept anything. */
export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

/** Extra capability of SSH connections (copy/template may use it; exec with stdin works too). */
export interface UploadOptions {
  mode?: number;
  become?: boolean;
  becomeUser?: string;
}
