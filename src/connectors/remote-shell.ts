/**
 * One long-lived remote `/bin/sh` (an exec channel, no pty) that commands are written into.
 * Writing into a running shell costs ~0.25 ms remotely; a new exec channel ~48 ms.
 * Requests are pipelined: a batch is one write, results come back framed (shell-protocol.ts).
 * If the shell dies, pending commands reject and the next use starts a fresh shell.
 * The shell announces its pid when it starts; interrupting (Ctrl-C) or a command timeout ends
 * the shell's whole process tree on the host through a second channel (kill-tree.ts).
 */
import type { OpenChannel, ShellChannel } from './shell-channel.js';
import { randomBytes } from 'node:crypto';
import { FalcoDeployError, InterruptedError } from '../errors.js';
import { becomeLaunch, type BecomeSpec } from './become-launch.js';
import { quote, raw, sh } from '../shell/quote.js';
import { killTreeCommand } from './kill-tree.js';
import { commandScript, FrameReader, GUARDED_BATCH_START, newDelimiter, type Frame } from './shell-protocol.js';
import type { ExecRequest, ExecResult } from './types.js';

interface ShellSpec extends BecomeSpec {
  startTimeoutMs: number;
}

interface Pending {
  id: number;
  startedAt: number;
  out?: Frame;
  err?: Frame;
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

/** Error for commands lost with the shell (the connection decides: unreachable vs failed). */
type DeathError = (reason: string) => Error;

interface ShellChannels {
  /** The persistent shell's channel (counted against the connection's session limit). */
  shell: OpenChannel;
  /** A short-lived extra channel (the process-tree kill); must not wait for a session slot. */
  oneShot: OpenChannel;
}

/** Longest wait for the remote kill before the connection is closed anyway (dead host). */
const REAP_TIMEOUT_MS = 3000;

class LiveShell {
  readonly delim = newDelimiter();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private dead?: string;
  /** The shell's pid on the host (announced before the ready token). */
  private pid?: number;
  private readonly out: FrameReader;
  private readonly err: FrameReader;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;
  readonly ready: Promise<void>;

  constructor(
    readonly channel: ShellChannel,
    private readonly readyToken: string,
    private readonly spec: ShellSpec,
    private readonly deathError: DeathError,
    private readonly reap: (pid: number) => Promise<void>,
    private readonly sudoPrompt?: string,
  ) {
    this.out = new FrameReader(this.delim, readyToken);
    this.err = new FrameReader(this.delim, readyToken);
    this.ready = new Promise<void>((res, rej) => {
      this.readyResolve = res;
      this.readyReject = rej;
    });
    this.ready.catch(() => undefined);
    let passwordSent = false;
    channel.on('data', (d: Buffer) => this.onFrames(this.out.push(d), 'out'));
    channel.stderr.on('data', (d: Buffer) => {
      const frames = this.err.push(d);
      if (!this.err.isReady && this.sudoPrompt && this.err.preamble.includes(this.sudoPrompt)) {
        if (passwordSent) {
          this.kill(`sudo rejected the become password for ${this.spec.becomeUser ?? 'root'}`);
          return;
        }
        // Answer the first prompt once; forgetting it lets a second prompt (wrong password) show.
        passwordSent = true;
        this.err.dropPreamble();
        channel.write(`${this.spec.becomePassword ?? ''}\n`);
      }
      this.onFrames(frames, 'err');
    });
    // Deferred a tick: when the whole connection drops, its 'close' must be seen first so the
    // pending commands are reported UNREACHABLE rather than failed.
    channel.on('close', () => setImmediate(() => this.onClose()));
    channel.on('error', (e: Error) => this.kill(`shell channel error: ${e.message}`));
    const timer = setTimeout(() => {
      if (!this.isReady) this.kill(`shell did not start within ${spec.startTimeoutMs} ms`);
    }, spec.startTimeoutMs);
    timer.unref();
    this.ready.finally(() => clearTimeout(timer)).catch(() => undefined);
  }

  get isReady(): boolean {
    return this.out.isReady && this.err.isReady;
  }

  get isDead(): boolean {
    return this.dead !== undefined;
  }

  /** Writes all requests in ONE channel write (skipping those after a stopBatchUnless failure). */
  run(reqs: ExecRequest[]): Promise<ExecResult>[] {
    if (this.dead) return reqs.map(() => Promise.reject(this.deathError(this.dead!)));
    const guarded = reqs.some((r) => r.stopBatchUnless !== undefined);
    const scripts: string[] = guarded ? [GUARDED_BATCH_START] : [];
    const promises = reqs.map((req) => {
      const id = this.nextId++;
      scripts.push(commandScript(this.delim, id, req, guarded));
      return new Promise<ExecResult>((resolve, reject) => {
        const p: Pending = { id, startedAt: Date.now(), resolve, reject };
        if (req.timeoutMs !== undefined && req.timeoutMs > 0) {
          p.timer = setTimeout(() => this.kill(`command timed out after ${req.timeoutMs} ms`, id), req.timeoutMs);
        }
        this.pending.set(id, p);
      });
    });
    for (const req of reqs) {
      this.out.expect(req.maxOutputBytes);
      this.err.expect(req.maxOutputBytes);
    }
    this.channel.write(scripts.join(''));
    return promises;
  }

  private onFrames(frames: Frame[], stream: 'out' | 'err'): void {
    if (!this.dead && this.isReady && this.pid === undefined) {
      const announced = new RegExp(`${this.readyToken}:pid:(\\d+)`).exec(this.out.preamble);
      this.pid = announced ? Number(announced[1]) : 0;
      this.readyResolve();
    }
    for (const f of frames) {
      const p = this.pending.get(f.id);
      if (!p) continue;
      if (stream === 'out') p.out = f;
      else p.err = f;
      if (p.out && p.err) {
        this.pending.delete(f.id);
        if (p.timer) clearTimeout(p.timer);
        p.resolve({
          stdout: p.out.body.toString('utf8'),
          stderr: p.err.body.toString('utf8'),
          exitCode: p.out.exitCode,
          durationMs: Date.now() - p.startedAt,
        });
      }
    }
  }

  private onClose(): void {
    if (!this.isReady) {
      const said = (this.err.preamble + this.out.preamble).trim();
      this.fail(said ? `shell exited before it was ready: ${said.slice(-500)}` : 'shell exited before it was ready');
    } else {
      this.fail('remote shell exited');
    }
  }

  /** Stop the shell: pending commands reject (the one that timed out with its own reason). */
  kill(reason: string, culprit?: number): void {
    const busy = this.pending.size > 0;
    this.fail(reason, culprit);
    if (busy) void this.reapTree();
    this.stop();
  }

  /**
   * Ctrl-C: pending commands reject with InterruptedError and the processes they started on the
   * host are ended (TERM, then KILL) before the channel closes. Resolves when that is done.
   */
  async interrupt(error: DeathError): Promise<void> {
    if (this.dead) return;
    const busy = this.pending.size > 0;
    this.fail('interrupted', undefined, error);
    if (busy) await this.reapTree();
    this.stop();
  }

  private async reapTree(): Promise<void> {
    if (!this.pid) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, REAP_TIMEOUT_MS)));
    await Promise.race([this.reap(this.pid).catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  private stop(): void {
    try {
      this.channel.signal('KILL');
    } catch {
      /* older servers ignore signals; closing the channel below still ends the shell */
    }
    this.channel.close();
  }

  private fail(reason: string, culprit?: number, error: DeathError = this.deathError): void {
    if (this.dead) return;
    this.dead = reason;
    this.readyReject(error(reason));
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      const why = culprit === undefined || p.id === culprit ? reason : `aborted: an earlier command in this shell failed (${reason})`;
      p.reject(error(why));
    }
    this.pending.clear();
  }

  /** Graceful end; commands still running are failed with `reason`. */
  close(reason = 'connection closed while the command was running'): void {
    if (this.dead) return;
    if (this.pending.size) this.fail(reason);
    this.dead = 'closed';
    try {
      this.channel.end('exit 0\n');
    } catch {
      /* connection already gone */
    }
  }
}

export class RemoteShell {
  private live?: LiveShell;
  private starting?: Promise<LiveShell>;
  /** The shell being started (not yet ready), so an interrupt can reach it too. */
  private opening?: LiveShell;
  private interrupted = false;

  constructor(
    private readonly host: string,
    private readonly spec: ShellSpec,
    private readonly channels: ShellChannels,
    private readonly deathError: DeathError,
  ) {}

  /** Each request gets its own result; a batch is written at once (one round trip). */
  async run(reqs: ExecRequest[]): Promise<ExecResult[]> {
    const shell = await this.shell();
    return Promise.all(shell.run(reqs));
  }

  close(reason?: string): void {
    this.live?.close(reason);
    this.live = undefined;
  }

  /** Ctrl-C: fail what is pending, end its processes on the host, start no new shell. */
  async interrupt(): Promise<void> {
    this.interrupted = true;
    const shells = [this.live, this.opening].filter((s): s is LiveShell => s !== undefined);
    this.live = undefined;
    await Promise.all(shells.map((s) => s.interrupt(this.interruptedError)));
  }

  private readonly interruptedError = (why: string) => new InterruptedError(why, { host: this.host, phase: 'apply' });

  private async shell(): Promise<LiveShell> {
    if (this.interrupted) throw this.interruptedError('interrupted');
    if (this.live && !this.live.isDead) return this.live;
    if (!this.starting) {
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  private async start(): Promise<LiveShell> {
    const token = `FDR${randomBytes(12).toString('hex')}`;
    const announce = sh`printf '%s\n' ${token} >&2; printf '%s:pid:%s\n%s\n' ${token} ${raw('"$$"')} ${token}; exec /bin/sh`;
    const { command, prompt } = becomeLaunch(announce, this.spec);
    const channel = await this.channels.shell(command);
    const shell = new LiveShell(channel, token, this.spec, this.deathError, (pid) => this.reap(pid), prompt);
    this.opening = shell;
    try {
      await shell.ready;
    } catch (err) {
      throw becomeHint(err as Error, this.host, this.spec);
    } finally {
      this.opening = undefined;
    }
    if (this.interrupted) {
      await shell.interrupt(this.interruptedError);
      throw this.interruptedError('interrupted');
    }
    this.live = shell;
    return shell;
  }

  /** Ends process `pid` and its descendants, as the same user as the shell; resolves when done. */
  private async reap(pid: number): Promise<void> {
    const { command, prompt } = becomeLaunch(killTreeCommand(pid), this.spec);
    const channel = await this.channels.oneShot(command);
    await new Promise<void>((resolve) => {
      channel.on('close', () => resolve());
      channel.on('error', () => resolve());
      channel.resume();
      channel.stderr.resume();
      // sudo may or may not ask (cached credentials): the kill script never reads stdin.
      channel.end(prompt === undefined ? undefined : `${this.spec.becomePassword ?? ''}\n`);
    });
  }
}

function becomeHint(err: Error, host: string, spec: ShellSpec): Error {
  if (spec.becomeUser === undefined || !(err instanceof FalcoDeployError) || err.phase === 'connect' || err instanceof InterruptedError) return err;
  const msg = err.message;
  let hint = '';
  if (/password is required/.test(msg)) hint = ' (sudo needs a password: pass -K / --ask-become-pass or set ansible_become_password)';
  else if (/sudo: not found|sudo: command not found/.test(msg)) hint = ' (sudo is not installed on the host)';
  return new FalcoDeployError(`become (sudo -u ${quote(spec.becomeUser)}) failed: ${msg}${hint}`, {
    host,
    phase: err.phase,
    cause: err,
  });
}
