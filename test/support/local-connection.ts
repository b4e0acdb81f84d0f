import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InterruptedError } from '../../src/errors.js';
import type { ConnectionStats, ExecOptions, ExecRequest, ExecResult, HostConnection } from '../../src/connectors/types.js';
import type { ConnectionProvider, Vars } from '../../src/engine/ports.js';

/** A "host" that is this machine: commands run under /bin/sh. Counts round trips like SSH. */
class LocalConnection implements HostConnection {
  readonly stats: ConnectionStats = { channels: 1, roundTrips: 0, connectMs: 0 };
  readonly commands: ExecRequest[] = [];
  closed = false;
  /** Commands running now, each in its own process group. */
  readonly running = new Set<ChildProcess>();
  private interrupted = false;

  constructor(readonly name: string, private readonly onClose: () => void = () => {}) {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.stats.roundTrips++;
    return this.run({ command, ...opts });
  }

  /** As the SSH connection: a request failing its stopBatchUnless ends the batch (nothing after it runs). */
  async execBatch(requests: ExecRequest[]): Promise<ExecResult[]> {
    this.stats.roundTrips++;
    if (!requests.some((r) => r.stopBatchUnless)) return Promise.all(requests.map((r) => this.run(r)));
    const results: ExecResult[] = [];
    for (const r of requests) {
      const result = await this.run(r);
      results.push(result);
      if (r.stopBatchUnless && !r.stopBatchUnless.includes(result.exitCode)) break;
    }
    return results;
  }

  /** As the SSH connection: running commands end (their whole process group) and reject. */
  interrupt(): void {
    this.interrupted = true;
    for (const child of this.running) process.kill(-child.pid!, 'SIGKILL');
  }

  private run(req: ExecRequest): Promise<ExecResult> {
    if (this.interrupted) return Promise.reject(new InterruptedError('interrupted', { host: this.name }));
    this.commands.push(req);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', req.command], {
        cwd: req.cwd,
        env: { ...process.env, ...(req.env ?? {}) },
        stdio: [req.stdin === undefined && req.stdinFile === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        detached: true,
      });
      this.running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let written = Promise.resolve();
      if (req.stdoutFile !== undefined) {
        mkdirSync(dirname(req.stdoutFile), { recursive: true });
        const file = child.stdout!.pipe(createWriteStream(req.stdoutFile));
        written = new Promise((done) => file.on('close', done));
      } else child.stdout!.on('data', (d) => out.push(d));
      child.stderr!.on('data', (d) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => {
        this.running.delete(child);
        if (this.interrupted) return reject(new InterruptedError('interrupted', { host: this.name }));
        void written.then(() =>
          resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), exitCode: code ?? 255, durationMs: Date.now() - started }),
        );
      });
      if (req.stdinFile !== undefined) createReadStream(req.stdinFile).pipe(child.stdin!);
      else if (req.stdin !== undefined) child.stdin!.end(req.stdin);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onClose();
  }
}

/** Every inventory host is this machine; `unreachable` names hosts that refuse to connect. */
export class LocalProvider implements ConnectionProvider {
  readonly connections = new Map<string, LocalConnection>();
  /** Every connection handed out, in order (a host's reconnect adds one). */
  readonly opened: LocalConnection[] = [];

  constructor(
    private readonly unreachable: Set<string> = new Set(),
    /** Called as each host is connected (the SSH provider learns passwords there). */
    private readonly onConnect: (host: string) => void = () => {},
  ) {}

  /** Every get(): the host, the `connection` keyword the engine passed, the host's ansible_connection. */
  readonly requests: { host: string; keyword?: string; ansibleConnection?: unknown }[] = [];

  async get(host: string, vars: Vars, keyword?: string): Promise<LocalConnection> {
    this.requests.push({ host, keyword, ansibleConnection: vars.ansible_connection });
    this.onConnect(host);
    if (this.unreachable.has(host)) {
      const { UnreachableError } = await import('../../src/errors.js');
      throw new UnreachableError('connection refused', { host });
    }
    let c = this.connections.get(host);
    if (!c) {
      this.connections.set(host, (c = new LocalConnection(host, () => this.connections.delete(host))));
      this.opened.push(c);
    }
    return c;
  }

  async interruptAll(): Promise<void> {
    for (const c of this.connections.values()) c.interrupt();
  }

  async closeAll(): Promise<void> {}
}
