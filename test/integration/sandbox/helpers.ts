/** OpenSSH client and machine probes for the sandbox integration tests. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The real OpenSSH client with the sandbox's ssh_config (strict host key checking from it). */
export function ssh(sshConfig: string, host: string, command: string, extra: string[] = []): Promise<SshResult> {
  const started = Date.now();
  const argv = [
    '-F', sshConfig,
    '-o', 'BatchMode=yes',
    // sntrup761 costs ~120 ms of client CPU per handshake on this machine; curve25519 is enough here.
    '-o', 'KexAlgorithms=curve25519-sha256',
    '-o', 'ConnectTimeout=2',
    ...extra,
    host,
    command,
  ];
  return new Promise((resolve) => {
    const child = spawn('ssh', argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 255, stdout: stdout.trim(), stderr: stderr.trim(), ms: Date.now() - started }));
  });
}

export function netnsNames(): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((p) => p?.startsWith('/run/netns/'))
      .map((p) => p.slice('/run/netns/'.length));
  } catch {
    return [];
  }
}

export function mountPointsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p) => p !== undefined && (p === dir || p.startsWith(`${dir}/`)));
}

export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of processes with a command-line argument inside `dir` (a host launched but never recorded). */
export function processesWithArgUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return pidAlive(Number(pid)) && args.some((a) => a.startsWith(`${dir}/`) || a.startsWith(`--directory=${dir}/`));
      } catch {
        return false;
      }
    })
    .map(Number);
}
