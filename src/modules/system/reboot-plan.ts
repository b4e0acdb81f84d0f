/**
 * ansible-core 2.14's reboot action plugin, the pure part: its arguments as it reads them (no
 * argument spec: int() and str checks of its own), the reboot, boot time and test commands it
 * picks by distribution, and its messages.
 */
import { pyRepr } from '../../python/repr.js';

const DEFAULT_REBOOT_TIMEOUT = 600;
const DEFAULT_TEST_COMMAND = 'whoami';
const DEFAULT_BOOT_TIME_COMMAND = 'cat /proc/sys/kernel/random/boot_id';
const DEFAULT_REBOOT_MESSAGE = 'Reboot initiated by Ansible';
const DEFAULT_SHUTDOWN_COMMAND = 'shutdown';
const DEFAULT_SHUTDOWN_COMMAND_ARGS = '-r {delay_min} "{message}"';
const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];

// The plugin's tables, looked up by distribution+major version, distribution, then family.
const BOOT_TIME_COMMANDS: Record<string, string> = {
  freebsd: '/sbin/sysctl kern.boottime',
  openbsd: '/sbin/sysctl kern.boottime',
  macosx: 'who -b',
  solaris: 'who -b',
  sunos: 'who -b',
  vmkernel: 'grep booted /var/log/vmksummary.log | tail -n 1',
  aix: 'who -b',
};
const SHUTDOWN_COMMANDS: Record<string, string> = { alpine: 'reboot', vmkernel: 'reboot' };
const SHUTDOWN_COMMAND_ARGS: Record<string, string> = {
  alpine: '',
  void: '-r +{delay_min} "{message}"',
  freebsd: '-r +{delay_sec}s "{message}"',
  linux: DEFAULT_SHUTDOWN_COMMAND_ARGS,
  macosx: '-r +{delay_min} "{message}"',
  openbsd: '-r +{delay_min} "{message}"',
  solaris: '-y -g {delay_sec} -i 6 "{message}"',
  sunos: '-y -g {delay_sec} -i 6 "{message}"',
  vmkernel: '-d {delay_sec}',
  aix: '-Fr',
};
const TEST_COMMANDS: Record<string, string> = { solaris: 'who', vmkernel: 'who' };

/** As the plugin reads setup's facts: lower-case name, major version, lower-case family. */
interface Distribution {
  name: string;
  version: string;
  family: string;
}

export function distributionOf(facts: Record<string, unknown>): Distribution {
  return {
    name: String(facts.distribution ?? '').toLowerCase(),
    version: String(facts.distribution_version ?? '').split('.')[0],
    family: String(facts.os_family ?? '').toLowerCase(),
  };
}

function fromTable(table: Record<string, string>, d: Distribution, fallback: string): string {
  return table[d.name + d.version] ?? table[d.name] ?? table[d.family] ?? fallback;
}

/** A task failure the plugin raises as AnsibleError (its message is the whole result). */
export class RebootError extends Error {}

/** Python int() of an argument value (the plugin converts without an argument spec). */
function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  const text = String(value);
  if (/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) return Number(text.replace(/_/g, ''));
  throw new RebootError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
}

/** check_type_str(value, allow_conversion=False) as the plugin words its failure. */
function strictStr(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new RebootError(`Invalid value given for '${name}': '${pyRepr(value)}' is not a string and conversion is not allowed.`);
}

/** check_type_list: a string splits at commas, a number is one item, a list stays. */
function searchPaths(value: unknown): string[] {
  if (value === undefined) return DEFAULT_SEARCH_PATHS;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',');
  if (typeof value === 'number') return [String(value)];
  throw new RebootError(`'search_paths' must be a string or flat list of strings, got ${pyRepr(value)}`);
}

export interface RebootArgs {
  rebootTimeout: number;
  connectTimeout?: number;
  preRebootDelay: number;
  postRebootDelay: number;
  testCommand: string;
  bootTimeCommand: string;
  /** Lazy: the plugin checks reboot_command only once the boot time has been read. */
  shutdown(): ShutdownChoice;
}

/** The reboot command: a path already, or a program to look for in the search paths (find). */
export interface ShutdownChoice {
  program: string;
  searchPaths?: string[];
  args: string;
}

const delay = (raw: Record<string, unknown>, key: string) => Math.max(0, pyInt(raw[key] ?? 0));

/** The arguments as the plugin reads them from the task (raw: it has no argument spec). */
export function rebootArgs(raw: Record<string, unknown>, d: Distribution): RebootArgs {
  const preRebootDelay = delay(raw, 'pre_reboot_delay');
  const bootTime = raw.boot_time_command;
  return {
    rebootTimeout: pyInt(raw.reboot_timeout ?? DEFAULT_REBOOT_TIMEOUT),
    connectTimeout: raw.connect_timeout ? pyInt(raw.connect_timeout) : undefined,
    preRebootDelay,
    postRebootDelay: delay(raw, 'post_reboot_delay'),
    testCommand: raw.test_command === undefined ? fromTable(TEST_COMMANDS, d, DEFAULT_TEST_COMMAND) : String(raw.test_command),
    // a boot_time_command that is not a string fails when the boot time is first read
    bootTimeCommand: bootTime ? (bootTime as string) : fromTable(BOOT_TIME_COMMANDS, d, DEFAULT_BOOT_TIME_COMMAND),
    shutdown: () => shutdownChoice(raw, d, preRebootDelay),
  };
}

export function checkBootTimeCommand(raw: Record<string, unknown>): void {
  if (raw.boot_time_command) strictStr('boot_time_command', raw.boot_time_command);
}

function shutdownChoice(raw: Record<string, unknown>, d: Distribution, preRebootDelay: number): ShutdownChoice {
  let program: string;
  let args: string;
  if (raw.reboot_command !== undefined && raw.reboot_command !== null) {
    const command = strictStr('reboot_command', raw.reboot_command);
    const space = command.indexOf(' ');
    program = space < 0 ? command : command.slice(0, space);
    args = space < 0 ? '' : command.slice(space + 1);
  } else {
    program = fromTable(SHUTDOWN_COMMANDS, d, DEFAULT_SHUTDOWN_COMMAND);
    // seconds to whole minutes: under 60 s is "now"
    const message = raw.msg === undefined ? DEFAULT_REBOOT_MESSAGE : String(raw.msg);
    args = fromTable(SHUTDOWN_COMMAND_ARGS, d, DEFAULT_SHUTDOWN_COMMAND_ARGS)
      .replaceAll('{delay_sec}', String(preRebootDelay))
      .replaceAll('{delay_min}', String(Math.floor(preRebootDelay / 60)))
      .replaceAll('{message}', message);
  }
  return program.startsWith('/') ? { program, args } : { program, args, searchPaths: searchPaths(raw.search_paths) };
}

export const messages = {
  bootTimeFailed: (action: string, r: { exitCode: number; stdout: string; stderr: string }) =>
    `${action}: failed to get host boot time info, rc: ${r.exitCode}, stdout: ${r.stdout}, stderr: ${r.stderr}`,
  notFound: (program: string, paths: string[]) => `Unable to find command "${program}" in search paths: ${pyRepr(paths)}`,
  rebootFailed: (stdout: string, stderr: string) => `Reboot command failed. Error was: '${stdout.trim()}, ${stderr.trim()}'`,
  testFailed: (stdout: string, stderr: string) => `Test command failed: ${stderr} ${stdout}`,
  timedOut: (what: 'last boot time check' | 'post-reboot test command', timeout: number) => `Timed out waiting for ${what} (timeout=${timeout})`,
  local: (action: string) => `Running ${action} with local connection would reboot the control node.`,
};

/** The plugin's wait between failed attempts: 2^n s plus up to 1 s, at most 12 s plus that. */
export function backoffMs(failures: number, random: number): number {
  const jitter = Math.floor(random * 1001) / 1000;
  return Math.min(2 ** failures, 12) * 1000 + jitter * 1000;
}
