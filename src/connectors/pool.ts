/**
 * One SSH connection per target for the whole run. Connects are bounded by --forks; jump hosts
 * (ProxyJump) are connected once and shared by every host behind them (each host rides a
 * forwarded channel of the bastion's connection), and they do not take a fork slot, so a
 * small --forks cannot deadlock waiting for its own bastion.
 * closeAll() leaves nothing open (dead peers are cut after a short grace); interruptAll() (Ctrl-C)
 * first aborts connects in flight and ends the commands running on the hosts.
 */
import type { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { setMaxListeners } from 'node:events';
import * as os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import { UnreachableError } from '../errors.js';
import { closeClient } from './close-client.js';
import { KnownHostsStore } from './known-hosts-store.js';
import { openClient, type ConnectContext, type LoadedKey } from './ssh-connect.js';
import { SshHostConnection } from './ssh-connection.js';
import type { ConnectionTarget } from './types.js';

interface PoolOptions {
  /** Concurrent connects (--forks). */
  forks: number;
  homeDir?: string;
  askPassphrase?: (keyFile: string) => Promise<string>;
  debug?: (msg: string) => void;
  knownHosts?: KnownHostsStore;
}

/** Forwarded channels opened at once on one bastion connection. */
const MAX_CONCURRENT_FORWARDS = 8;

interface Jump {
  client: Client;
  forwardLimit: LimitFunction;
}

export class ConnectionPool {
  private readonly connections = new Map<string, Promise<SshHostConnection>>();
  private readonly jumps = new Map<string, Promise<Jump>>();
  private readonly connectLimit: LimitFunction;
  private readonly ctx: ConnectContext;
  private readonly interrupted = new AbortController();
  private interrupting?: Promise<void>;
  private jumpConnects = 0;
  private hostConnects = 0;

  constructor(opts: PoolOptions) {
    this.connectLimit = pLimit(Math.max(1, opts.forks));
    // Every connect in flight listens for Ctrl-C; --forks bounds them, not a fixed 10.
    setMaxListeners(0, this.interrupted.signal);
    this.ctx = {
      store: opts.knownHosts ?? new KnownHostsStore(),
      homeDir: opts.homeDir ?? os.homedir(),
      askPassphrase: opts.askPassphrase ? oncePerFile(opts.askPassphrase) : undefined,
      keys: new Map<string, Promise<LoadedKey | undefined>>(),
      debug: opts.debug,
      signal: this.interrupted.signal,
    };
  }

  /** The host's connection (opened on first use, reused after). Rejects with UnreachableError. */
  connect(target: ConnectionTarget): Promise<SshHostConnection> {
    const key = targetKey(target);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const p = this.connectLimit(async () => {
      const via = await this.jumpChain(target);
      const { client, connectMs } = await openClient(target, this.ctx, via ? () => forward(via, target) : undefined);
      this.hostConnects++;
      return new SshHostConnection(target, client, connectMs, () => {
        if (this.connections.get(key) === p) this.connections.delete(key);
      });
    });
    this.connections.set(key, p);
    p.catch(() => {
      if (this.connections.get(key) === p) this.connections.delete(key);
    });
    return p;
  }

  /** SSH connections opened so far: to hosts, and to jump hosts (shared by the hosts behind them). */
  get stats(): { hostConnections: number; jumpConnections: number } {
    return { hostConnections: this.hostConnects, jumpConnections: this.jumpConnects };
  }

  /**
   * Ctrl-C: abort connects in flight and end the commands running on every host (each host's
   * connection closes when its commands are gone). closeAll() waits for this.
   */
  interruptAll(): Promise<void> {
    this.interrupting ??= (async () => {
      this.interrupted.abort();
      const conns = await Promise.allSettled([...this.connections.values()]);
      await Promise.all(conns.map((c) => (c.status === 'fulfilled' ? c.value.interrupt() : undefined)));
    })();
    return this.interrupting;
  }

  async closeAll(): Promise<void> {
    await this.interrupting;
    const conns = await Promise.allSettled([...this.connections.values()]);
    this.connections.clear();
    await Promise.all(conns.map((c) => (c.status === 'fulfilled' ? c.value.close() : undefined)));
    // Hosts first: their DISCONNECT travels through the bastions.
    const jumps = await Promise.allSettled([...this.jumps.values()]);
    this.jumps.clear();
    await Promise.all(jumps.map((j) => (j.status === 'fulfilled' ? closeClient(j.value.client) : undefined)));
  }

  /** The last hop's client, connecting each hop of the chain through the previous one. */
  private async jumpChain(target: ConnectionTarget): Promise<Jump | undefined> {
    let via: Jump | undefined;
    let chainKey = '';
    for (const hop of target.proxyJump ?? []) {
      chainKey = chainKey ? `${chainKey}>${targetKey(hop)}` : targetKey(hop);
      let p = this.jumps.get(chainKey);
      if (!p) {
        const through: Jump | undefined = via;
        p = openClient(hop, this.ctx, through ? () => forward(through, hop) : undefined).then(({ client }) => {
          this.jumpConnects++;
          const k = chainKey;
          client.on('close', () => this.jumps.delete(k));
          client.on('error', () => undefined);
          return { client, forwardLimit: pLimit(MAX_CONCURRENT_FORWARDS) };
        });
        this.jumps.set(chainKey, p);
        const k = chainKey;
        p.catch(() => this.jumps.delete(k));
      }
      try {
        via = await p;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new UnreachableError(`jump host ${hop.user}@${hop.hostname}:${hop.port} unreachable: ${reason}`, {
          host: target.name,
          cause: err,
        });
      }
    }
    return via;
  }
}

function forward(via: Jump, to: ConnectionTarget): Promise<Duplex> {
  return via.forwardLimit(
    () =>
      new Promise<Duplex>((resolve, reject) => {
        via.client.forwardOut('127.0.0.1', 0, to.hostname, to.port, (err, channel) => {
          if (err) {
            const e = err as Error & { code?: string };
            // "Connection refused" from the bastion's side is as transient as a direct refusal.
            if (/refused/i.test(e.message)) e.code = 'ECONNREFUSED';
            reject(e);
          } else resolve(channel);
        });
      }),
  );
}

function targetKey(t: ConnectionTarget): string {
  const jump = (t.proxyJump ?? []).map((j) => `${j.user}@${j.hostname}:${j.port}`).join(',');
  return `${t.user}@${t.hostname}:${t.port}${jump ? ` via ${jump}` : ''}|${t.name}`;
}

function oncePerFile(ask: (file: string) => Promise<string>): (file: string) => Promise<string> {
  const asked = new Map<string, Promise<string>>();
  return (file) => {
    let p = asked.get(file);
    if (!p) {
      p = ask(file);
      asked.set(file, p);
    }
    return p;
  };
}
