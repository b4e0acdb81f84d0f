/** `sandbox down`: removes exactly what `up` recorded in state.json; safe to run again. */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import { emptyCgroups, removeCgroups } from './cgroups.js';
import { sleep } from './exec.js';
import { mountsUnder, unmountTree } from './mounts.js';
import { deleteHostNetworks } from './network.js';
import { findNamespaceInit, isAlive, processesMentioning, processRef, signalRef } from './processes.js';
import { sandboxDir, DEFAULT_SANDBOX } from './locate.js';
import { readRegistry } from './registry.js';
import { releaseSandbox } from './shared.js';
import { StateFile, STATE_FILE, teardownPlan } from './state.js';
import type { ProcessRef, SandboxState } from './types.js';

interface SandboxDownOptions {
  name?: string;
  /** Every sandbox in the registry. */
  all?: boolean;
  /** Where to look when the registry does not know the sandbox (default `.sandbox/<name>`). */
  dir?: string;
  cwd?: string;
  log?: (line: string) => void;
}

interface DownResult {
  name: string;
  dir?: string;
  /** Hosts torn down (0 when there was nothing left). */
  hosts: number;
  ms: number;
}

export async function sandboxDown(opts: SandboxDownOptions | string = {}): Promise<DownResult[]> {
  const o = typeof opts === 'string' ? { name: opts } : opts;
  const log = o.log ?? (() => undefined);
  const registry = readRegistry();
  const names = o.all ? Object.keys(registry.sandboxes) : [o.name ?? DEFAULT_SANDBOX];
  const results: DownResult[] = [];
  for (const name of names) {
    const started = Date.now();
    const dir = sandboxDir(name, o.dir, o.cwd);
    const state = StateFile.read(dir);
    if (state) await teardownState(state.state, log);
    if (registry.sandboxes[name] || state) await releaseSandbox(name);
    const ms = Date.now() - started;
    results.push({ name, dir: state ? dir : undefined, hosts: state?.state.hosts.length ?? 0, ms });
    log(state ? `sandbox ${name}: down (${state.state.hosts.length} hosts) in ${(ms / 1000).toFixed(1)} s` : `sandbox ${name}: nothing to remove`);
  }
  return results;
}

/** Kills, unmounts and deletes everything `state` records, then the files and state.json. */
export async function teardownState(state: SandboxState, log: (line: string) => void = () => undefined): Promise<void> {
  // An init `up` had no time to record, or the one a reboot started, still has to go first (a
  // killed nspawn may leave it behind).
  for (const h of state.hosts) {
    if ((!h.init || !isAlive(h.init)) && h.launcher && isAlive(h.launcher)) {
      const pid = findNamespaceInit(h.launcher.pid);
      const ref = pid === undefined ? undefined : processRef(pid);
      if (ref) h.init = ref;
    }
  }
  const plan = teardownPlan(state);
  await killAll(plan.processes.filter((p) => state.hosts.some((h) => h.init?.pid === p.pid)));
  const unrecorded = processesMentioning(state.dir).filter((p) => !plan.processes.some((q) => q.pid === p.pid));
  const everything = [...plan.processes, ...unrecorded.map((p) => ({ ...p, host: '(unrecorded)' }))];
  await killAll(everything);
  const cgroupsEmpty = await emptyCgroups(plan.cgroups);
  const alive = everything.filter(isAlive);
  if (alive.length > 0 || !cgroupsEmpty) {
    const what = [...alive.map((p) => `${p.pid} (${p.host})`), ...(cgroupsEmpty ? [] : ['processes in the containers\' cgroups'])];
    throw new FalcoDeployError(`could not kill ${what.join(', ')}; state kept in ${join(state.dir, STATE_FILE)}`, { phase: 'sandbox' });
  }
  // From here on every step runs even when an earlier one fails, so one stuck resource does
  // not leave the others behind; the first failure is reported and state.json is kept.
  const failures: unknown[] = [];
  const attempt = async (step: () => unknown) => {
    try {
      await step();
    } catch (err) {
      failures.push(err);
    }
  };
  for (const hostDir of plan.hostDirs) await attempt(() => unmountTree(hostDir));
  await attempt(() => removeCgroups(plan.cgroups));
  await attempt(() => deleteHostNetworks(plan.netns, plan.veths));
  for (const hostDir of plan.hostDirs) {
    await attempt(() => {
      const left = mountsUnder(hostDir);
      if (left.length > 0) throw new FalcoDeployError(`still mounted, not deleting ${hostDir}: ${left.join(', ')}`, { phase: 'sandbox' });
      rmSync(hostDir, { recursive: true, force: true });
    });
  }
  if (failures.length > 0) {
    const first = failures[0];
    throw new FalcoDeployError(
      `sandbox ${state.name}: ${failures.length} teardown step(s) failed, first: ${first instanceof Error ? first.message : String(first)}; ` +
        `state kept in ${join(state.dir, STATE_FILE)}, run down again`,
      { phase: 'sandbox', cause: first },
    );
  }
  removeIfEmpty(join(state.dir, 'hosts'));
  for (const f of state.files) rmSync(join(state.dir, f), { force: true });
  rmSync(join(state.dir, STATE_FILE), { force: true });
  if (state.dirCreated) {
    removeIfEmpty(state.dir);
    for (const parent of state.parentsCreated ?? []) removeIfEmpty(parent);
  }
  log(`sandbox ${state.name}: removed ${state.hosts.length} hosts`);
}

/** SIGKILL (`unshare --fork` ignores SIGTERM), then wait up to 3 s for them to be reaped. */
async function killAll(refs: readonly ProcessRef[]): Promise<void> {
  for (const r of refs) signalRef(r, 'SIGKILL');
  const deadline = Date.now() + 3000;
  while (refs.some(isAlive) && Date.now() < deadline) await sleep(20);
}

function removeIfEmpty(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}
