import { failOnArgError } from '../argspec/plan-failure.js';
import type { ExecResult } from '../connectors/types.js';
import type { FactRequest, ProbedFacts } from '../facts/request.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { aptCacheTime, aptPolicy, debFileStatus, dpkgPackages } from '../facts/packages.js';
import type { AptPolicy } from '../facts/packages.js';
import { quoteArgv } from '../shell/quote.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { commandEnv } from './system/env.js';
import { fnmatch } from '../python/fnmatch.js';

export const aptSpec: ModuleSpec = {
  args: {
    name: { type: 'list', elements: 'str', aliases: ['pkg', 'package'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'latest', 'present', 'installed', 'removed'] },
    update_cache: { type: 'bool', aliases: ['update-cache'] },
    cache_valid_time: { type: 'int', default: 0 },
    purge: { type: 'bool', default: false },
    deb: { type: 'path' },
    default_release: { type: 'str', aliases: ['default-release'] },
    install_recommends: { type: 'bool', aliases: ['install-recommends'] },
    force: { type: 'bool', default: false },
    autoremove: { type: 'bool', default: false },
    allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'] },
    allow_downgrade: { type: 'bool', default: false, aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'] },
    allow_change_held_packages: { type: 'bool', default: false },
    lock_timeout: { type: 'int', default: 60 },
  },
  mutuallyExclusive: [['deb', 'name']],
  requiredOneOf: [['autoremove', 'deb', 'name', 'update_cache', 'cache_valid_time']],
};

interface AptArgs {
  name?: string[];
  state: 'absent' | 'latest' | 'present' | 'installed' | 'removed';
  update_cache?: boolean;
  cache_valid_time: number;
  purge: boolean;
  deb?: string;
  default_release?: string;
  install_recommends?: boolean;
  force: boolean;
  autoremove: boolean;
  allow_unauthenticated: boolean;
  allow_downgrade: boolean;
  allow_change_held_packages: boolean;
  lock_timeout: number;
}

/** What Ansible's apt sets for every apt-get run (C locale: the output is parsed). */
export const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', DEBIAN_PRIORITY: 'critical', LANG: 'C', LC_ALL: 'C' };

const PKG_NAME = /^[A-Za-z0-9][A-Za-z0-9+.\-_:]*$/;

interface PackageSpec {
  spec: string;
  name: string;
  version?: string;
}

function parseSpecs(names: string[]): PackageSpec[] {
  return names.map((raw) => {
    const spec = raw.trim();
    if ((spec.match(/=/g) ?? []).length > 1) throw new ArgumentError(`invalid package spec: ${spec}`);
    const [name, version] = spec.split('=');
    if (!PKG_NAME.test(name) || (version !== undefined && !/^[A-Za-z0-9.+~:*?_-]+$/.test(version))) {
      throw new ArgumentError(`invalid package spec: ${spec}`);
    }
    return { spec, name, version };
  });
}

function args(raw: Record<string, unknown>): AptArgs {
  return validateArgs<AptArgs>(aptSpec, raw, 'apt');
}

function wantsCacheUpdate(a: AptArgs): boolean {
  return !!a.update_cache || a.cache_valid_time > 0;
}

/** Versions to compare (latest, pins), or, in check mode, which packages exist at all. */
function needsPolicy(a: AptArgs, specs: PackageSpec[], check: boolean): boolean {
  if (a.state === 'absent' || a.state === 'removed') return false;
  return check || a.state === 'latest' || specs.some((s) => s.version !== undefined);
}

function probes(raw: Record<string, unknown>, check: boolean): FactRequest[] {
  let a: AptArgs;
  let specs: PackageSpec[];
  try {
    a = args(raw);
    specs = parseSpecs(a.name ?? []);
  } catch (e) {
    if (e instanceof ArgumentError) return [];
    throw e;
  }
  const out: FactRequest[] = [];
  if (wantsCacheUpdate(a)) out.push(aptCacheTime());
  const names = [...new Set(specs.map((s) => s.name))];
  if (names.length) out.push(dpkgPackages(names));
  if (names.length && needsPolicy(a, specs, check)) out.push(aptPolicy(names));
  if (a.deb) out.push(debFileStatus(a.deb));
  return out;
}

/** apt-get options shared by install and remove, as Ansible builds them. */
function aptGetOptions(a: AptArgs): string[] {
  return ['-y', '-q', '-o', `DPkg::Lock::Timeout=${a.lock_timeout}`, '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];
}

function installArgv(a: AptArgs, targets: string[]): string[] {
  const argv = ['apt-get', ...aptGetOptions(a)];
  if (a.force) argv.push('--force-yes');
  if (a.autoremove) argv.push('--auto-remove');
  argv.push('install', ...targets);
  if (a.default_release) argv.push('-t', a.default_release);
  if (a.install_recommends === false) argv.push('-o', 'APT::Install-Recommends=no');
  else if (a.install_recommends === true) argv.push('-o', 'APT::Install-Recommends=yes');
  if (a.allow_unauthenticated) argv.push('--allow-unauthenticated');
  if (a.allow_downgrade) argv.push('--allow-downgrades');
  if (a.allow_change_held_packages) argv.push('--allow-change-held-packages');
  return argv;
}

/** Cache update that also stamps the lists dir, so cache_valid_time sees it even when nothing changed upstream. */
export function aptUpdateCommand(env: Record<string, string> | undefined): PlannedCommand {
  return {
    command: "apt-get update -q && touch /var/lib/apt/lists && echo \"cache_update_time=$(date +%s)\"",
    env,
    describe: 'apt-get update',
  };
}

/**
 * Ansible's package_status() for `name=version` (fnmatch pins): the best matching version is the
 * first match in the version table (apt lists it best first). Installed and matching -> nothing,
 * unless a different, better version also matches (Ansible's documented-as-legacy upgrade).
 */
function planPin(s: PackageSpec, installedVersion: string | null, policy: AptPolicy | undefined): { target?: string } | { failed: string } {
  const wanted = s.version!;
  const best = policy?.versions.find((v) => fnmatch(v, wanted));
  if (installedVersion !== null) {
    const matches = fnmatch(installedVersion, wanted);
    if (matches && (!best || best === installedVersion)) return {};
    if (!matches && !best) return { failed: `no available installation candidate for ${s.spec}` };
    return { target: matches ? s.spec : `${s.name}=${best}` };
  }
  if (!best) return { failed: `no available installation candidate for ${s.spec}` };
  return { target: `${s.name}=${best}` };
}

const noPackage = (name: string) => `No package matching '${name}' is available`;

export function planApt(raw: Record<string, unknown>, facts: ProbedFacts, ctx: ModuleContext): Plan {
  const a = args(raw);
  const specs = parseSpecs(a.name ?? []);
  const state = a.state === 'installed' ? 'present' : a.state === 'removed' ? 'absent' : a.state;
  const env = commandEnv(ctx, APT_ENV);
  const commands: PlannedCommand[] = [];
  const result: Record<string, unknown> = {};
  let changed = false;

  let cacheStale = false;
  if (wantsCacheUpdate(a)) {
    const t = facts.get(aptCacheTime());
    cacheStale = !(t.mtime + a.cache_valid_time >= t.now);
    result.cache_updated = cacheStale;
    result.cache_update_time = t.mtime;
    if (cacheStale) commands.push(aptUpdateCommand(env));
  }

  const names = [...new Set(specs.map((s) => s.name))];
  const installed = names.length ? facts.get(dpkgPackages(names)) : {};

  if (a.deb) {
    if (state !== 'present') throw new ArgumentError('deb only supports state=present');
    if (a.deb.includes('://')) throw new ArgumentError(`deb must be a path on the host (copy it there first), got the URL ${a.deb}`);
    const deb = facts.get(debFileStatus(a.deb));
    if (!deb.exists) return { commands: [], changed: false, failed: `Unable to install package: E:Could not open file ${a.deb} - open (2: No such file or directory)` };
    if (deb.installedVersion !== deb.version) {
      commands.push({ command: quoteArgv(installArgv(a, [a.deb])), env });
      changed = true;
    }
  }

  if (state === 'absent') {
    const targets = specs.filter((s) => {
      const p = installed[s.name];
      if (!p) return false;
      if (s.version !== undefined && !fnmatch(p.version, s.version)) return false;
      return p.installed || (a.purge && p.status.endsWith('config-files'));
    });
    if (targets.length) {
      const argv = ['apt-get', ...aptGetOptions(a)];
      if (a.purge) argv.push('--purge');
      if (a.autoremove) argv.push('--auto-remove');
      argv.push('remove', ...targets.map((t) => t.name));
      commands.push({ command: quoteArgv(argv), env });
      changed = true;
    }
  } else if (specs.length) {
    const policy = needsPolicy(a, specs, ctx.check) ? facts.get(aptPolicy(names)) : {};
    // apt-get resolves against a cache refreshed first; check mode refreshes nothing (ansible-core 2.14 neither)
    const refreshed = cacheStale && !ctx.check;
    const targets: string[] = [];
    let outcomeKnown = true;
    for (const s of specs) {
      const p = installed[s.name];
      const isInstalled = !!p?.installed;
      if (s.version !== undefined) {
        if (refreshed) {
          // the version table is about to change: let apt resolve the pin
          if (!isInstalled || !fnmatch(p.version, s.version)) targets.push(s.spec);
          continue;
        }
        const pinned = planPin(s, isInstalled ? p.version : null, policy[s.name]);
        if ('failed' in pinned) return { commands: [], changed: false, failed: pinned.failed };
        if (pinned.target) targets.push(pinned.target);
        continue;
      }
      if (state === 'present') {
        // Ansible's package_status: a name the cache does not know fails before anything runs
        if (!isInstalled && ctx.check && !(s.name in policy)) return { commands: [], changed: false, failed: noPackage(s.name) };
        if (!isInstalled) targets.push(s.name);
        continue;
      }
      // latest: the candidate known now is stale when the cache is about to be refreshed
      if (refreshed) {
        targets.push(s.name);
        outcomeKnown = false;
        continue;
      }
      const cand = policy[s.name]?.candidate ?? null;
      if (cand === null) {
        if (!isInstalled) return { commands: [], changed: false, failed: noPackage(s.name) };
        continue;
      }
      if (!isInstalled || p.version !== cand) targets.push(s.name);
    }
    if (targets.length) {
      commands.push({ command: quoteArgv(installArgv(a, targets)), env });
      // with a refreshed cache apt decides; finish() reads its summary line
      changed = true;
      if (!outcomeKnown) result.changed_decided_by_apt = true;
    }
  } else if (cacheStale) {
    changed = true; // update_cache alone: changed = cache updated (Ansible)
  }

  return { commands, changed, result };
}

/** Ansible-shaped result: cache_updated/cache_update_time, stdout/stderr of the apt-get run. */
export function finishApt(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(plan.result ?? {}), changed: plan.changed };
  delete out.changed_decided_by_apt;
  plan.commands.forEach((c, i) => {
    const r = results[i];
    if (!r) return;
    const stamp = /^cache_update_time=(\d+)$/m.exec(r.stdout);
    if (stamp) out.cache_update_time = parseInt(stamp[1], 10);
    else {
      out.stdout = r.stdout;
      out.stderr = r.stderr;
      out.stdout_lines = r.stdout.split('\n').filter((l) => l !== '');
      if (plan.result?.changed_decided_by_apt) {
        const m = /(\d+) upgraded, (\d+) newly installed, (\d+) to remove/.exec(r.stdout);
        if (m) out.changed = m.slice(1).some((n) => n !== '0');
      }
    }
    if (r.exitCode !== 0) {
      out.failed = true;
      out.rc = r.exitCode;
      out.msg = `'${c.describe ?? c.command}' failed: ${r.stderr.trim()}`;
    }
  });
  return out;
}

export const aptModule: ModuleDefinition = {
  name: 'apt',
  spec: aptSpec,
  probes: (raw, ctx) => probes(raw, ctx.check),
  plan: (raw, facts, ctx) => failOnArgError(() => planApt(raw, facts, ctx)),
  finish: (_raw, plan, results) => finishApt(plan, results),
};
