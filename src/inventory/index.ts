/** Ansible-compatible inventory: the one entry point for the rest of falco-deploy. */
export { loadInventory, DEFAULT_INVENTORY, type LoadOptions } from './load.js';
export { Inventory, type GraphOptions } from './inventory.js';
export type { Vars } from './model.js';
export { splitHostPattern } from './patterns.js';
