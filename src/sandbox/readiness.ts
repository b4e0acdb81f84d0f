/** Waiting until hosts answer: sshd banner for every host, plus systemd's own verdict for containers. */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { FalcoDeployError } from '../errors.js';
import { run, sleep } from './exec.js';
import { consoleLog } from './launch.js';
import { findNamespaceInit, isAlive, processRef } from './processes.js';
import type { SandboxHostState } from './types.js';

/** True when `ip:22` answers with an SSH identification line within `timeoutMs`. */
export function sshBanner(ip: string, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port: 22 });
    let data = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.setEncoding('latin1').on('data', (d: string) => {
      data += d;
      if (data.includes('\n')) finish(data.startsWith('SSH-'));
    });
  });
}

/** `systemctl is-system-running` inside the container, entered through its init's namespaces. */
async function systemState(initPid: number): Promise<string> {
  const r = await run(['nsenter', `--target=${initPid}`, '--mount', '--pid', '--root', '--wd', 'systemctl', 'is-system-running'], {
    allowFailure: true,
    timeoutMs: 5000,
  });
  return r.stdout.trim() || 'unknown';
}

interface ReadyOptions {
  deadline: number;
  signal?: AbortSignal;
  onInit: (host: SandboxHostState, init: NonNullable<SandboxHostState['init']>) => void;
}

/**
 * Resolves when every host is ready; throws naming the hosts that are not (with the tail of
 * their console.log) once the deadline passes, a host's launcher dies, or `signal` aborts.
 */
export async function waitReady(hosts: readonly SandboxHostState[], opts: ReadyOptions): Promise<void> {
  const problems = await Promise.all(hosts.map((h) => waitHost(h, opts)));
  const failed = hosts.map((h, i) => ({ h, problem: problems[i] })).filter((x) => x.problem !== undefined);
  if (failed.length === 0) return;
  const first = failed[0];
  throw new FalcoDeployError(
    `${failed.length} of ${hosts.length} sandbox hosts did not come up: ${failed
      .slice(0, 5)
      .map((f) => `${f.h.name} (${f.problem})`)
      .join(', ')}${failed.length > 5 ? ', ...' : ''}`,
    { phase: 'sandbox', host: first.h.name, details: `${consoleLog(first.h.dir!)}:\n${tail(consoleLog(first.h.dir!))}` },
  );
}

async function waitHost(h: SandboxHostState, opts: ReadyOptions): Promise<string | undefined> {
  let last = 'no ssh banner yet';
  let bannerSeen = false;
  while (Date.now() < opts.deadline) {
    if (opts.signal?.aborted) return 'interrupted';
    if (!h.launcher || !isAlive(h.launcher)) return 'its process exited';
    if (!h.init) {
      const pid = findNamespaceInit(h.launcher.pid);
      const ref = pid === undefined ? undefined : processRef(pid);
      if (ref) opts.onInit(h, ref);
    }
    if (!bannerSeen) bannerSeen = await sshBanner(h.ip);
    if (bannerSeen) {
      if (h.kind === 'lite') return undefined;
      if (h.init) {
        const st = await systemState(h.init.pid);
        if (st === 'running' || st === 'degraded') return undefined;
        last = `systemd is ${st}`;
      } else {
        last = 'container init not found';
      }
    }
    await sleep(h.kind === 'lite' ? 50 : 250); // short; the loop checks the signal itself
  }
  return `timed out: ${last}`;
}

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '(no console output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
