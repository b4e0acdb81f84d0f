/**
 * A local child process (`/bin/sh -c COMMAND`) seen as a ShellChannel, so the persistent shell
 * and file transfers of the SSH connector (remote-shell.ts, stream-channel.ts) run unchanged on
 * the controller: same framing, batching, sudo, kill-tree and output limits.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { Duplex, type Readable, type Writable } from 'node:stream';
import type { ShellChannel } from './shell-channel.js';

class LocalChannel extends Duplex implements ShellChannel {
  readonly stderr: Readable;

  constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    // Closed by hand once the process is gone: both sides ending first must not 'close' it
    // before its 'exit' (the exit code) was seen.
    super({ autoDestroy: false });
    this.stderr = child.stderr;
    child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
    // Writing after the command exited (it never read its stdin) is not an error of ours: only
    // the exit status counts, as over SSH.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => this.destroy(e));
    child.on('exit', (code, signal) => this.emit('exit', code, signal ?? undefined));
    // 'close' only once the output was read, as an SSH channel closes after its data.
    child.on('close', () => (this.readableEnded ? this.destroy() : this.once('end', () => this.destroy())));
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.child.stdin.destroyed) return done();
    this.child.stdin.write(chunk, () => done());
  }

  override _final(done: (e?: Error | null) => void): void {
    this.child.stdin.end(() => done());
  }

  signal(name: string): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(name as NodeJS.Signals);
  }

  close(): void {
    this.child.stdin.destroy();
  }
}

/** Starts `command` under /bin/sh on the controller, as the controller's user. */
export function openLocalChannel(command: string, env: NodeJS.ProcessEnv = process.env): Promise<ShellChannel> {
  return new Promise((resolve, reject) => {
    // A process group of its own: a terminal Ctrl-C reaches falco-deploy only, which then ends the
    // commands as it does on SSH hosts (kill-tree.ts), instead of killing the shell mid-protocol.
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
    child.once('spawn', () => resolve(new LocalChannel(child)));
    child.once('error', reject);
  });
}
