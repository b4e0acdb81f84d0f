/** Process bookkeeping through /proc: identities that survive pid reuse, namespaces, trees. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ProcessRef } from './types.js';

/** A process that exits while we look at it: its /proc entries vanish (ENOENT, ESRCH). */
export function unlessGone<T>(look: () => T, gone: T): T {
  try {
    return look();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return gone;
    throw err;
  }
}

function readProc(path: string): string | undefined {
  return unlessGone(() => readFileSync(path, 'utf8'), undefined);
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), parsed after the comm. */
export function parseStartTime(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

/** Field 3 of /proc/PID/stat: R, S, T (stopped), Z (zombie), ... */
export function parseProcessState(stat: string): string | undefined {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

export function processRef(pid: number): ProcessRef | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  const startTime = stat && parseStartTime(stat);
  return startTime ? { pid, startTime } : undefined;
}

/** The very process `ref` names is still there (not a zombie, not a recycled pid). */
export function isAlive(ref: ProcessRef): boolean {
  const stat = readProc(`/proc/${ref.pid}/stat`);
  return !!stat && parseStartTime(stat) === ref.startTime && parseProcessState(stat) !== 'Z';
}

/** Sends `signal` if `ref` is still the same process; false when it is gone. */
export function signalRef(ref: ProcessRef, signal: NodeJS.Signals): boolean {
  if (!isAlive(ref)) return false;
  return unlessGone(() => process.kill(ref.pid, signal), false);
}

function childPids(pid: number): number[] {
  return unlessGone(() => readdirSync(`/proc/${pid}/task`), []).flatMap((t) =>
    (readProc(`/proc/${pid}/task/${t}/children`) ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number),
  );
}

function pidNamespace(pid: number): string | undefined {
  return unlessGone(() => readlinkSync(`/proc/${pid}/ns/pid`), undefined);
}

/** `NSpid:` of /proc/PID/status: the pid as seen from each nested pid namespace. */
export function parseNsPids(status: string): number[] {
  const line = status.split('\n').find((l) => l.startsWith('NSpid:'));
  return line ? line.slice(6).trim().split(/\s+/).map(Number) : [];
}

/** The first descendant of `pid` that is PID 1 of a nested pid namespace (a host's init). */
export function findNamespaceInit(pid: number): number | undefined {
  const queue = childPids(pid);
  while (queue.length > 0) {
    const p = queue.shift()!;
    const ns = parseNsPids(readProc(`/proc/${p}/status`) ?? '');
    if (ns.length > 1 && ns[ns.length - 1] === 1) return p;
    queue.push(...childPids(p));
  }
  return undefined;
}

/** Every process in the pid namespace of `init` whose command name is `comm`. */
export function processesInNamespace(init: number, comm: string): number[] {
  const ns = pidNamespace(init);
  if (!ns) return [];
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => readProc(`/proc/${p}/comm`)?.trim() === comm && pidNamespace(p) === ns);
}

/** Programs `up` runs with a path inside the sandbox dir in their arguments. */
const OUR_PROGRAMS = new Set(['ip', 'mount', 'nsenter', 'unshare', 'systemd-nspawn', 'sh', 'bash', 'lite-hostinit.sh']);

/**
 * Processes of ours whose arguments point into `dir`/hosts or at `dir`/netns.batch: hosts whose
 * launch `up` never recorded, and `ip`/`mount` helpers `up` was running when it died (they
 * outlive it and would otherwise create namespaces or mounts after `down` has looked).
 * A user's ssh or ansible using the sandbox's files is not one of them; nor is this process.
 */
export function processesMentioning(dir: string): ProcessRef[] {
  const hostsDir = `${dir}/hosts/`;
  const batch = `${dir}/netns.batch`;
  const exclude = new Set(ancestors(process.pid));
  const found: ProcessRef[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || exclude.has(Number(entry))) continue;
    const args = readProc(`/proc/${entry}/cmdline`)?.split('\0') ?? [];
    if (!OUR_PROGRAMS.has(args[0]?.split('/').pop() ?? '')) continue;
    if (!args.some((a) => a.includes(hostsDir) || a === batch)) continue;
    const ref = processRef(Number(entry));
    if (ref) found.push(ref);
  }
  return found;
}

function ancestors(pid: number): number[] {
  const chain: number[] = [];
  for (let p = pid; p > 1 && chain.length < 64; ) {
    chain.push(p);
    const stat = readProc(`/proc/${p}/stat`);
    if (!stat) break;
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return chain;
}
