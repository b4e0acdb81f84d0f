/**
 * validate_argument_spec as ansible-core 2.14's action plugin: the spec's variables taken from
 * the task's variables (templated), the role's parameters over them, checked by the one argument
 * validator (src/argspec); a failure says "Validation of arguments failed:" and every error.
 */
import { argsFromAnsible } from '../argspec/from-ansible.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { argumentSpecErrors } from '../argspec/validate.js';
import { isMap } from '../playbook/fields.js';
import { plainData } from '../template/index.js';
import { failure, type TaskOutcome } from './outcome.js';
import type { TemplaterPort, Vars } from './ports.js';

export function validateRoleArguments(args: Record<string, unknown>, vars: Vars, templater: TemplaterPort): TaskOutcome {
  const options = isMap(args['argument_spec']) ? args['argument_spec'] : {};
  const context = args['validate_args_context'] ?? {};
  const spec: ModuleSpec = { args: argsFromAnsible(options) };
  const fromVars = Object.fromEntries(
    Object.keys(spec.args).filter((k) => k in vars && vars[k] !== undefined).map((k) => [k, templater.templateData(vars[k], vars)]),
  );
  const provided = plainData({ ...fromVars, ...(isMap(args['provided_arguments']) ? args['provided_arguments'] : {}) });
  const errors = argumentSpecErrors(spec, provided);
  if (errors.length) {
    return failure(`Validation of arguments failed:\n${errors.join('\n')}`, {
      argument_errors: errors,
      argument_spec_data: options,
      validate_args_context: context,
    });
  }
  return { status: 'ok', changed: false, result: { changed: false, msg: 'The arg spec validation passed', validate_args_context: context } };
}
