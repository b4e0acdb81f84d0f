import { failOnArgError } from '../argspec/plan-failure.js';
import type { ExecResult } from '../connectors/types.js';
import type { FactRequest, ProbedFacts } from '../facts/request.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { dnfUpdates, rpmPackages } from '../facts/packages.js';
import { quoteArgv } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { commandEnv } from './system/env.js';

export const dnfSpec: ModuleSpec = {
  args: {
    name: { type: 'list', elements: 'str', aliases: ['pkg'], default: [] },
    state: { type: 'str', choices: ['absent', 'installed', 'latest', 'present', 'removed'] },
    update_cache: { type: 'bool', default: false, aliases: ['expire-cache'] },
    disable_gpg_check: { type: 'bool', default: false },
    allow_downgrade: { type: 'bool', default: false },
    autoremove: { type: 'bool', default: false },
    enablerepo: { type: 'list', elements: 'str', default: [] },
    disablerepo: { type: 'list', elements: 'str', default: [] },
    install_weak_deps: { type: 'bool', default: true },
    allowerasing: { type: 'bool', default: false },
    nobest: { type: 'bool', default: false },
    lock_timeout: { type: 'int', default: 30 },
  },
  requiredOneOf: [['name', 'update_cache']],
};

interface DnfArgs {
  name: string[];
  state?: 'absent' | 'installed' | 'latest' | 'present' | 'removed';
  update_cache: boolean;
  disable_gpg_check: boolean;
  allow_downgrade: boolean;
  autoremove: boolean;
  enablerepo: string[];
  disablerepo: string[];
  install_weak_deps: boolean;
  allowerasing: boolean;
  nobest: boolean;
  lock_timeout: number;
}

const SPEC = /^[A-Za-z0-9_.+:~*-]+$/;

function args(raw: Record<string, unknown>): DnfArgs {
  const a = validateArgs<DnfArgs>(dnfSpec, raw, 'dnf');
  a.name = a.name.map((n) => n.trim()); // as dnf.py strips each spec ("falco, dkms")
  for (const n of a.name) if (!SPEC.test(n)) throw new ArgumentError(`Error attempting to parse package: ${n}`);
  return a;
}

/** dnf's default state: absent when autoremove, else present (Ansible). */
function effectiveState(a: DnfArgs): 'present' | 'absent' | 'latest' {
  const s = a.state ?? (a.autoremove ? 'absent' : 'present');
  return s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s;
}

function probes(raw: Record<string, unknown>): FactRequest[] {
  let a: DnfArgs;
  try {
    a = args(raw);
  } catch (e) {
    if (e instanceof ArgumentError) return [];
    throw e;
  }
  if (!a.name.length) return [];
  const out: FactRequest[] = [rpmPackages(a.name)];
  if (effectiveState(a) === 'latest') out.push(dnfUpdates(a.name, a.update_cache));
  return out;
}

function dnfArgv(a: DnfArgs, verb: string, targets: string[]): string[] {
  const argv = ['dnf', '-y', '-q'];
  if (a.disable_gpg_check) argv.push('--nogpgcheck');
  for (const r of a.disablerepo) argv.push(`--disablerepo=${r}`);
  for (const r of a.enablerepo) argv.push(`--enablerepo=${r}`);
  if (!a.install_weak_deps) argv.push('--setopt=install_weak_deps=False');
  if (a.allowerasing) argv.push('--allowerasing');
  if (a.nobest) argv.push('--nobest');
  argv.push(verb, ...targets);
  return argv;
}

function planDnf(raw: Record<string, unknown>, facts: ProbedFacts, ctx: ModuleContext): Plan {
  const a = args(raw);
  const state = effectiveState(a);
  const env = commandEnv(ctx);
  const commands: PlannedCommand[] = [];
  const results: string[] = [];
  if (a.update_cache && (state !== 'latest' || !a.name.length)) commands.push({ command: quoteArgv(['dnf', '-q', 'makecache']), env });
  const installed = a.name.length ? facts.get(rpmPackages(a.name)) : {};
  let changed = false;
  if (state === 'absent') {
    const targets = a.name.filter((n) => installed[n]);
    if (targets.length) {
      commands.push({ command: quoteArgv(dnfArgv(a, 'remove', targets)), env });
      results.push(...targets.map((t) => `Removed: ${t}`));
      changed = true;
    }
  } else if (a.name.length) {
    const missing = a.name.filter((n) => !installed[n]);
    if (missing.length) {
      // a spec with a version that is not the installed one: dnf installs (or, allowed, downgrades) it
      commands.push({ command: quoteArgv(dnfArgv(a, 'install', missing)), env });
      results.push(...missing.map((t) => `Installed: ${t}`));
      changed = true;
    }
    if (state === 'latest') {
      const updates = new Set(facts.get(dnfUpdates(a.name, a.update_cache)));
      const outdated = a.name.filter((n) => installed[n] && updates.has(installed[n]!.name));
      if (outdated.length) {
        commands.push({ command: quoteArgv(dnfArgv(a, 'upgrade', outdated)), env });
        results.push(...outdated.map((t) => `Upgraded: ${t}`));
        changed = true;
      }
    }
  }
  if (!a.name.length && commands.length) changed = false; // makecache alone: Ansible reports no change
  return { commands, changed, result: { msg: changed ? '' : 'Nothing to do', results, rc: 0 } };
}

function finishDnf(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
  const failedAt = results.findIndex((r) => r.exitCode !== 0);
  if (failedAt >= 0) {
    const r = results[failedAt];
    Object.assign(out, { failed: true, rc: r.exitCode, msg: r.stderr.trim() || r.stdout.trim(), failures: [r.stderr.trim()] });
  }
  return out;
}

export const dnfModule: ModuleDefinition = {
  name: 'dnf',
  aliases: ['yum', 'ansible.builtin.yum', 'dnf5', 'ansible.builtin.dnf5'],
  spec: dnfSpec,
  probes: (raw) => probes(raw),
  plan: (raw, facts, ctx) => failOnArgError(() => planDnf(raw, facts, ctx)),
  finish: (_raw, plan, results) => finishDnf(plan, results),
};
