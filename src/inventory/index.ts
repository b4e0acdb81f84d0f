/** Ansible-compatible inventory: the one entry point for the rest of falco-deploy. */
export { loadInventory, DEFAULT_INVENTORY } from './load.js';
export { Inventory } from './inventory.js';
;
;
