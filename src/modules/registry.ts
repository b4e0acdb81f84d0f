import type { ModuleDefinition } from './contract.js';
import { filesAndCommandsModules } from './files-and-commands.js';
import { systemModules } from './system-modules.js';
import { localModules } from './local-modules.js';
import { packageFactsModule } from './package_facts.js';

const all: ModuleDefinition[] = [...filesAndCommandsModules, ...systemModules, ...localModules, packageFactsModule];

const byName = new Map<string, ModuleDefinition>();
for (const m of all) {
  // A collection module (e.g. ansible.posix.sysctl) lists its FQCN among its aliases.
  for (const name of [m.name, `ansible.builtin.${m.name}`, ...(m.aliases ?? [])]) byName.set(name, m);
}

/** ansible.legacy.NAME is how Ansible resolves a bare NAME: every builtin module is in it. */
export function findModule(name: string): ModuleDefinition | undefined {
  return byName.get(name.replace(/^ansible\.legacy\./, 'ansible.builtin.'));
}

/** Every accepted module name, for "unknown module" errors. */
export function moduleNames(): string[] {
  return all.map((m) => m.name).sort();
}
