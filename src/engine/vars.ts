/**
 * Variable precedence, lowest first, as Ansible's (docs: "Understanding variable precedence").
 * Inventory group/host vars arrive already merged by the inventory in their own order.
 */
import { isUnsafe, markUnsafe } from '../template/index.js';

interface VarLayers {
  roleDefaults?: Record<string, unknown>;
  inventory?: Record<string, unknown>;
  facts?: Record<string, unknown>;
  playVars?: Record<string, unknown>;
  varsFiles?: Record<string, unknown>;
  roleVars?: Record<string, unknown>;
  taskVars?: Record<string, unknown>;
  /** include_vars of this run. */
  includedVars?: Record<string, unknown>;
  /** set_fact and register results of this run. */
  hostRuntime?: Record<string, unknown>;
  roleParams?: Record<string, unknown>;
  includeParams?: Record<string, unknown>;
  extraVars?: Record<string, unknown>;
  /** Magic variables (inventory_hostname, groups, hostvars, ...): cannot be overridden. */
  magic?: Record<string, unknown>;
}

const ORDER: (keyof VarLayers)[] = [
  'roleDefaults',
  'inventory',
  'facts',
  'playVars',
  'varsFiles',
  'roleVars',
  'taskVars',
  'includedVars',
  'hostRuntime',
  'roleParams',
  'includeParams',
  'extraVars',
  'magic',
];

export function layerVars(layers: VarLayers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) {
    const layer = layers[k];
    if (layer) Object.assign(out, layer);
  }
  return out;
}

/** Gathered facts as Ansible injects them: `ansible_facts` plus `ansible_<name>` at top level. */
export function factVars(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ansible_facts: facts };
  const fromHost = isUnsafe(facts);
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') ? k : `ansible_${k}`] = fromHost ? markUnsafe(v) : v;
  return out;
}
