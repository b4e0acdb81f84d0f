/**
 * Where and how to connect to one inventory host, with Ansible's precedence:
 *   inventory vars (ansible_host/port/user/ssh_private_key_file/host_key_checking/...)  >  CLI flags (-u, --private-key)
 *   >  ansible_ssh_common_args / ansible_ssh_extra_args (-o, -J, -p, -l, -i)  >  OpenSSH config file.
 * The ssh config is matched against ansible_host when set (that is the name Ansible hands to ssh).
 * Pure: environment facts (home, local user, agent socket) come in through `opts`.
 */
import type SSHConfig from 'ssh-config';
import { boolean } from '../python/boolean.js';
import { InputError, UnreachableError } from '../errors.js';
import { directivesFromSshArgs, proxyCommandAsJump } from './ssh-args.js';
import type { ConnectionTarget, HostKeyPolicy } from './types.js';

export interface ResolveOptions {
  /** `-u` */
  user?: string;
  /** `--private-key` */
  privateKey?: string;
  /** `--timeout` in seconds. */
  timeoutSec?: number;
  /** `--host-key-checking`; `strict` (the default) lets ssh config StrictHostKeyChecking decide, as Ansible does. */
  hostKeyChecking?: HostKeyPolicy;
  /** Asked once with -K; inventory become password wins. */
  becomePassword?: string;
  localUser: string;
  homeDir: string;
  /** SSH_AUTH_SOCK */
  agentSocket?: string;
}

type Directives = Record<string, string | string[]>;

const MAX_JUMP_DEPTH = 5;

/** Where a host's variable was set in the inventory, when known. */
export type VarOrigin = (variable: string) => { file?: string; line?: number } | undefined;

/** A host variable whose value cannot be used to connect (ansible_port=abc); names the variable. */
class HostVarError extends InputError {
  constructor(
    message: string,
    host: string,
    readonly variable: string,
  ) {
    super(message, { host });
    this.name = 'HostVarError';
  }
}

/**
 * A host whose connection settings cannot be resolved is unreachable, in `run` and `ping` alike
 * (the other hosts go on, as in Ansible). The reason names the inventory file:line that set the
 * variable when `originOf` knows it.
 */
export function unresolvableTarget(err: unknown, host: string, originOf?: VarOrigin): UnreachableError {
  if (err instanceof UnreachableError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const origin = err instanceof HostVarError ? originOf?.(err.variable) : undefined;
  const at = origin?.file ? ` (set at ${[origin.file, origin.line].filter((p) => p !== undefined).join(':')})` : '';
  return new UnreachableError(`${message}${at}`, { host, cause: err });
}

export function resolveTarget(
  name: string,
  hostVars: Record<string, unknown>,
  opts: ResolveOptions,
  sshConfig?: Pick<SSHConfig, 'compute'>,
): ConnectionTarget {
  const v = (k: string): string | undefined => {
    const x = hostVars[k];
    return x === undefined || x === null || x === '' ? undefined : String(x);
  };
  const hostArg = v('ansible_host') ?? v('ansible_ssh_host') ?? name;
  const argDirectives: Directives = {};
  for (const key of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const text = v(key);
    if (!text) continue;
    let parsed: Directives;
    try {
      parsed = directivesFromSshArgs(text);
    } catch (err) {
      throw new InputError(`${name}: cannot parse ${key}: ${(err as Error).message}`, { host: name });
    }
    for (const [k, val] of Object.entries(parsed)) if (!(k in argDirectives)) argDirectives[k] = val;
  }

  const userOverride = v('ansible_user') ?? v('ansible_ssh_user') ?? opts.user;
  const portKey = v('ansible_port') !== undefined ? 'ansible_port' : 'ansible_ssh_port';
  const portVar = v(portKey);
  const port = portVar !== undefined ? parsePort(portVar, name, portKey) : undefined;
  const keyVar = v('ansible_ssh_private_key_file') ?? v('ansible_private_key_file') ?? opts.privateKey;
  const timeoutVar = v('ansible_ssh_timeout') ?? v('ansible_timeout');
  const timeoutSec = timeoutVar !== undefined ? Number(timeoutVar) : opts.timeoutSec;

  // the ssh plugin's host_key_checking option is a config boolean: boolean(value, strict=False)
  const checkingVar = hostVars['ansible_ssh_host_key_checking'] ?? hostVars['ansible_host_key_checking'];
  const hostOpts = checkingVar !== undefined && checkingVar !== null && !boolean(checkingVar, false) ? { ...opts, hostKeyChecking: 'off' as const } : opts;
  const target = resolveHost(hostArg, name, argDirectives, { userOverride, port, keyFile: keyVar, timeoutSec }, hostOpts, sshConfig, 0);
  const password = v('ansible_password') ?? v('ansible_ssh_pass') ?? v('ansible_ssh_password');
  const becomePassword = v('ansible_become_password') ?? v('ansible_become_pass') ?? opts.becomePassword;
  if (password !== undefined) target.password = password;
  if (becomePassword !== undefined) target.becomePassword = becomePassword;
  return target;
}

interface Overrides {
  userOverride?: string;
  port?: number;
  keyFile?: string;
  timeoutSec?: number;
}

function resolveHost(
  hostArg: string,
  inventoryName: string,
  argDirectives: Directives,
  over: Overrides,
  opts: ResolveOptions,
  sshConfig: Pick<SSHConfig, 'compute'> | undefined,
  depth: number,
): ConnectionTarget {
  const fileDirectives: Directives = sshConfig ? sshConfig.compute(hostArg, { ignoreCase: true, matchExec: false }) : {};
  const one = (k: string): string | undefined => {
    const x = argDirectives[k] ?? fileDirectives[k];
    const s = Array.isArray(x) ? x[0] : x;
    return s === undefined || s === '' ? undefined : s;
  };
  const many = (k: string): string[] => {
    const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
    return [...list(argDirectives[k]), ...list(fileDirectives[k])];
  };

  const hostnameRaw = one('hostname');
  const hostname = hostnameRaw ? hostnameRaw.replace(/%h/g, hostArg).replace(/%%/g, '%') : hostArg;
  const user = over.userOverride ?? one('user') ?? opts.localUser;
  const port = over.port ?? (one('port') !== undefined ? parsePort(one('port')!, inventoryName, 'Port') : 22);
  const tokens = (s: string) => expandTokens(s, { hostname, hostArg, user, port, opts });

  const configKeys = many('identityfile').filter((f) => f.toLowerCase() !== 'none');
  const keyFiles = [...(over.keyFile ? [over.keyFile] : []), ...configKeys].map(tokens);
  const identitiesOnly = /^yes$/i.test(one('identitiesonly') ?? '');
  const knownHostsFiles = many('userknownhostsfile')
    .flatMap((s) => s.split(/\s+/))
    .filter((f) => f && f.toLowerCase() !== 'none')
    .map(tokens);
  const globalKnownHostsFiles = many('globalknownhostsfile').flatMap((s) => s.split(/\s+/)).filter(Boolean).map(tokens);

  const configTimeout = one('connecttimeout');
  const timeoutSec = over.timeoutSec ?? (configTimeout !== undefined ? Number(configTimeout) : 10);
  if (!(timeoutSec > 0)) throw new InputError(`${inventoryName}: connect timeout must be a positive number of seconds`, { host: inventoryName });

  const agentRaw = one('identityagent');
  const agentSocket =
    agentRaw === undefined || agentRaw === 'SSH_AUTH_SOCK' ? opts.agentSocket : agentRaw.toLowerCase() === 'none' ? undefined : tokens(agentRaw);

  const target: ConnectionTarget = {
    name: inventoryName,
    hostname,
    port,
    user,
    privateKeyFiles: unique(keyFiles),
    connectTimeoutMs: Math.round(timeoutSec * 1000),
    hostKeyPolicy: hostKeyPolicy(opts.hostKeyChecking, one('stricthostkeychecking')),
  };
  if (knownHostsFiles.length) target.knownHostsFiles = knownHostsFiles;
  if (globalKnownHostsFiles.length) target.globalKnownHostsFiles = globalKnownHostsFiles;
  const alias = one('hostkeyalias');
  if (alias) target.hostKeyAlias = alias;
  if (/^yes$/i.test(one('hashknownhosts') ?? '')) target.hashKnownHosts = true;
  if (identitiesOnly) target.identitiesOnly = true;
  if (agentSocket && !identitiesOnly) target.agentSocket = agentSocket;

  let jumpSpec = one('proxyjump');
  const proxyCommand = one('proxycommand');
  if (!jumpSpec && proxyCommand && proxyCommand.toLowerCase() !== 'none') {
    jumpSpec = proxyCommandAsJump(proxyCommand);
    if (!jumpSpec) {
      throw new InputError(
        `${inventoryName}: ProxyCommand "${proxyCommand}" is not supported; use ProxyJump (or "ssh -W %h:%p bastion")`,
        { host: inventoryName },
      );
    }
  }
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') {
    if (depth >= MAX_JUMP_DEPTH) {
      throw new InputError(`${inventoryName}: ProxyJump chain deeper than ${MAX_JUMP_DEPTH} (a loop in ssh config?)`, { host: inventoryName });
    }
    target.proxyJump = resolveJumpChain(jumpSpec, inventoryName, opts, sshConfig, depth, timeoutSec);
  }
  return target;
}

/** `a,b` -> [a, b]; each hop is resolved through ssh config (a lone hop may itself have a ProxyJump). */
function resolveJumpChain(
  spec: string,
  inventoryName: string,
  opts: ResolveOptions,
  sshConfig: Pick<SSHConfig, 'compute'> | undefined,
  depth: number,
  timeoutSec: number,
): ConnectionTarget[] {
  const hops = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const chain: ConnectionTarget[] = [];
  for (const hop of hops) {
    const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop);
    if (!m) throw new InputError(`${inventoryName}: bad ProxyJump hop "${hop}"`, { host: inventoryName });
    const [, hopUser, hopHostRaw, hopPort] = m;
    const hopHost = hopHostRaw.replace(/^\[(.*)\]$/, '$1');
    const resolved = resolveHost(
      hopHost,
      hopHost,
      {},
      { userOverride: hopUser, port: hopPort ? parsePort(hopPort, inventoryName, 'ProxyJump') : undefined, timeoutSec },
      { ...opts, user: undefined },
      sshConfig,
      depth + 1,
    );
    // In a chain, earlier hops carry the connection; a hop's own ProxyJump only counts for a single hop.
    if (hops.length > 1) delete resolved.proxyJump;
    if (resolved.proxyJump) {
      chain.push(...resolved.proxyJump);
      delete resolved.proxyJump;
    }
    chain.push(resolved);
  }
  return chain;
}

function hostKeyPolicy(cli: HostKeyPolicy | undefined, config: string | undefined): HostKeyPolicy {
  if (cli && cli !== 'strict') return cli;
  switch (config?.toLowerCase()) {
    case 'no':
    case 'off':
      return 'off';
    case 'accept-new':
      return 'accept-new';
    default:
      return 'strict';
  }
}

function expandTokens(
  s: string,
  ctx: { hostname: string; hostArg: string; user: string; port: number; opts: ResolveOptions },
): string {
  let out = s.startsWith('~/') || s === '~' ? ctx.opts.homeDir + s.slice(1) : s;
  out = out.replace(/%([%dhupnr])/g, (_, t: string) => {
    switch (t) {
      case '%':
        return '%';
      case 'd':
        return ctx.opts.homeDir;
      case 'h':
        return ctx.hostname;
      case 'u':
        return ctx.opts.localUser;
      case 'p':
        return String(ctx.port);
      case 'n':
        return ctx.hostArg;
      case 'r':
        return ctx.user;
      default:
        return _;
    }
  });
  return out;
}

function parsePort(value: string, host: string, what: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    const message = `${host}: ${what} "${value}" is not a TCP port (1-65535)`;
    throw what.startsWith('ansible_') ? new HostVarError(message, host, what) : new InputError(message, { host });
  }
  return n;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
