/**
 * HostConnection over persistent shells: one shell per become user (login user, root, ...),
 * batching, file transfers on channels of their own, Ctrl-C. The transport (an SSH client, a
 * local child process) only opens channels: ssh-connection.ts, local-connection.ts.
 */
import { FalcoDeployError, InterruptedError, UnreachableError } from '../errors.js';
import { sh } from '../shell/quote.js';
import { RemoteShell } from './remote-shell.js';
import { resultsBeforeStop } from './shell-protocol.js';
import type { ShellChannel } from './shell-channel.js';
import { execOnOwnChannel, isStreamed } from './stream-channel.js';
import type { ConnectionStats, ExecOptions, ExecRequest, ExecResult, HostConnection, UploadOptions } from './types.js';

interface ShellHostSpec {
  name: string;
  /** The user commands run as without become (no sudo needed to become them). */
  loginUser: string;
  becomePassword?: string;
  startTimeoutMs: number;
}

export abstract class ShellHostConnection implements HostConnection {
  readonly name: string;
  readonly stats: ConnectionStats;
  private readonly shells = new Map<string, RemoteShell>();
  /** Why the transport went away (set by the subclass); commands then fail as unreachable. */
  protected lost?: string;
  protected closed = false;
  private interrupted = false;

  constructor(
    private readonly spec: ShellHostSpec,
    connectMs: number,
  ) {
    this.name = spec.name;
    this.stats = { channels: 0, roundTrips: 0, connectMs };
  }

  /** A channel holding one of the connection's session slots until it closes (the shells, transfers). */
  protected abstract openSession(command: string): Promise<ShellChannel>;
  /** A short-lived channel that must not wait for a session slot (the process-tree kill). */
  protected abstract openChannel(command: string): Promise<ShellChannel>;
  protected abstract closeTransport(): Promise<void>;

  get isAlive(): boolean {
    return !this.lost && !this.closed;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.execBatch([{ ...opts, command }]).then((r) => r[0]);
  }

  /**
   * Consecutive requests for the same shell (same become user) go in one write; a change of
   * become user waits for the previous group, so the batch keeps its order. A request that fails
   * its stopBatchUnless ends the batch: nothing after it runs, in its group or later ones.
   */
  async execBatch(requests: ExecRequest[]): Promise<ExecResult[]> {
    if (this.interrupted) throw new InterruptedError('interrupted', { host: this.name, phase: 'apply' });
    if (this.closed) throw new FalcoDeployError('connection already closed', { host: this.name, phase: 'apply' });
    if (this.lost) throw new UnreachableError(this.lost, { host: this.name });
    const results: ExecResult[] = [];
    let i = 0;
    while (i < requests.length) {
      const key = this.shellKey(requests[i]);
      let j = i + 1;
      if (!isStreamed(requests[i])) while (j < requests.length && this.shellKey(requests[j]) === key && !isStreamed(requests[j])) j++;
      const group = requests.slice(i, j);
      this.stats.roundTrips++;
      const ran = isStreamed(group[0]) ? [await this.streamed(key, group[0])] : await this.shell(key).run(group);
      const { kept, stopped } = resultsBeforeStop(group, ran);
      results.push(...kept);
      if (stopped) break;
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

  /** Closes for good (the transport decides how long a peer that does not answer may take). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeShells();
    this.shells.clear();
    await this.closeTransport();
  }

  /** The transport is gone: commands still running in the shells fail with `reason`. */
  protected closeShells(reason?: string): void {
    for (const shell of this.shells.values()) shell.close(reason);
  }

  private shellKey(req: ExecRequest): string {
    if (!req.become) return '';
    const user = req.becomeUser ?? 'root';
    // Logged in as the become user already: no sudo needed.
    return user === this.spec.loginUser ? '' : user;
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
      becomePassword: key === '' ? undefined : this.spec.becomePassword,
      startTimeoutMs: this.spec.startTimeoutMs,
    };
  }

  private deathError(reason: string): Error {
    return this.lost
      ? new UnreachableError(reason === this.lost ? reason : `${this.lost} (${reason})`, { host: this.name })
      : new FalcoDeployError(reason, { host: this.name, phase: 'apply' });
  }
}
