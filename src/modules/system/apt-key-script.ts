import type { ExecResult } from '../../connectors/types.js';
import type { Plan, PlannedCommand } from '../contract.js';
import { CAPTURE_FUNCTION, aptKeyListCommand, keyIdsIn, parseCaptured } from '../../facts/apt-keys.js';
import { quoteArgv } from '../../shell/quote.js';
import { splitLines } from '../files/run-command.js';

/** stdout and stderr of a run_command, with the *_lines the executor adds to any result that has them. */
export function outputOf(c: { stdout: string; stderr: string }): Record<string, unknown> {
  return { stdout: c.stdout, stdout_lines: splitLines(c.stdout), stderr: c.stderr, stderr_lines: splitLines(c.stderr) };
}

export type AptKeyAction =
  | { kind: 'add-file'; file: string }
  | { kind: 'add-data'; data: Buffer }
  | { kind: 'recv'; keyserver: string; keyId: string; locale: string; proxy?: string }
  | { kind: 'del'; shortId: string };

/** What finish needs to build Ansible's messages; kept in plan.result and removed from the registered result. */
interface Pending {
  kind: AptKeyAction['kind'];
  cmd: string;
  file?: string;
  keyId?: string;
  keyserver?: string;
  locale?: string;
  shortId?: string;
  shortFormat: boolean;
}

/** The apt-key argv apt_key.py runs for one action (its `cmd` string is these words joined by spaces). */
function actionArgv(aptKey: string, keyring: string | undefined, action: AptKeyAction): string[] {
  const base = [aptKey, ...(keyring !== undefined ? ['--keyring', keyring] : [])];
  switch (action.kind) {
    case 'add-file':
      return [...base, 'add', action.file];
    case 'add-data':
      return [...base, 'add', '-'];
    case 'del':
      return [...base, 'del', action.shortId];
    case 'recv':
      return [...base, 'adv', '--no-tty', '--keyserver', action.keyserver, ...(action.proxy ? ['--keyserver-options', `http-proxy=${action.proxy}`] : []), '--recv', action.keyId];
  }
}

/**
 * One script: the action (a keyserver fetch is tried 5 times, as import_key), then the keyring's
 * listing again (apt_key.py checks the key really came or went). Each step's rc/stdout/stderr is
 * framed by `capture` so finish can build Ansible's result.
 */
export function aptKeyCommand(aptKey: string, keyring: string | undefined, action: AptKeyAction, shortFormat: boolean): { command: PlannedCommand; pending: Pending } {
  const argv = actionArgv(aptKey, keyring, action);
  const step =
    action.kind === 'recv'
      ? `i=0; until capture action env ${quoteArgv([`LANG=${action.locale}`, `LC_ALL=${action.locale}`, `LC_MESSAGES=${action.locale}`, ...argv])}; do i=$((i+1)); [ $i -lt 5 ] || exit 0; done`
      : `capture action ${quoteArgv(argv)} || exit 0`;
  const script = [CAPTURE_FUNCTION, step, `capture after ${quoteArgv(aptKeyListCommand(aptKey, keyring))}; :`].join('\n');
  const pending: Pending = { kind: action.kind, cmd: argv.join(' '), shortFormat };
  if (action.kind === 'add-file') pending.file = action.file;
  if (action.kind === 'recv') Object.assign(pending, { keyId: action.keyId, keyserver: action.keyserver, locale: action.locale });
  if (action.kind === 'del') pending.shortId = action.shortId;
  return {
    command: { command: `sh -c ${quoteArgv([script])}`, describe: argv.join(' '), ...(action.kind === 'add-data' ? { stdin: action.data } : {}) },
    pending,
  };
}

/** The registered result: Ansible's failure for the step that failed, else the result with `after`. */
export function finishAptKey(plan: Plan, results: ExecResult[], errorNoError: (what: string) => string): Record<string, unknown> {
  const { pending, ...result } = (plan.result ?? {}) as Record<string, unknown> & { pending?: Pending };
  const r = results.at(-1);
  if (!pending || !r) return { ...result, changed: plan.changed };
  const steps = parseCaptured(r.stdout);
  const action = steps.filter((s) => s.name === 'action').at(-1);
  if (!action) return { changed: false, failed: true, msg: r.stderr.trim() || `apt-key exited ${r.exitCode}`, rc: r.exitCode };
  const out = outputOf(action);
  if (action.rc !== 0) {
    const failed = { changed: false, failed: true, cmd: pending.cmd };
    switch (pending.kind) {
      case 'add-data':
        return { ...failed, msg: 'Unable to add a key from binary data', rc: action.rc, ...out };
      case 'add-file':
        return { ...failed, msg: `Unable to add a key from file ${pending.file}`, rc: action.rc, keyfile: pending.file, ...out };
      case 'del':
        return { ...failed, msg: `Unable to remove a key with id ${pending.shortId}`, rc: action.rc, key_id: pending.shortId, ...out };
      case 'recv': {
        const forced_environment = { LANG: pending.locale, LC_ALL: pending.locale, LC_MESSAGES: pending.locale };
        if (action.rc === 2 && action.stdout.includes('not found on keyserver')) return { ...failed, msg: `Key ${pending.keyId} not found on keyserver ${pending.keyserver}`, forced_environment };
        return { ...failed, msg: `Error fetching key ${pending.keyId} from keyserver: ${pending.keyserver}`, forced_environment, rc: action.rc, ...out };
      }
    }
  }
  const after = steps.find((s) => s.name === 'after');
  if (!after || after.rc !== 0) return { changed: false, failed: true, msg: 'Unable to list public keys', cmd: pending.cmd, rc: after?.rc, ...outputOf(after ?? { stdout: '', stderr: r.stderr }) };
  const keys = keyIdsIn(after.stdout, pending.shortFormat);
  const done = { ...result, after: keys };
  const fp = String(result.fp);
  const present = pending.shortFormat ? keys.includes(String(result.short_id)) : keys.includes(fp);
  if (pending.kind !== 'del' && !present) return { ...done, changed: false, failed: true, msg: errorNoError('failed to add the key') };
  if (pending.kind === 'del' && keys.includes(fp)) return { ...done, changed: false, failed: true, msg: errorNoError('the key was not removed') };
  return done;
}
