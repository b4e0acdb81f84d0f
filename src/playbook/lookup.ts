import type { ModuleDefinition } from '../modules/contract.js';
import { findModule, moduleNames } from '../modules/registry.js';

/** Where module specs come from; injectable so tests can use small fake specs. */
export interface ModuleLookup {
  findModule(name: string): ModuleDefinition | undefined;
  moduleNames(): string[];
}

export const registryLookup: ModuleLookup = { findModule, moduleNames };

/** `ansible.builtin.copy` / `ansible.legacy.copy` -> `copy`. */
export function shortModuleName(name: string): string {
  return name.replace(/^ansible\.(?:builtin|legacy)\./, '');
}
