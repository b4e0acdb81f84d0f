/**
 * A role's argument specs (meta/argument_specs.yml, else `argument_specs` in meta/main.yml), and
 * the validation task Ansible 2.14 puts before the role's first task when the entry point (main,
 * or tasks_from's name) has a spec (Role._prepend_validation_task).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorAt, isMap } from './fields.js';
import { loadAnsibleYaml } from '../yaml/load.js';
import { positionOf } from '../yaml/positions.js';

function loadArgumentSpecs(dir: string, metaMain: Record<string, unknown> | undefined): Record<string, unknown> {
  const file = ['', '.yml', '.yaml', '.json'].map((ext) => join(dir, 'meta', `argument_specs${ext}`)).find((f) => existsSync(f));
  const data = file ? loadAnsibleYaml(file) : metaMain;
  if (data === null || data === undefined) return {};
  if (!isMap(data)) throw errorAt('role argument specs must be a mapping', positionOf(data) ?? { file: file ?? join(dir, 'meta'), line: 1, column: 1 });
  const specs = data['argument_specs'] ?? {};
  if (!isMap(specs)) throw errorAt("'argument_specs' must be a mapping of entry points", positionOf(specs) ?? positionOf(data) ?? { file: file ?? join(dir, 'meta'), line: 1, column: 1 });
  return specs;
}

/** The validation task's data (a task mapping), or undefined when the entry point has no spec. */
export function argumentSpecTask(
  role: { dir: string; name: string; params: Record<string, unknown> },
  entryPoint: string,
  metaMain: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const spec = loadArgumentSpecs(role.dir, metaMain)[entryPoint];
  if (!isMap(spec)) return undefined;
  const description = spec['short_description'];
  return {
    name: `Validating arguments against arg spec '${entryPoint}'${description !== undefined ? ` - ${String(description)}` : ''}`,
    'ansible.builtin.validate_argument_spec': {
      argument_spec: spec['options'] ?? {},
      provided_arguments: role.params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entryPoint, path: role.dir },
    },
    tags: ['always'],
  };
}
