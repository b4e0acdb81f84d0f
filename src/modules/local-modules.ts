import type { ModuleDefinition } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';

/**
 * Modules the engine runs on the controller (they read or set variables, or steer the play).
 * Only their argument specs live here, for load-time validation; src/engine/local-tasks.ts runs them.
 */
function controllerOnly(name: string, spec: ModuleSpec): ModuleDefinition {
  return {
    name,
    spec,
    local: true,
    probes: () => [],
    plan: () => {
      throw new Error(`${name} runs on the controller; the engine handles it`);
    },
  };
}

const META_ACTIONS = [
  'flush_handlers',
  'end_play',
  'end_host',
  'end_batch',
  'clear_host_errors',
  'clear_facts',
  'noop',
  'refresh_inventory',
  'reset_connection',
] as const;

export const localModules: ModuleDefinition[] = [
  controllerOnly('debug', {
    args: { msg: { type: 'raw' }, var: { type: 'raw' }, verbosity: { type: 'int', default: 0 } },
    mutuallyExclusive: [['msg', 'var']],
  }),
  controllerOnly('set_fact', { args: { cacheable: { type: 'bool', default: false } }, anyArgs: true }),
  controllerOnly('include_vars', {
    args: {
      file: { type: 'path' },
      _raw_params: { type: 'str' },
      dir: { type: 'path' },
      name: { type: 'str' },
      depth: { type: 'int', default: 0 },
      files_matching: { type: 'str' },
      ignore_files: { type: 'list', elements: 'str' },
      extensions: { type: 'list', elements: 'str', default: ['yaml', 'yml', 'json'] },
      ignore_unknown_extensions: { type: 'bool', default: false },
      hash_behaviour: { type: 'str', choices: ['replace', 'merge'] },
    },
    freeForm: '_raw_params',
  }),
  controllerOnly('validate_argument_spec', {
    args: { argument_spec: { type: 'dict', required: true }, provided_arguments: { type: 'dict' }, validate_args_context: { type: 'dict' } },
  }),
  controllerOnly('assert', {
    args: {
      that: { type: 'list', required: true },
      fail_msg: { type: 'raw', aliases: ['msg'] },
      success_msg: { type: 'raw' },
      quiet: { type: 'bool', default: false },
    },
  }),
  controllerOnly('fail', { args: { msg: { type: 'raw', default: 'Failed as requested from task' } } }),
  controllerOnly('meta', {
    args: { _raw_params: { type: 'str', required: true, choices: META_ACTIONS } },
    freeForm: '_raw_params',
  }),
];
