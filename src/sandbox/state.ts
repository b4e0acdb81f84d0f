/**
 * state.json: every resource `up` creates, rewritten (atomically) before each creation step
 * so `down` can remove exactly what exists even after `up` crashed midway.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FalcoDeployError } from '../errors.js';
import type { SandboxHostState, SandboxState } from './types.js';

export const STATE_FILE = 'state.json';

export function statePath(dir: string): string {
  return join(dir, STATE_FILE);
}

export class StateFile {
  constructor(readonly state: SandboxState) {}

  static read(dir: string): StateFile | undefined {
    let text: string;
    try {
      text = readFileSync(statePath(dir), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const state = JSON.parse(text) as SandboxState;
      if (state.version !== 1) throw new Error(`unknown state version ${String(state.version)}`);
      return new StateFile(state);
    } catch (err) {
      throw new FalcoDeployError(`cannot read ${statePath(dir)}: ${(err as Error).message}`, { phase: 'sandbox', file: statePath(dir) });
    }
  }

  host(name: string): SandboxHostState {
    const h = this.state.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in sandbox ${this.state.name}`);
    return h;
  }

  /** Apply `change` and persist before the caller creates what it records. */
  record(change: (state: SandboxState) => void): void {
    change(this.state);
    this.save();
  }

  save(): void {
    const file = statePath(this.state.dir);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2) + '\n');
    renameSync(tmp, file);
  }
}

/** Teardown work derived from a state (pure): what to kill, unmount, delete, in order. */
interface TeardownPlan {
  processes: { host: string; pid: number; startTime: string }[];
  mounts: string[];
  cgroups: string[];
  netns: string[];
  veths: string[];
  hostDirs: string[];
}

export function teardownPlan(state: SandboxState): TeardownPlan {
  const plan: TeardownPlan = { processes: [], mounts: [], cgroups: [], netns: [], veths: [], hostDirs: [] };
  for (const h of state.hosts) {
    // The init first: killing a pid namespace's PID 1 takes everything inside with it.
    for (const p of [h.init, h.launcher]) if (p) plan.processes.push({ host: h.name, ...p });
    if (h.overlayMount) plan.mounts.push(h.overlayMount);
    if (h.cgroups) plan.cgroups.push(...h.cgroups);
    if (h.netns) plan.netns.push(h.netns);
    if (h.veth) plan.veths.push(h.veth);
    if (h.dir) plan.hostDirs.push(h.dir);
  }
  return plan;
}
