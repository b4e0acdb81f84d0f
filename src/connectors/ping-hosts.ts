/**
 * Connect to each host and run `whoami` and `uname -n` (one round trip) — the ping behind
 * `falco-deploy ping` and bench/ping. UNREACHABLE (connect, auth, host key) is kept apart
 * from FAILED (the commands ran and went wrong).
 */
import { FalcoDeployError, InterruptedError, UnreachableError } from '../errors.js';
import type { VarOrigin } from './resolve-target.js';
import type { Connector } from './setup.js';

export interface PingHost {
  name: string;
  vars: Record<string, unknown>;
  /** Where a variable of this host was set (inventory file:line), for a bad value's message. */
  originOf?: VarOrigin;
}

/** `interrupted`: Ctrl-C came before the host answered (no verdict). */
export type PingStatus = 'ok' | 'unreachable' | 'failed' | 'interrupted';

export interface PingResult {
  host: string;
  status: PingStatus;
  /** Time to a ready SSH session (TCP + handshake + auth), ms. */
  connectMs?: number;
  /** Connect plus the command round trip, ms. */
  totalMs: number;
  user?: string;
  nodename?: string;
  /** `whoami` under sudo when become was asked for. */
  becomeUser?: string;
  error?: string;
  channels?: number;
  roundTrips?: number;
}

interface PingOptions {
  become?: boolean;
  signal?: AbortSignal;
  onResult?: (r: PingResult) => void;
}

/** A host whose vars cannot be resolved to a target (ansible_port=abc) is unreachable, as in `run`. */
export async function pingHosts(connector: Connector, hosts: PingHost[], opts: PingOptions = {}): Promise<PingResult[]> {
  return Promise.all(
    hosts.map(async (h) => {
      const r = await pingOne(connector, h, opts);
      opts.onResult?.(r);
      return r;
    }),
  );
}

async function pingOne(connector: Connector, host: PingHost, opts: PingOptions): Promise<PingResult> {
  const started = Date.now();
  try {
    if (opts.signal?.aborted) throw new InterruptedError('interrupted', { host: host.name });
    const conn =
      connector.connectionType(host.name, host.vars) === 'local'
        ? connector.connectLocal(connector.localTarget(host.name, host.vars))
        : await connector.pool.connect(connector.targetOrUnreachable(host.name, host.vars, host.originOf));
    const [who, node, become] = await conn.execBatch([
      { command: 'whoami' },
      { command: 'uname -n' },
      ...(opts.become ? [{ command: 'whoami', become: true }] : []),
    ]);
    for (const r of [who, node, become]) {
      if (r && r.exitCode !== 0) {
        throw new FalcoDeployError(`ping command exited ${r.exitCode}: ${r.stderr.trim()}`, { host: host.name, phase: 'probe' });
      }
    }
    return {
      host: host.name,
      status: 'ok',
      connectMs: conn.stats.connectMs,
      totalMs: Date.now() - started,
      user: who.stdout.trim(),
      nodename: node.stdout.trim(),
      ...(become ? { becomeUser: become.stdout.trim() } : {}),
      channels: conn.stats.channels,
      roundTrips: conn.stats.roundTrips,
    };
  } catch (err) {
    const e = err instanceof FalcoDeployError ? err : new FalcoDeployError(String((err as Error)?.message ?? err), { host: host.name, cause: err });
    const interrupted = e instanceof InterruptedError || opts.signal?.aborted === true;
    return {
      host: host.name,
      status: interrupted ? 'interrupted' : e instanceof UnreachableError || e.phase === 'connect' ? 'unreachable' : 'failed',
      totalMs: Date.now() - started,
      error: e.message,
    };
  }
}
