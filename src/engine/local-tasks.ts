import type { PlayContext } from './context.js';
import type { Vars } from './ports.js';
import type { Task } from '../playbook/model.js';
import { failure, type TaskOutcome } from './outcome.js';
import { factsHolder } from './delegation.js';
import { includeVars } from './include-vars.js';
import { validateRoleArguments } from './role-arguments.js';
import { plainData, settleUnsafe, TemplateUndefinedError } from '../template/index.js';

/** debug, set_fact, include_vars, assert, validate_argument_spec, fail and meta: run on the controller, never touch the host. */
export async function runLocalTask(
  ctx: PlayContext,
  module: string,
  args: Record<string, unknown>,
  host: string,
  vars: Vars,
  task: Task,
): Promise<TaskOutcome> {
  switch (module) {
    case 'debug': {
      if (Number(args.verbosity ?? 0) > ctx.options.verbose) {
        return { status: 'skipped', changed: false, result: { skipped_reason: 'Verbosity threshold not met.', skipped: true, changed: false } };
      }
      if (args.var !== undefined) {
        const name = String(args.var);
        let value: unknown;
        try {
          value = ctx.templater.templateData(`{{ ${name} }}`, vars, task.source);
        } catch (err) {
          if (!(err instanceof TemplateUndefinedError)) throw err;
          value = 'VARIABLE IS NOT DEFINED!';
        }
        return { status: 'ok', changed: false, result: { [name]: value, changed: false }, verboseAlways: true };
      }
      const msg = args.msg ?? 'Hello world!';
      const shown = plainData(msg);
      return { status: 'ok', changed: false, result: { msg, changed: false }, msg: typeof shown === 'string' ? shown : JSON.stringify(shown), verboseAlways: true };
    }
    case 'set_fact': {
      const facts = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'cacheable').map(([k, v]) => [k, settleUnsafe(v)]));
      Object.assign(factsHolder(ctx, task, host, vars).runtimeVars, facts);
      return { status: 'ok', changed: false, result: { ansible_facts: facts, changed: false } };
    }
    case 'assert': {
      const that = (Array.isArray(args.that) ? args.that : [args.that]) as (string | boolean)[];
      for (const cond of that) {
        if (!ctx.templater.evaluateCondition(cond, vars, task.source)) {
          const msg = String(args.fail_msg ?? args.msg ?? 'Assertion failed');
          return failure(msg, { assertion: cond, evaluated_to: false });
        }
      }
      const msg = String(args.success_msg ?? 'All assertions passed');
      return { status: 'ok', changed: false, result: { changed: false, msg }, msg: args.quiet ? undefined : msg, verboseAlways: !args.quiet };
    }
    case 'include_vars': {
      const outcome = includeVars(args, task, vars, ctx.play.baseDir);
      if (outcome.status === 'ok') Object.assign(factsHolder(ctx, task, host, vars).includedVars, outcome.result.ansible_facts);
      return outcome;
    }
    case 'validate_argument_spec':
      return validateRoleArguments(args, vars, ctx.templater);
    case 'fail':
      return failure(String(args.msg ?? 'Failed as requested from task'));
    case 'meta':
      return { status: 'ok', changed: false, result: { changed: false }, meta: String(args._raw_params) };
    default:
      return failure(`module ${module} has no controller-side implementation`);
  }
}
