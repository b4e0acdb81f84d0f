import type { ModuleContext, ModuleDefinition } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { aptModule, aptSpec } from './apt.js';
import { dnfModule, dnfSpec } from './dnf.js';

/** Ansible's generic `package`: name/state/use here, every other arg goes to the backend module. */
const packageSpec: ModuleSpec = {
  args: {
    ...Object.fromEntries(
      [...Object.entries(aptSpec.args), ...Object.entries(dnfSpec.args)].map(([k, s]) => [k, { ...s, type: 'raw' as const, default: undefined, choices: undefined }]),
    ),
    name: { type: 'list', elements: 'str', required: true },
    state: { type: 'str', required: true },
    use: { type: 'str', default: 'auto' },
  },
};

const BACKENDS: Record<string, ModuleDefinition> = { apt: aptModule, dnf: dnfModule, dnf5: dnfModule, yum: dnfModule };

function backend(raw: Record<string, unknown>, ctx: ModuleContext): { mod?: ModuleDefinition; args: Record<string, unknown>; error?: string } {
  const { use, ...rest } = raw as { use?: string } & Record<string, unknown>;
  const mgr = use && use !== 'auto' ? use : String(ctx.facts.pkg_mgr ?? 'unknown');
  const mod = BACKENDS[mgr];
  if (!mod) {
    return { args: rest, error: `Could not find a module for ${mgr}. (pkg_mgr fact: ${String(ctx.facts.pkg_mgr ?? 'not gathered')}; set use: apt or dnf)` };
  }
  return { mod, args: rest };
}

export const packageModule: ModuleDefinition = {
  name: 'package',
  spec: packageSpec,
  probes: (raw, ctx) => {
    const b = backend(raw, ctx);
    return b.mod ? b.mod.probes(b.args, ctx) : [];
  },
  plan: (raw, facts, ctx) => {
    const b = backend(raw, ctx);
    if (!b.mod) return { commands: [], changed: false, failed: b.error };
    return b.mod.plan(b.args, facts, ctx);
  },
  finish: (raw, plan, results, ctx) => {
    const b = backend(raw, ctx);
    return b.mod?.finish ? b.mod.finish(b.args, plan, results, ctx) : {};
  },
};
