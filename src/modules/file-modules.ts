import type { ModuleDefinition } from '../engine/module.js';

export const fileModules: ModuleDefinition[] = [];
