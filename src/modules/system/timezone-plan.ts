/**
 * community.general.timezone's decision on Linux (collection 9.5.13), pure: the values before, the
 * steps that set the planned ones (timedatectl, or Debian's /etc/timezone + dpkg-reconfigure and
 * /etc/default/rcS + hwclock) and the messages the module collects on the way.
 */
import { boolean } from '../../python/boolean.js';
import type { ConfigFile, TimezoneState } from '../../facts/timezone.js';

type TimezoneKey = 'hwclock' | 'name';
export type TimezoneArgs = { hwclock?: string | null; name?: string | null };

/** One thing the module does: rewrite a file (then log its message) or run a command (check_rc). */
export type TimezoneStep =
  | { write: string; content: string; message: string }
  | { run: string; log: boolean };

type TimezoneDecision =
  | { error: string }
  | { before: Partial<Record<TimezoneKey, string>>; planned: Partial<Record<TimezoneKey, string>>; steps: TimezoneStep[] };

/** Timezone.abort's wording. */
export const abortMessage = (msg: string, others: string[] = []) =>
  ['Error message:', msg, ...(others.length ? ['Other message(s):', ...others] : [])].join('\n');

const missingBin = (name: string, path: string) => `Failed to find required executable "${name}" in paths: ${path}`;

const CONFIG = { name: '/etc/timezone', hwclock: '/etc/default/rcS', adjtime: '/etc/adjtime' } as const;
const REGEXPS = { name: /^([^\s]+)/m, hwclock: /^UTC\s*=\s*([^\s]+)/m, adjtime: /^(UTC|LOCAL)$/m } as const;
const MISSING_VALUE = { name: 'n/a', hwclock: 'n/a', adjtime: 'UTC' } as const;

/** Python text mode reads \r\n and \r as \n. */
const universalNewlines = (s: string) => s.replace(/\r\n?/g, '\n');

class Abort extends Error {}

/** _get_value_from_config on the 'before' phase. */
function configValue(key: 'name' | 'hwclock' | 'adjtime', file: ConfigFile): string {
  if (file === 'missing') return MISSING_VALUE[key];
  if (file === 'unreadable') throw new Abort(abortMessage(`tried to configure ${key} using a file "${CONFIG[key]}", but could not read it`));
  const m = REGEXPS[key].exec(universalNewlines(file.text));
  if (!m) return MISSING_VALUE[key];
  const value = m[1]!;
  if (key === 'hwclock') {
    try {
      return boolean(value) ? 'UTC' : 'local';
    } catch (e) {
      throw new Abort((e as Error).message);
    }
  }
  return key === 'adjtime' && value !== 'UTC' ? value.toLowerCase() : value;
}

/** NosystemdTimezone.get for the name: /etc/timezone, then where /etc/localtime points. */
function nameBefore(st: TimezoneState, planned: string): string {
  const value = configValue('name', st.timezoneFile);
  if (value !== planned) return value;
  const lt = st.localtime;
  if ('link' in lt) {
    if (!lt.exists) return 'n/a';
    const m = /(?:\/(?:usr\/share|etc)\/zoneinfo\/)(.*)/.exec(lt.link);
    return m ? m[1]! : 'n/a';
  }
  return lt.sameAsZone ? value : 'n/a';
}

/** _edit_file: the first line the regexp finds becomes `line`, other such lines go. */
function editedFile(file: ConfigFile, regexp: RegExp, line: string, path: string): { content: string; message: string } {
  const text = typeof file === 'object' ? universalNewlines(file.text) : '';
  const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
  const matched = lines.flatMap((l, i) => (regexp.test(l) ? [i] : []));
  const kept = lines.filter((_l, i) => !matched.includes(i));
  kept.splice(matched[0] ?? 0, 0, line);
  return { content: kept.join(''), message: `Added 1 line and deleted ${matched.length} line(s) on ${path}` };
}

function systemdDecision(st: TimezoneState & { timedatectl: NonNullable<TimezoneState['timedatectl']> }, planned: Partial<Record<TimezoneKey, string>>): TimezoneDecision {
  const tdc = st.bins.timedatectl!;
  const status = st.timedatectl;
  if (status.rc !== 0) throw new RunFailure(`${tdc} status`, status);
  const before: Partial<Record<TimezoneKey, string>> = {};
  const steps: TimezoneStep[] = [];
  for (const key of Object.keys(planned) as TimezoneKey[]) {
    const re = key === 'hwclock' ? /^\s*RTC in local TZ\s*:\s*([^\s]+)/m : /^\s*Time ?zone\s*:\s*([^\s]+)/m;
    const m = re.exec(status.out);
    if (!m) return { error: `timedatectl status shows no ${key === 'hwclock' ? 'RTC in local TZ' : 'Time zone'} line` };
    before[key] = key === 'hwclock' ? (boolean(m[1]) ? 'local' : 'UTC') : m[1]!;
    if (before[key] === planned[key]) continue;
    const value = key === 'hwclock' ? (planned[key] === 'local' ? 'yes' : 'no') : planned[key]!;
    steps.push({ run: `${tdc} ${key === 'hwclock' ? 'set-local-rtc' : 'set-timezone'} ${value}`, log: true });
  }
  return { before, planned, steps };
}

/** A command the module ran with check_rc failed: fail_json with its cmd, rc and output. */
export class RunFailure extends Error {
  constructor(readonly cmd: string, readonly run: { rc: number; out: string; err: string }) {
    super(run.err.trimEnd());
  }
}

function debianDecision(st: TimezoneState, planned: Partial<Record<TimezoneKey, string>>): TimezoneDecision {
  if (!st.bins.cp) return { error: missingBin('cp', st.path) };
  if (!st.bins.hwclock) return { error: missingBin('hwclock', st.path) };
  if (!st.bins['dpkg-reconfigure']) {
    return { error: 'falco-deploy: timezone without timedatectl is implemented for Debian/Ubuntu (dpkg-reconfigure) only, not for /etc/sysconfig/clock, Alpine or Gentoo' };
  }
  if (planned.name !== undefined && !st.bins.ln) return { error: missingBin('ln', st.path) };
  const before: Partial<Record<TimezoneKey, string>> = {};
  const steps: TimezoneStep[] = [];
  if (planned.hwclock !== undefined) {
    let value = configValue('hwclock', st.rcsFile);
    if (value === planned.hwclock) value = configValue('adjtime', st.adjtimeFile);
    before.hwclock = value;
    if (value !== planned.hwclock) {
      const utc = planned.hwclock === 'local' ? 'no' : 'yes';
      steps.push({ write: CONFIG.hwclock, ...editedFile(st.rcsFile, REGEXPS.hwclock, `UTC=${utc}\n`, CONFIG.hwclock) });
      steps.push({ run: `${st.bins.hwclock} --systohc ${planned.hwclock === 'local' ? '--localtime' : '--utc'}`, log: true });
    }
  }
  if (planned.name !== undefined) {
    before.name = nameBefore(st, planned.name);
    if (before.name !== planned.name) {
      steps.push({ write: CONFIG.name, ...editedFile(st.timezoneFile, REGEXPS.name, `${planned.name}\n`, CONFIG.name) });
      steps.push({ run: `${st.bins.ln} -sf /usr/share/zoneinfo/${planned.name} /etc/localtime`, log: false });
      steps.push({ run: `${st.bins['dpkg-reconfigure']} --frontend noninteractive tzdata`, log: false });
    }
  }
  return { before, planned, steps };
}

/** Timezone(module) on Linux, then check('before') and the changes change() would make. Throws RunFailure. */
export function decideTimezone(a: TimezoneArgs, st: TimezoneState): TimezoneDecision {
  // argument_spec order: hwclock, then name
  const planned: Partial<Record<TimezoneKey, string>> = {};
  if (a.hwclock != null) planned.hwclock = a.hwclock;
  if (a.name != null) planned.name = a.name;
  if (planned.name !== undefined && !st.zoneExists) return { error: abortMessage(`given timezone "${planned.name}" is not available`) };
  try {
    return st.timedatectl && st.bins.timedatectl ? systemdDecision({ ...st, timedatectl: st.timedatectl }, planned) : debianDecision(st, planned);
  } catch (e) {
    if (e instanceof Abort) return { error: e.message };
    throw e;
  }
}
