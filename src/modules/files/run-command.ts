import { posix } from 'node:path';
import type { ExecResult } from '../../connectors/types.js';
import type { FactRequest, ProbedFacts } from '../../facts/request.js';
import type { ModuleContext, ModuleDefinition, Plan } from '../contract.js';
import { pathExists } from '../../facts/path-exists.js';
import { sh, raw } from '../../shell/quote.js';
import { expandingWord } from './expanding-word.js';
import { shlexSplit } from '../../shell/shlex.js';
import { pyBytesRepr } from '../../python/repr.js';

type CommandArgs = {
  _raw_params?: string;
  cmd?: string;
  argv?: string[];
  chdir?: string;
  executable?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
  strip_empty_ends?: boolean;
}

const COMMAND_SPEC = {
  _raw_params: { type: 'str' },
  cmd: { type: 'str' },
  argv: { type: 'list', elements: 'str' },
  chdir: { type: 'path' },
  executable: { type: 'str' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
} as const;

/** creates/removes are relative to chdir (Ansible chdirs before globbing). */
function guardPath(p: string, chdir: string | undefined): string {
  return chdir && !posix.isAbsolute(p) && !p.startsWith('~') ? posix.join(chdir, p) : p;
}

function guardProbe(p: string | undefined, a: CommandArgs, ctx: ModuleContext): FactRequest<boolean> | undefined {
  return p ? pathExists({ path: guardPath(p, a.chdir), become: ctx.become }) : undefined;
}

/** Ansible chdirs before anything else, check mode included: a missing chdir fails the task. */
function chdirProbe(a: CommandArgs, ctx: ModuleContext): FactRequest<boolean> | undefined {
  return a.chdir ? pathExists({ path: a.chdir, become: ctx.become }) : undefined;
}

function guardProbes(a: CommandArgs, ctx: ModuleContext): FactRequest<boolean>[] {
  return [chdirProbe(a, ctx), guardProbe(a.creates, a, ctx), guardProbe(a.removes, a, ctx)].filter((p): p is FactRequest<boolean> => p !== undefined);
}

/** The Ansible `cmd` value and the shell text that runs it. */
function buildCommand(a: CommandArgs, useShell: boolean): { cmd: string | string[]; text: string } | string {
  const text = a._raw_params ?? a.cmd;
  if ((text === undefined || text.trim() === '') && !a.argv?.length) return 'no command given';
  if (text !== undefined && text.trim() !== '' && a.argv?.length) return 'only command or argv can be given, not both';
  let cmd: string | string[];
  let run: string;
  if (useShell) {
    if (text === undefined) return 'shell needs a command string, not argv';
    cmd = text;
    run = sh`${a.executable ?? '/bin/sh'} -c ${text}`;
  } else {
    try {
      cmd = a.argv?.length ? a.argv.map(String) : shlexSplit(text!);
    } catch (e) {
      return `cannot split command: ${(e as Error).message}`;
    }
    run = cmd.map(expandingWord).join(' ');
  }
  if (a.chdir) run = sh`cd -- ${a.chdir} && ${raw(run)}`;
  return { cmd, text: run };
}

function stdinOf(a: CommandArgs): string | undefined {
  if (a.stdin === undefined || a.stdin === null) return undefined;
  return a.stdin_add_newline === false ? a.stdin : `${a.stdin}\n`;
}

/** What Ansible's command module registers when it does not run the command (guards, check mode). */
function notRun(cmd: string | string[], msg: string, stdout: string): Record<string, unknown> {
  return { changed: false, cmd, rc: 0, stdout, stderr: '', stdout_lines: splitLines(stdout), stderr_lines: [], start: null, end: null, delta: null, msg };
}

function planCommand(a: CommandArgs, facts: ProbedFacts, ctx: ModuleContext, useShell: boolean): Plan {
  const built = buildCommand(a, useShell);
  if (typeof built === 'string') return { commands: [], changed: false, failed: built, result: { rc: 256, msg: built } };
  const { cmd, text } = built;
  const warnings = !useShell && a.executable ? [`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${a.executable}'.`] : undefined;
  const chdir = chdirProbe(a, ctx);
  if (chdir && !facts.get(chdir)) {
    const msg = `Unable to change directory before execution: [Errno 2] No such file or directory: ${pyBytesRepr(a.chdir!)}`;
    return { commands: [], changed: false, failed: msg, warnings, result: { ...notRun(cmd, msg, ''), rc: null } };
  }
  const verb = ctx.check ? 'Would' : 'Did';
  const createsProbe = guardProbe(a.creates, a, ctx);
  const removesProbe = guardProbe(a.removes, a, ctx);
  if (createsProbe && facts.get(createsProbe)) {
    return { commands: [], changed: false, warnings, result: notRun(cmd, `${verb} not run command since '${a.creates}' exists`, `skipped, since ${a.creates} exists`) };
  }
  if (removesProbe && !facts.get(removesProbe)) {
    return { commands: [], changed: false, warnings, result: notRun(cmd, `${verb} not run command since '${a.removes}' does not exist`, `skipped, since ${a.removes} does not exist`) };
  }
  const wouldRun = 'Command would have run if not in check mode';
  if (ctx.check && !a.creates && !a.removes) {
    return { commands: [], changed: false, skippedReason: wouldRun, warnings, result: { ...notRun(cmd, wouldRun, ''), skipped: true } };
  }
  const check = ctx.check ? notRun(cmd, wouldRun, '') : {};
  return {
    commands: [{ command: text, stdin: stdinOf(a), describe: Array.isArray(cmd) ? cmd.join(' ') : cmd }],
    changed: true,
    warnings,
    result: { cmd, ...check },
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python's str(datetime) in local time: 2026-11-27 09:50:01.123456 */
function pythonDatetime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

/** Python's str(timedelta) for less than a day: 0:00:01.250000 */
function pythonDelta(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(Math.round(ms % 1000), 3)}000`;
}

/** str.splitlines() of Ansible's stdout_lines. */
export function splitLines(s: string): string[] {
  if (s === '') return [];
  return s.replace(/\r?\n$/, '').split(/\r?\n|\r/);
}

/** Ansible's command result from the run (rc, stdout(_lines), stderr(_lines), start/end/delta, msg). */
export function commandResult(plan: Plan, results: ExecResult[], strip: boolean, now: Date = new Date()): Record<string, unknown> {
  const base = { ...(plan.result ?? {}), changed: plan.changed };
  const r = results[results.length - 1];
  if (!r) return base;
  const cut = (s: string) => (strip ? s.replace(/[\r\n]+$/, '') : s);
  const stdout = cut(r.stdout);
  const stderr = cut(r.stderr);
  const out: Record<string, unknown> = {
    ...base,
    rc: r.exitCode,
    stdout,
    stderr,
    stdout_lines: splitLines(stdout),
    stderr_lines: splitLines(stderr),
    start: pythonDatetime(new Date(now.getTime() - r.durationMs)),
    end: pythonDatetime(now),
    delta: pythonDelta(r.durationMs),
    msg: '',
  };
  if (r.exitCode !== 0) {
    out.failed = true;
    out.msg = 'non-zero return code';
  }
  return out;
}

export function commandModule(name: 'command' | 'shell', useShell: boolean): ModuleDefinition<CommandArgs> {
  return {
    name,
    spec: { args: COMMAND_SPEC, freeForm: '_raw_params' },
    probes: (a, ctx) => guardProbes(a, ctx),
    plan: (a, facts, ctx) => planCommand(a, facts, ctx, useShell),
    finish: (a, plan, results) => commandResult(plan, results, a.strip_empty_ends !== false),
    changedOnFailure: true,
  };
}
