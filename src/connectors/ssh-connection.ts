/**
 * HostConnection over one ssh2 Client: a persistent shell per become user (login user, root,
 * ...), at most 8 session channels at a time, stats for the run report.
 */
import type { Client, ClientChannel } from 'ssh2';
import pLimit from 'p-limit';
import { FalcoDeployError, InterruptedError, UnreachableError } from '../errors.js';
import { sh } from '../shell/quote.js';
import { closeClient } from './close-client.js';
import { RemoteShell } from './remote-shell.js';
import { execOnOwnChannel, isStreamed } from './stream-channel.js';
import type {
  ConnectionStats,
  ConnectionTarget,
  ExecOptions,
  ExecRequest,
  ExecResult,
  HostConnection,
  UploadOptions,
} from './types.js';

const MAX_SESSION_CHANNELS = 8;

export class SshHostConnection implements HostConnection {
  readonly name: string;
  readonly stats: ConnectionStats;
  private readonly shells = new Map<string, RemoteShell>();
  private readonly sessionSlots = pLimit(MAX_SESSION_CHANNELS);
  private lost?: string;
  private closed = false;
  private interrupted = false;

  constructor(
    readonly target: ConnectionTarget,
    private readonly client: Client,
    connectMs: number,
    private readonly onClosed?: () => void,
  ) {
    this.name = target.name;
    this.stats = { channels: 0, roundTrips: 0, connectMs };
    client.on('close', () => {
      if (!this.closed) this.lost ??= 'connection closed by the remote side';
      for (const shell of this.shells.values()) shell.close(this.lost ?? 'connection closed');
      this.onClosed?.();
    });
    client.on('error', (e: Error) => {
      this.lost ??= `connection lost: ${e.message}`;
    });
  }

  get isAlive(): boolean {
    return !this.lost && !this.closed;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.execBatch([{ ...opts, command }]).then((r) => r[0]);
  }

  /**
   * Consecutive requests for the same shell (same become user) go in one write; a change of
   * become user waits for the previous group, so the batch keeps its order.
   */
  async execBatch(requests: ExecRequest[]): Promise<ExecResult[]> {
    if (this.interrupted) throw new InterruptedError('interrupted', { host: this.name, phase: 'apply' });
    if (this.closed) throw new FalcoDeployError('connection already closed', { host: this.name, phase: 'apply' });
    if (this.lost) throw new UnreachableError(this.lost, { host: this.name });
    const results: ExecResult[] = [];
    let i = 0;
    while (i < requests.length) {
      const key = this.shellKey(requests[i]);
      if (isStreamed(requests[i])) {
        this.stats.roundTrips++;
        results.push(await this.streamed(key, requests[i++]));
        continue;
      }
      let j = i + 1;
      while (j < requests.length && this.shellKey(requests[j]) === key && !isStreamed(requests[j])) j++;
      this.stats.roundTrips++;
      results.push(...(await this.shell(key).run(requests.slice(i, j))));
      i = j;
    }
    return results;
  }

  /** Atomic write: temp file in the same directory, chmod, rename. Content goes through stdin. */
  async upload(content: string | Buffer, remotePath: string, opts: UploadOptions = {}): Promise<void> {
    const tmp = `${remotePath}.fd-tmp-${process.pid}-${Date.now()}`;
    const mode = (opts.mode ?? 0o644).toString(8);
    const command = sh`umask 077 && cat > ${tmp} && chmod ${mode} ${tmp} && mv -f ${tmp} ${remotePath} || { rc=$?; rm -f ${tmp}; exit $rc; }`;
    const r = await this.exec(command, { stdin: content, become: opts.become, becomeUser: opts.becomeUser });
    if (r.exitCode !== 0) {
      throw new FalcoDeployError(`upload to ${remotePath} failed (exit ${r.exitCode}): ${r.stderr.trim()}`, {
        host: this.name,
        phase: 'apply',
      });
    }
  }

  /**
   * Ctrl-C: commands in flight fail with InterruptedError, the processes they started on the
   * host are ended, then the connection closes. Bounded in time even when the host is dead.
   */
  async interrupt(): Promise<void> {
    if (this.closed || this.interrupted) return;
    this.interrupted = true;
    if (!this.lost) await Promise.all([...this.shells.values()].map((s) => s.interrupt()));
    await this.close();
  }

  /** Closes for good: a peer that does not answer (dead link) is cut after a short grace. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const shell of this.shells.values()) shell.close();
    this.shells.clear();
    await closeClient(this.client);
  }

  private shellKey(req: ExecRequest): string {
    if (!req.become) return '';
    const user = req.becomeUser ?? 'root';
    // Logged in as the become user already: no sudo needed.
    return user === this.target.user ? '' : user;
  }

  private shell(key: string): RemoteShell {
    let shell = this.shells.get(key);
    if (!shell) {
      shell = new RemoteShell(
        this.name,
        this.shellSpec(key),
        { shell: (command) => this.openSession(command), oneShot: (command) => this.openChannel(command) },
        (reason) => this.deathError(reason),
      );
      this.shells.set(key, shell);
    }
    return shell;
  }

  /** A file transfer on a channel of its own (see stream-channel.ts). */
  private streamed(key: string, req: ExecRequest): Promise<ExecResult> {
    return execOnOwnChannel((command) => this.openSession(command), req, this.shellSpec(key), (reason) => this.deathError(reason));
  }

  private shellSpec(key: string) {
    return {
      becomeUser: key === '' ? undefined : key,
      becomePassword: key === '' ? undefined : this.target.becomePassword,
      startTimeoutMs: Math.max(this.target.connectTimeoutMs * 3, 30_000),
    };
  }

  private deathError(reason: string): Error {
    return this.lost
      ? new UnreachableError(reason === this.lost ? reason : `${this.lost} (${reason})`, { host: this.name })
      : new FalcoDeployError(reason, { host: this.name, phase: 'apply' });
  }

  /** An exec channel holding one of the connection's session slots until it closes. */
  private openSession(command: string): Promise<ClientChannel> {
    return new Promise<ClientChannel>((resolve, reject) => {
      void this.sessionSlots(
        () =>
          new Promise<void>((release) => {
            this.openChannel(command).then(
              (channel) => {
                channel.once('close', () => release());
                resolve(channel);
              },
              (err: Error) => {
                release();
                reject(err);
              },
            );
          }),
      );
    });
  }

  private openChannel(command: string): Promise<ClientChannel> {
    return new Promise<ClientChannel>((resolve, reject) => {
      try {
        this.client.exec(command, (err, channel) => {
          if (err) {
            reject(
              this.lost
                ? new UnreachableError(this.lost, { host: this.name, cause: err })
                : new FalcoDeployError(`cannot open a session channel: ${err.message}`, { host: this.name, phase: 'apply', cause: err }),
            );
            return;
          }
          this.stats.channels++;
          resolve(channel);
        });
      } catch (err) {
        // ssh2 throws "Not connected" synchronously once the socket is gone.
        reject(new UnreachableError(this.lost ?? (err as Error).message, { host: this.name, cause: err }));
      }
    });
  }
}
