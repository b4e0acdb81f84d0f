import type { ExecResult } from '../connectors/types.js';
import type { ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import { timezoneState } from '../facts/timezone.js';
import { quoteArgv, sh } from '../shell/quote.js';
import { failOnArgError } from '../argspec/plan-failure.js';
import { splitLines } from './files/run-command.js';
import { dictDiffText } from './system/dict-diff.js';
import { abortMessage, decideTimezone, RunFailure, type TimezoneArgs, type TimezoneStep } from './system/timezone-plan.js';

const probe = (a: TimezoneArgs, ctx: ModuleContext) => timezoneState({ name: a.name, become: ctx.become });

/** The steps behind each plan, for finish(): which command failed and the messages collected before it. */
const planSteps = new WeakMap<Plan, TimezoneStep[]>();

function stepCommand(s: TimezoneStep): PlannedCommand {
  if ('write' in s) return { command: sh`cat > ${s.write}`, stdin: s.content, describe: `write ${s.write}` };
  // execute() runs the words joined by spaces: run_command splits them again
  return { command: quoteArgv(s.run.split(' ')), describe: s.run };
}

/** The messages the module keeps (self.msg) after the first `count` steps. */
function messages(steps: TimezoneStep[], count: number): string[] {
  return steps.slice(0, count).flatMap((s) => ('write' in s ? [s.message] : s.log ? [`executed \`${s.run}\``] : []));
}

/** fail_json of run_command(check_rc=True): the command, its rc and output, stderr as the message. */
function runFailure(cmd: string, r: { rc: number; out: string; err: string }): Record<string, unknown> {
  return {
    changed: false, failed: true, cmd, rc: r.rc, msg: r.err.trimEnd(),
    stdout: r.out, stdout_lines: splitLines(r.out), stderr: r.err, stderr_lines: splitLines(r.err),
  };
}

/** community.general.timezone (9.5.13) on Linux: timedatectl where it works, else Debian's files, dpkg-reconfigure and hwclock. */
export const timezone: ModuleDefinition<TimezoneArgs> = {
  name: 'timezone',
  aliases: ['community.general.timezone'],
  spec: {
    args: {
      hwclock: { type: 'str', choices: ['local', 'UTC'], aliases: ['rtc'] },
      name: { type: 'str' },
    },
    requiredOneOf: [['hwclock', 'name']],
  },
  probes: (a, ctx) => [probe(a, ctx)],
  plan: (a, facts, ctx) => failOnArgError((): Plan => {
    let d;
    try {
      d = decideTimezone(a, facts.get(probe(a, ctx)));
    } catch (e) {
      if (!(e instanceof RunFailure)) throw e;
      const result = runFailure(e.cmd, e.run);
      return { commands: [], changed: false, failed: String(result.msg), result };
    }
    if ('error' in d) return { commands: [], changed: false, failed: d.error };
    const changed = JSON.stringify(d.before) !== JSON.stringify(d.planned);
    const diff = { before: d.before, after: d.planned };
    const msg = messages(d.steps, d.steps.length);
    const plan: Plan = {
      commands: d.steps.map(stepCommand),
      changed,
      diff: changed && ctx.diff ? [{ path: 'timezone', before: dictDiffText(d.before), after: dictDiffText(d.planned), beforeHeader: '', afterHeader: '' }] : undefined,
      // check mode reports no messages: no step ran
      result: { changed, diff, ...(msg.length && !ctx.check ? { msg: msg.join('\n') } : {}) },
    };
    planSteps.set(plan, d.steps);
    return plan;
  }),
  finish: (_a, plan, results) => finishTimezone(plan, results),
};

function finishTimezone(plan: Plan, results: ExecResult[]): Record<string, unknown> {
  const last = results.at(-1);
  if (!last || last.exitCode === 0) return plan.result ?? {};
  const steps = planSteps.get(plan) ?? [];
  const step = steps[results.length - 1];
  if (!step) return { changed: false, failed: true, msg: last.stderr };
  if ('write' in step) {
    const key = step.write === '/etc/timezone' ? 'name' : 'hwclock';
    return { changed: false, failed: true, msg: abortMessage(`tried to configure ${key} using a file "${step.write}", but could not write to it`, messages(steps, results.length - 1)) };
  }
  return runFailure(step.run, { rc: last.exitCode, out: last.stdout, err: last.stderr });
}
