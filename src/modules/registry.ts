import type { ModuleDefinition } from './contract.js';
import { filesAndCommandsModules } from './files-and-commands.js';
import { systemModules } from './system-modules.js';
import { localModules } from './local-modules.js';
import { packageFactsModule } from './package_facts.js';

const all: ModuleDefinition[] = [...filesAndCommandsModules, ...systemModules, ...localModules, packageFactsModule];

const byName = new Map<string, ModuleDefinition>();
for (const m of all) {
  for (const name of [m.name, `ansible.builtin.${m.name}`, ...(m.aliases ?? [])]) byName.set(name, m);
}

export function findModule(name: string): ModuleDefinition | undefined {
  return byName.get(name);
}

/** Every accepted module name, for "unknown module" errors. */
export function moduleNames(): string[] {
  return all.map((m) => m.name).sort();
}
