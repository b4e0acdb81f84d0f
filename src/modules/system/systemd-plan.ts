import type { Plan, PlannedCommand } from '../contract.js';
import type { SystemdUnits, UnitStatus } from '../../facts/systemd.js';
import { quoteArgv, sh } from '../../shell/quote.js';

export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface UnitRequest {
  name?: string;
  state?: ServiceState;
  enabled?: boolean;
  masked?: boolean;
  daemon_reload?: boolean;
  daemon_reexec?: boolean;
  scope?: 'system' | 'user' | 'global';
  no_block?: boolean;
  /** Offline (no systemd as PID 1) and the unit has a SysV script: state goes through `service`. */
  sysvFallback?: boolean;
}

/** `systemctl is-enabled` exit 0 states, minus indirect/alias which Ansible counts as disabled. */
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'static', 'generated', 'transient']);

function isEnabled(u: UnitStatus): boolean {
  return ENABLED_STATES.has(u.unitFileState);
}

function isRunning(u: UnitStatus): boolean {
  return u.activeState === 'active' || u.activeState === 'activating';
}

/** Ansible's wording, word for word (its fail_if_missing passes the literal msg 'host'). */
function notFound(name: string): string {
  return `Could not find the requested service ${name}: host`;
}

/** Ansible's status dict, from what we probed. */
function statusOf(u: UnitStatus | undefined): Record<string, string> {
  if (!u) return {};
  const s: Record<string, string> = { Id: u.id, LoadState: u.loadState, UnitFileState: u.unitFileState };
  if (u.activeState !== undefined) s.ActiveState = u.activeState;
  if (u.subState !== undefined) s.SubState = u.subState;
  if (u.loadError !== undefined) s.LoadError = u.loadError;
  return s;
}

/**
 * systemd semantics (Ansible order): daemon-reexec/daemon-reload, mask/unmask, enable/disable,
 * then the run state; only what differs. restarted/reloaded always act.
 * Without systemd as PID 1 (containers): unit-file operations work offline like systemctl's
 * own offline mode, daemon-reload is skipped (unit files are read from disk anyway), `stopped`
 * holds trivially, and started/restarted/reloaded fail with the reason.
 */
export function planUnit(req: UnitRequest, probed: SystemdUnits | undefined, host: string): Plan {
  const scope = req.scope && req.scope !== 'system' ? [`--${req.scope}`] : [];
  const commands: PlannedCommand[] = [];
  const warnings: string[] = [];
  const result: Record<string, unknown> = {};
  let changed = false;
  const ctl = (verb: string, unit?: string, extra: string[] = []): PlannedCommand => ({
    command: quoteArgv(['systemctl', ...scope, ...extra, verb, ...(unit === undefined ? [] : [unit])]),
  });
  const fail = (failed: string): Plan => ({ commands: [], changed: false, failed, result });

  if (probed?.manager === 'absent') return fail(`systemctl was not found on ${host}: this host is not managed by systemd`);
  const booted = probed?.manager === 'booted';

  for (const [flag, verb] of [['daemon_reexec', 'daemon-reexec'], ['daemon_reload', 'daemon-reload']] as const) {
    if (!req[flag]) continue;
    if (booted) commands.push(ctl(verb));
    else warnings.push(`${verb} skipped: systemd is not running on ${host} (unit files are read from disk)`);
  }
  if (!req.name) return { commands, changed, warnings, result };

  const name = req.name;
  const u = probed!.units[name];
  const found = !!u && u.loadState !== 'not-found';
  result.name = name;
  result.status = statusOf(u);
  if (found && u.loadState !== 'masked' && u.loadError && u.loadState !== 'loaded') {
    return fail(`Error loading unit file '${name}': ${u.loadError}`);
  }

  if (req.masked !== undefined) {
    const masked = u?.unitFileState === 'masked';
    if (masked !== req.masked) {
      commands.push(ctl(req.masked ? 'mask' : 'unmask', name));
      changed = true;
    }
  }

  if (req.enabled !== undefined) {
    if (!found && !req.sysvFallback) return fail(notFound(name));
    const enabled = !!u && isEnabled(u);
    result.enabled = req.enabled;
    if (enabled !== req.enabled) {
      commands.push(ctl(req.enabled ? 'enable' : 'disable', name));
      changed = true;
    }
  }

  if (req.state !== undefined) {
    result.state = req.state === 'stopped' ? 'stopped' : 'started';
    const noBlock = req.no_block ? ['--no-block'] : [];
    if (req.sysvFallback && !booted) {
      const running = !!u?.initRunning;
      const action = sysvAction(req.state, running);
      if (action) {
        commands.push({ command: sh`service ${name} ${action}` });
        changed = true;
      }
      return { commands, changed, warnings, result };
    }
    if (!found) return fail(notFound(name));
    if (!booted) {
      if (req.state === 'stopped') return { commands, changed, warnings, result };
      return fail(
        `System has not been booted with systemd as init system (PID 1): cannot make ${name} ${req.state} on ${host}. ` +
          'enabled/masked work offline; run the service on a host booted with systemd.',
      );
    }
    let action: string | undefined;
    if (req.state === 'started') action = isRunning(u) ? undefined : 'start';
    else if (req.state === 'stopped') action = isRunning(u) || u.activeState === 'deactivating' ? 'stop' : undefined;
    else action = isRunning(u) ? req.state.slice(0, -2) : 'start';
    if (action) {
      commands.push(ctl(action, name, noBlock));
      changed = true;
    }
  }
  return { commands, changed, warnings, result };
}

function sysvAction(state: ServiceState, running: boolean): string | undefined {
  if (state === 'started') return running ? undefined : 'start';
  if (state === 'stopped') return running ? 'stop' : undefined;
  if (state === 'restarted') return 'restart';
  return running ? 'reload' : 'start';
}
