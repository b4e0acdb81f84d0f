import { factIdentity, type FactRequest } from './request.js';
import { sh } from '../shell/quote.js';

export type ServiceManagerState = 'booted' | 'offline' | 'absent';

export interface UnitStatus {
  id: string;
  /** loaded, not-found, masked, bad-setting, error (offline: derived from the unit-file state). */
  loadState: string;
  /** Only known when systemd runs (booted). */
  activeState?: string;
  subState?: string;
  /** enabled, disabled, static, masked, indirect, alias, ... ('' when unknown). */
  unitFileState: string;
  loadError?: string;
  /** /etc/init.d/NAME exists and is executable (only probed with sysv: true). */
  initScript?: boolean;
  /** `service NAME status` exited 0 (only when there is an init script). */
  initRunning?: boolean;
}

export interface SystemdUnits {
  /** booted: systemd is PID 1; offline: systemctl exists but systemd does not run (containers, chroots). */
  manager: ServiceManagerState;
  units: Record<string, UnitStatus>;
}

interface SystemdUnitsArgs {
  units: string[];
  scope?: 'system' | 'user' | 'global';
  /** Also look for SysV init scripts (service module). */
  sysv?: boolean;
}

const UNIT_PROPERTIES = 'Id,LoadState,ActiveState,SubState,UnitFileState,LoadError';

/**
 * ONE probe for several units. Booted: `systemctl show` (blocks in argument order, blank-line
 * separated). Offline: `systemctl is-enabled` per unit, which reads unit files without a manager
 * (`systemctl show` fails there with "System has not been booted with systemd").
 */
export function systemdUnits(a: SystemdUnitsArgs): FactRequest<SystemdUnits> {
  const scope = a.scope && a.scope !== 'system' ? [`--${a.scope}`] : [];
  const lines = [
    'if ! command -v systemctl >/dev/null 2>&1; then echo manager=absent',
    sh`elif [ -d /run/systemd/system ]; then echo manager=booted; systemctl ${scope} show --no-pager -p ${UNIT_PROPERTIES} ${a.units}`,
    sh`else echo manager=offline; for u in ${a.units}; do s=$(systemctl ${scope} is-enabled "$u" 2>/dev/null); printf '\\nId=%s\\nUnitFileState=%s\\n' "$u" "$(echo "$s" | head -n 1)"; done`,
    'fi',
  ];
  if (a.sysv) {
    lines.push(
      sh`for u in ${a.units}; do if [ -x "/etc/init.d/$u" ]; then service "$u" status >/dev/null 2>&1; echo "sysv=$u 1 $?"; else echo "sysv=$u 0 -"; fi; done`,
    );
  }
  lines.push(':');
  return {
    ...factIdentity('systemd_units', { units: a.units, scope: a.scope ?? 'system', sysv: !!a.sysv }),
    command: lines.join('\n'),
    parse: (r) => parseSystemdUnits(r.stdout, a.units),
  };
}

function derivedLoadState(unitFileState: string): string {
  if (unitFileState === '') return 'not-found';
  if (unitFileState.startsWith('masked')) return 'masked';
  return 'loaded';
}

function parseSystemdUnits(stdout: string, requested: string[]): SystemdUnits {
  const lines = stdout.split('\n');
  const head = /^manager=(booted|offline|absent)$/.exec(lines[0] ?? '');
  if (!head) throw new Error(`unexpected systemd probe output: ${JSON.stringify(stdout.slice(0, 200))}`);
  const manager = head[1] as ServiceManagerState;
  const blocks: Record<string, string>[] = [];
  const sysv = new Map<string, { script: boolean; rc: string }>();
  let block: Record<string, string> | undefined;
  for (const line of lines.slice(1)) {
    const sv = /^sysv=(\S+) ([01]) (\S+)$/.exec(line);
    if (sv) {
      sysv.set(sv[1], { script: sv[2] === '1', rc: sv[3] });
      continue;
    }
    if (line.trim() === '') {
      block = undefined;
      continue;
    }
    const i = line.indexOf('=');
    if (i <= 0) continue;
    if (!block) {
      block = {};
      blocks.push(block);
    }
    block[line.slice(0, i)] = line.slice(i + 1);
  }
  const units: Record<string, UnitStatus> = {};
  if (manager !== 'absent') {
    requested.forEach((name, idx) => {
      const b = blocks[idx] ?? {};
      const unitFileState = b.UnitFileState ?? '';
      const u: UnitStatus = {
        id: b.Id ?? name,
        loadState: manager === 'booted' ? b.LoadState ?? 'not-found' : derivedLoadState(unitFileState),
        unitFileState,
      };
      if (manager === 'booted') {
        u.activeState = b.ActiveState ?? 'inactive';
        u.subState = b.SubState ?? 'dead';
        if (b.LoadError) u.loadError = b.LoadError;
      }
      units[name] = u;
    });
  } else {
    for (const name of requested) units[name] = { id: name, loadState: 'not-found', unitFileState: '' };
  }
  for (const [name, s] of sysv) {
    if (!units[name]) continue;
    units[name].initScript = s.script;
    if (s.script) units[name].initRunning = s.rc === '0';
  }
  return { manager, units };
}
