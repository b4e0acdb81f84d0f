/**
 * One QEMU guest under software emulation (TCG: /dev/kvm on these machines is kvm_pvm and
 * cannot run a stock Debian kernel). Reachable only through 127.0.0.1:<port> -> guest:22;
 * user-mode networking with restrict=on lets the guest reach nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import type { VmImage } from './image.js';

/** Guest hardware. A snapshot only resumes with the same settings, so they key the snapshot. */
export const VM_MACHINE = { smp: 2, memoryMb: 1024, cpu: 'max' } as const;

export interface VmProcess {
  pid: number;
  port: number;
  monitor: string;
  dir: string;
  consoleLog: string;
}

export interface StartVmOptions {
  image: VmImage;
  /** qcow2 whose backing file is image.disk; the guest writes here. */
  disk: string;
  /** Directory for the monitor socket and logs. */
  dir: string;
  /** Resume this internal snapshot of `disk` instead of booting. */
  loadvm?: string;
}

const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) killQuietly(pid, 'SIGKILL');
});

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

export function qemuArgs(o: StartVmOptions, port: number, monitor: string, consoleLog: string): string[] {
  return [
    '-accel', 'tcg,thread=multi,tb-size=256',
    '-cpu', VM_MACHINE.cpu,
    '-smp', String(VM_MACHINE.smp),
    '-m', String(VM_MACHINE.memoryMb),
    '-display', 'none',
    '-no-reboot',
    '-kernel', o.image.kernel,
    '-initrd', o.image.initrd,
    '-append', 'root=/dev/vda rw console=ttyS0',
    '-drive', `file=${o.disk},if=virtio,format=qcow2,cache=unsafe`,
    '-nic', `user,restrict=on,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${port}-:22`,
    '-serial', `file:${consoleLog}`,
    '-monitor', `unix:${monitor},server,nowait`,
    ...(o.loadvm ? ['-loadvm', o.loadvm] : []),
  ];
}

export async function startVm(o: StartVmOptions): Promise<VmProcess> {
  const port = await freeLoopbackPort();
  const monitor = join(o.dir, 'monitor.sock');
  const consoleLog = join(o.dir, 'console.log');
  const logFd = openSync(join(o.dir, 'qemu.log'), 'a');
  const child = spawn('qemu-system-x86_64', qemuArgs(o, port, monitor, consoleLog), {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('qemu-system-x86_64 did not start (apt-get install qemu-system-x86 qemu-utils)');
  live.add(pid);
  return { pid, port, monitor, dir: o.dir, consoleLog };
}

/** Leave the guest running when this process exits (scenario --keep). */
export function keepRunning(vm: VmProcess): void {
  live.delete(vm.pid);
}

export function isRunning(vm: VmProcess): boolean {
  try {
    return readFileSync(`/proc/${vm.pid}/cmdline`, 'utf8').includes(vm.monitor);
  } catch {
    return false;
  }
}

export function qemuLogTail(vm: VmProcess): string {
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').slice(-15).join('\n') : '');
  return `qemu.log:\n${read(join(vm.dir, 'qemu.log'))}\nconsole (last lines):\n${read(vm.consoleLog)}`;
}

/** One HMP command over the monitor socket; resolves with its output once the prompt returns. */
export async function monitorCommand(vm: VmProcess, command: string, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolveOut, reject) => {
    const sock = createConnection(vm.monitor);
    let buf = '';
    let sent = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`monitor command "${command}" timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('data', (d) => {
      buf += d.toString();
      if (!buf.endsWith('(qemu) ')) return;
      if (!sent) {
        sent = true;
        buf = '';
        sock.write(`${command}\n`);
        return;
      }
      clearTimeout(timer);
      sock.end();
      // Drop the echoed command line, the prompt and terminal escapes.
      const lines = buf.replace(/\r/g, '').split('\n').slice(1, -1);
      resolveOut(lines.filter((l) => !l.includes('\x1b')).join('\n'));
    });
    // `quit` closes the socket without a new prompt.
    sock.on('close', () => {
      clearTimeout(timer);
      if (sent) resolveOut(buf);
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`QEMU monitor ${vm.monitor}: ${e.message}`));
    });
  });
}

/** Ends the guest at once (it is disposable): monitor `quit`, then SIGKILL if still there. */
export async function stopVm(vm: VmProcess): Promise<void> {
  if (isRunning(vm)) await monitorCommand(vm, 'quit', 10_000).catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while (isRunning(vm) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isRunning(vm)) killQuietly(vm.pid, 'SIGKILL');
  live.delete(vm.pid);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** `qemu-img create` of an overlay backed by `backing` (absolute path). */
export function createOverlay(path: string, backing: string): void {
  const r = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', backing, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qemu-img create ${path} failed: ${r.stderr.trim()}`);
}
