/**
 * One cgroup per systemd container. nspawn --keep-unit runs the container in the caller's
 * cgroup; started from the same one, every container's systemd would share (and fight over)
 * the same /payload/system.slice/... cgroups. Each container is started inside its own
 * directory in every cgroup hierarchy systemd uses (cgroup2, and name=systemd on hybrid hosts).
 */
import { unlessGone } from './processes.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Mount points of the cgroup2 and the v1 name=systemd hierarchies, from mountinfo (pure). */
export function systemdCgroupRoots(mountinfo: string): string[] {
  const roots: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!after) continue;
    const mountPoint = before.split(' ')[4];
    const [fstype, , superOptions = ''] = after.split(' ');
    if (fstype === 'cgroup2' || (fstype === 'cgroup' && superOptions.split(',').includes('name=systemd'))) roots.push(mountPoint);
  }
  return roots;
}

export function hostCgroups(host: string): string[] {
  return systemdCgroupRoots(readFileSync('/proc/self/mountinfo', 'utf8')).map((root) => join(root, 'falco-deploy', host));
}

export function createCgroups(paths: readonly string[]): void {
  for (const p of paths) mkdirSync(p, { recursive: true });
}

/** Pids in `dir` and every cgroup below it. */
function cgroupPids(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const own = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  const below = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => cgroupPids(join(dir, e.name)));
  return [...own, ...below];
}

/**
 * SIGKILLs whatever is still inside the containers' cgroups (they are ours alone): catches a
 * container init that nspawn forked just before it was killed. True once they are all empty.
 */
export async function emptyCgroups(paths: readonly string[], timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = paths.flatMap(cgroupPids);
    if (pids.length === 0) return true;
    if (Date.now() > deadline) return false;
    for (const pid of pids) {
      unlessGone(() => process.kill(pid, 'SIGKILL'), false);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes each cgroup and the sub-cgroups systemd/nspawn made in it (empty once its processes are gone). */
export async function removeCgroups(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    // A cgroup whose last process just died can stay busy for a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        removeTree(p);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      rmdirSync(dirname(p)); // the shared falco-deploy parent, once no container is left in it
    } catch (err) {
      // still in use by another container (or already removed by one)
      if (!['EBUSY', 'ENOTEMPTY', 'ENOENT'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  }
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeTree(join(dir, entry.name));
  }
  rmdirSync(dir);
}

/**
 * argv that moves itself into `cgroups` and then runs `argv`, again each time it exits 133
 * (nspawn's exit code when the container reboots: the host comes back, as a machine does; the
 * systemd-nspawn@.service unit restarts on it the same way). The shell stays the recorded
 * launcher; the cgroup paths travel in the environment, not the command line.
 */
export function inCgroupsArgv(argv: readonly string[]): string[] {
  const script =
    'IFS=:; for d in $FALCO_DEPLOY_CGROUPS; do echo $$ > "$d/cgroup.procs" || exit 1; done; while :; do "$@"; rc=$?; [ "$rc" -eq 133 ] || exit "$rc"; done';
  return ['sh', '-c', script, 'sh', ...argv];
}
