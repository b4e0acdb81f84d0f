import { posix } from 'node:path';
import type { ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { crontabState, type CrontabState } from '../facts/crontab.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { quoteArgv, sh } from '../shell/quote.js';
import { atomicWriteCommand, backupFileFrom, receiveStdinLines, sha1 } from './files/atomic-write.js';
import { CrontabLines } from './system/crontab-edit.js';

type CronArgs = {
  name: string;
  user?: string;
  job?: string;
  cron_file?: string;
  state: 'present' | 'absent';
  backup: boolean;
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekday: string;
  special_time?: string;
  disabled: boolean;
  env: boolean;
  insertafter?: string;
  insertbefore?: string;
};

/** A relative cron_file lives in /etc/cron.d. */
const cronFilePath = (a: CronArgs) => (a.cron_file === undefined ? undefined : posix.isAbsolute(a.cron_file) ? a.cron_file : posix.join('/etc/cron.d', a.cron_file));
const probeFor = (a: CronArgs) => {
  const cronFile = cronFilePath(a);
  return crontabState(cronFile !== undefined ? { cronFile } : { user: a.user });
};

/** tempfile.mkstemp(prefix='crontab') in the module's temp dir; prints backup_file= as the file writers do. */
const backupCommand = (text: string): PlannedCommand => ({
  command: `b=$(mktemp "\${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$b" && echo "backup_file=$b"`,
  stdin: text,
  describe: 'back up the crontab',
});

function writeCommand(a: CronArgs, st: CrontabState, text: string): PlannedCommand {
  const cronFile = cronFilePath(a);
  if (cronFile !== undefined) {
    const keepIds = st.uid !== undefined && st.gid !== undefined ? { uid: st.uid, gid: st.gid } : undefined;
    return { command: atomicWriteCommand({ dest: cronFile, checksum: sha1(text), mode: st.mode ?? '0644', keepIds }), stdin: text, describe: `write ${cronFile}` };
  }
  const asOther = a.user !== undefined && a.user !== st.me ? ['-u', a.user] : [];
  // as the module: the whole crontab in a 0644 temp file first, then `crontab [-u USER] FILE`
  const script = ['set -e', ...receiveStdinLines('mktemp', sha1(text)), 'chmod 0644 "$tmp"', `${quoteArgv([st.crontab!, ...asOther])} "$tmp"`];
  return { command: sh`sh -c ${script.join('\n')}`, stdin: text, describe: `crontab ${[...asOther, 'FILE'].join(' ')}` };
}

function header(a: CronArgs): string {
  return cronFilePath(a) ?? (a.user ? `crontab for user "${a.user}"` : 'crontab');
}

/** The edit main() makes: a message when it fails, else whether anything changed. */
function edit(a: CronArgs, ct: CrontabLines, warnings: string[]): { failed: string } | { changed: boolean } {
  const present = a.state === 'present';
  if (a.env) {
    if (a.name.includes(' ')) return { failed: 'Invalid name for environment variable' };
    const decl = `${a.name}="${a.job ?? 'None'}"`;
    const old = ct.findEnv(a.name);
    if (!present) {
      if (old.length > 0) ct.replaceEnv(a.name);
      return { changed: old.length > 0 };
    }
    if (old.length === 0) {
      const missing = ct.addEnv(decl, a.insertafter, a.insertbefore);
      return missing !== undefined ? { failed: missing } : { changed: true };
    }
    if (old[1] !== decl) ct.replaceEnv(a.name, decl);
    return { changed: old[1] !== decl };
  }
  if (!present) {
    const old = ct.findJob(a.name);
    if (old.length > 0) ct.replaceJob(a.name);
    return { changed: old.length > 0 };
  }
  if (/[\r\n]/.test(a.job!.replace(/^[\r\n]+|[\r\n]+$/g, ''))) warnings.push('Job should not contain line breaks');
  const job = ct.cronJob({ ...a, job: a.job! });
  const old = ct.findJob(a.name, job);
  if (old.length === 0) ct.addJob(a.name, job);
  else if (old[1] !== job || old.length > 2) ct.replaceJob(a.name, job);
  return { changed: old.length === 0 || old[1] !== job || old.length > 2 };
}

/** Checks main() makes before it edits, in its order. */
function inputError(a: CronArgs, st: CrontabState): string | undefined {
  if (st.crontab === undefined) return `Failed to find required executable "crontab" in paths: ${st.paths}`;
  if (a.cron_file === undefined && st.rc !== 0 && st.rc !== 1) return 'Unable to read crontab';
  if (a.special_time && [a.minute, a.hour, a.day, a.month, a.weekday].some((x) => x !== '*')) return 'You must specify time and date fields or special time.';
  if (a.state !== 'present') return undefined;
  if (a.cron_file && !a.user) return 'To use cron_file=... parameter you must specify user=... as well';
  if (a.job === undefined) return "You must specify 'job' to install a new cron job or variable";
  if ((a.insertafter || a.insertbefore) && !a.env) return 'Insertafter and insertbefore parameters are valid only with env=yes';
  return undefined;
}

/** The cron file held only this job: it is deleted (module exits early with these keys). */
function removeFilePlan(a: CronArgs, st: CrontabState, ct: CrontabLines, original: string, check: boolean, diff: boolean): Plan {
  const path = cronFilePath(a)!;
  const shown = diff ? { before: ct.existing, before_header: path, after: '', after_header: '/dev/null' } : {};
  const changed = check ? st.isFile === true : true;
  // the module writes its backup first and then leaves it without naming it
  const commands = [...(a.backup ? [backupCommand(original)] : []), { command: sh`rm -f -- ${path}`, describe: `remove ${path}` }];
  return {
    commands,
    changed,
    diff: diff ? [{ path, before: ct.existing, after: '', beforeHeader: path, afterHeader: '/dev/null' }] : undefined,
    result: { changed, cron_file: a.cron_file, state: a.state, diff: shown },
  };
}

function planCron(a: CronArgs, st: CrontabState, check: boolean, diff: boolean): Plan {
  if (a.cron_file === '/etc/crontab') return { commands: [], changed: false, failed: 'Will not manage /etc/crontab via cron_file, see documentation.' };
  const warnings: string[] = [];
  const base = a.cron_file !== undefined ? posix.basename(a.cron_file) : undefined;
  if (base !== undefined && !/^[A-Z0-9_-]+$/i.test(base)) {
    warnings.push(`Filename portion of cron_file ("${base}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`);
  }
  const bad = inputError(a, st);
  if (bad !== undefined) return { commands: [], changed: false, failed: bad };
  const ct = new CrontabLines(st.text ?? '', a.cron_file !== undefined, a.user);
  const original = ct.render();
  const outcome = edit(a, ct, warnings);
  if ('failed' in outcome) return { commands: [], changed: false, failed: outcome.failed };
  if (a.cron_file !== undefined && a.state === 'absent' && outcome.changed && ct.isEmpty()) return removeFilePlan(a, st, ct, original, check, diff);
  // no change to env or job, but an existing crontab needs its final newline
  const changed = outcome.changed || (ct.existing !== '' && !/[\r\n]$/.test(ct.existing));
  // the executor drops an empty warnings list from the registered result
  const result: Record<string, unknown> = { jobs: ct.jobNames(), envs: ct.envNames(), ...(warnings.length ? { warnings } : {}), changed };
  const after = ct.render();
  let shown: Plan['diff'];
  if (changed && diff) {
    const h = header(a);
    result.diff = { before: ct.existing, before_header: h, after, after_header: h };
    shown = [{ path: h, before: ct.existing, after, beforeHeader: h, afterHeader: h }];
  }
  if (a.cron_file !== undefined) result.cron_file = a.cron_file;
  const commands = changed ? [...(a.backup ? [backupCommand(original)] : []), writeCommand(a, st, after)] : [];
  return { commands, changed, warnings, diff: shown, result };
}

/** ansible-core 2.14 cron: "#Ansible: NAME" jobs and NAME="value" variables in a user crontab (crontab -l / crontab -) or a cron file. */
export const cronModule: ModuleDefinition<CronArgs> = {
  name: 'cron',
  spec: {
    args: {
      name: { type: 'str', required: true },
      user: { type: 'str' },
      job: { type: 'str', aliases: ['value'] },
      cron_file: { type: 'path' },
      state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
      backup: { type: 'bool', default: false },
      minute: { type: 'str', default: '*' },
      hour: { type: 'str', default: '*' },
      day: { type: 'str', default: '*', aliases: ['dom'] },
      month: { type: 'str', default: '*' },
      weekday: { type: 'str', default: '*', aliases: ['dow'] },
      special_time: { type: 'str', choices: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] },
      disabled: { type: 'bool', default: false },
      env: { type: 'bool', default: false },
      insertafter: { type: 'str' },
      insertbefore: { type: 'str' },
    },
    mutuallyExclusive: [['insertafter', 'insertbefore']],
  },
  probes: (a) => [probeFor(a)],
  plan: (a, facts, ctx) => failOnArgError(() => planCron(a, facts.get(probeFor(a)), ctx.check, ctx.diff)),
  finish: (_a, plan, results, ctx) => {
    if (ctx.check || results.length === 0) return plan.result ?? {};
    const last = results.at(-1)!;
    if (last.exitCode !== 0) return { msg: last.stderr, failed: true, changed: false };
    const backup = plan.commands.length > 1 && !('state' in (plan.result ?? {})) ? backupFileFrom(results[0]!.stdout) : undefined;
    return { ...plan.result, ...(backup !== undefined ? { backup_file: backup } : {}) };
  },
};
