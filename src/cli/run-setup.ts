import { dirname } from 'node:path';
import { loadInventory, type Inventory } from '../inventory/index.js';
import { checkPlaybook, validateArgs, parseExtraVars, selectByTags } from '../playbook/index.js';
import type { Playbook } from '../playbook/model.js';
import { findModule } from '../modules/registry.js';
import type { RunOptions } from '../engine/context.js';
import { createTemplater } from '../template/index.js';
import { configuredRolesPath } from './roles-path.js';
import type { GlobalOptions } from './options.js';
import type { Shard } from '../inventory/shard.js';

/** The `run` options a worker needs too (plain data: they cross to worker threads). */
export interface RunArgs extends GlobalOptions {
  playbook: string;
  check: boolean;
  diff: boolean;
  tags?: string[];
  skipTags?: string[];
  extraVars?: string[];
  startAtTask?: string;
  forceHandlers: boolean;
  stats: boolean;
  shard?: Shard;
}

/** What `run` loads before touching a host; the same in the main thread and in each worker. */
export interface LoadedRun {
  inventory: Inventory;
  playbook: Playbook;
  extraVars: Record<string, unknown>;
  selection: { tags?: string[]; skipTags?: string[] };
  /** The play with the falco role: its hosts' health and last alerts are shown after the recap. */
  falcoPlay?: Playbook['plays'][number];
  tailLines: number;
}

export async function loadRun(args: RunArgs, warn: (m: string) => void): Promise<LoadedRun> {
  const inventory = await loadInventory(args.inventory, { onWarning: warn, implicitLocalhost: true });
  const playbook = checkPlaybook(args.playbook, { rolesPath: configuredRolesPath() });
  const extraVars = parseExtraVars(args.extraVars ?? [], process.cwd());
  const falcoPlay = playbook.plays.find((p) => p.roles.some((r) => r.name === 'falco'));
  // The after-run health report (and its probe scripts) is loaded only for a play with the falco role.
  const tailLines = falcoPlay ? (await import('../health/after-run.js')).alertTailLines(extraVars) : 0;
  return { inventory, playbook, extraVars, selection: { tags: args.tags, skipTags: args.skipTags }, falcoPlay, tailLines };
}

/** Relative lookup('file'|'fileglob', ...) terms resolve from the playbook's directory (files/ first). */
export function runTemplater(loaded: LoadedRun) {
  return createTemplater({ searchPaths: [dirname(loaded.playbook.file)] });
}

export function engineOptions(args: RunArgs, loaded: LoadedRun, forks = args.forks): RunOptions {
  return {
    check: args.check,
    diff: args.diff,
    extraVars: loaded.extraVars,
    verbose: args.verbose,
    forks,
    forceHandlers: args.forceHandlers,
    limit: args.limit,
    shard: args.shard,
    startAtTask: args.startAtTask,
    become: args.become || undefined,
    tagFilter: (tags) => selectByTags({ tags }, loaded.selection),
    findModule,
    coerceArgs: (spec, a, module) => validateArgs(spec, a, module),
  };
}

/** The become the after-run health probes use: the falco play's, else -b (a templated play become is per host). */
export function afterRunBecome(loaded: LoadedRun, args: RunArgs): boolean {
  const become = loaded.falcoPlay?.become;
  return typeof become === 'boolean' ? become : args.become;
}
