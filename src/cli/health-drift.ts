/**
 * `health --playbook FILE [-e ...]`: the playbook loaded and checked before any host is contacted
 * (bad input names file:line, exit 4), and the drift check the probe runs for each host.
 */
import { dirname } from 'node:path';
import { checkPlaybook, parseExtraVars, selectByTags, validateArgs } from '../playbook/index.js';
import { findModule } from '../modules/registry.js';
import { playbookRuntime } from '../engine/playbook-runtime.js';
import { desiredFiles } from '../engine/desired-files.js';
import { createTemplater } from '../template/index.js';
import type { InventoryView } from '../engine/ports.js';
import type { DriftCheck } from '../health/gather.js';
import { configuredRolesPath } from './roles-path.js';

/** Where the Falco configuration and rules live: only files written under it are compared. */
const FALCO_ETC = '/etc/falco';

export function driftCheck(playbookFile: string, extraVarArgs: string[], inventory: InventoryView, limit: string | undefined): DriftCheck {
  const playbook = checkPlaybook(playbookFile, { rolesPath: configuredRolesPath() });
  const extraVars = parseExtraVars(extraVarArgs, process.cwd());
  const templater = createTemplater({ searchPaths: [dirname(playbook.file)] });
  const input = {
    playbook,
    runtime: playbookRuntime(templater),
    inventory,
    templater,
    root: FALCO_ETC,
    options: { extraVars, limit, findModule, coerceArgs: validateArgs, tagFilter: (tags: string[]) => selectByTags({ tags }) },
  };
  return { playbook: playbookFile, root: FALCO_ETC, desired: (host, facts) => desiredFiles(input, host, facts) };
}
