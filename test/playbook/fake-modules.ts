/**
 * Small module specs for the loader tests, so they do not depend on the real registry (which
 * other parts fill). Shapes follow src/engine/module.ts.
 */
import type { ModuleDefinition } from '../../src/modules/contract.js';
import type { ModuleSpec } from '../../src/argspec/spec.js';
import type { ModuleLookup } from '../../src/playbook/lookup.js';

function fake(name: string, spec: ModuleSpec, aliases: string[] = []): ModuleDefinition {
  return { name, aliases, spec, probes: () => [], plan: () => ({ commands: [], changed: false }) };
}

const command: ModuleSpec = {
  args: {
    _raw_params: { type: 'str' },
    cmd: { type: 'str' },
    argv: { type: 'list', elements: 'str' },
    creates: { type: 'path' },
    removes: { type: 'path' },
    chdir: { type: 'path' },
    executable: { type: 'path' },
    stdin: { type: 'str' },
  },
  freeForm: '_raw_params',
  mutuallyExclusive: [['_raw_params', 'cmd', 'argv']],
};

const modules: ModuleDefinition[] = [
  fake('debug', { args: { msg: { type: 'raw' }, var: { type: 'raw' }, verbosity: { type: 'int', default: 0 } }, mutuallyExclusive: [['msg', 'var']] }),
  fake('command', command),
  fake('shell', command),
  fake('raw', { args: { _raw_params: { type: 'str' }, executable: { type: 'path' } }, freeForm: '_raw_params' }),
  fake('ping', { args: { data: { type: 'str', default: 'pong' } } }),
  fake('set_fact', { args: { cacheable: { type: 'bool', default: false } }, anyArgs: true }),
  fake('meta', {
    args: { _raw_params: { type: 'str', required: true, choices: ['flush_handlers', 'end_play', 'end_host', 'clear_host_errors', 'noop', 'refresh_inventory'] } },
    freeForm: '_raw_params',
  }),
  fake('assert', { args: { that: { type: 'list', required: true }, fail_msg: { type: 'raw', aliases: ['msg'] } } }),
  fake('copy', {
    args: {
      src: { type: 'path' },
      content: { type: 'str' },
      dest: { type: 'path', required: true },
      mode: { type: 'raw' },
      owner: { type: 'str' },
      backup: { type: 'bool', default: false },
    },
    mutuallyExclusive: [['src', 'content']],
    requiredOneOf: [['src', 'content']],
  }),
  fake('template', { args: { src: { type: 'path', required: true }, dest: { type: 'path', required: true }, mode: { type: 'raw' } } }),
  fake('file', {
    args: {
      path: { type: 'path', required: true, aliases: ['dest', 'name'] },
      state: { type: 'str', choices: ['absent', 'directory', 'file', 'link', 'touch'] },
      src: { type: 'path' },
      mode: { type: 'raw' },
      recurse: { type: 'bool', default: false },
    },
    requiredIf: [['state', 'link', ['src']]],
  }),
  fake('service', {
    args: {
      name: { type: 'str', required: true },
      state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'] },
      enabled: { type: 'bool' },
    },
  }, ['systemd']),
  fake('apt', {
    args: {
      name: { type: 'list', elements: 'str', aliases: ['pkg', 'package'] },
      state: { type: 'str', choices: ['present', 'absent', 'latest'], default: 'present' },
      update_cache: { type: 'bool' },
      cache_valid_time: { type: 'int' },
    },
  }),
  fake('uri', {
    args: { url: { type: 'str', required: true }, headers: { type: 'dict' }, status_code: { type: 'list', elements: 'int', default: [200] } },
  }),
  // known only by its collection's name: found for a short name through `collections:`
  fake('acme.tools.widget', { args: { size: { type: 'int' } } }),
  fake('wait_for', { args: { port: { type: 'int' }, timeout: { type: 'int', default: 300 }, delay: { type: 'float' } } }),
];

const byName = new Map<string, ModuleDefinition>();
for (const m of modules) {
  for (const n of [m.name, `ansible.builtin.${m.name}`, ...(m.aliases ?? [])]) byName.set(n, m);
}

export const fakeModules: ModuleLookup = {
  findModule: (name) => byName.get(name),
  moduleNames: () => modules.map((m) => m.name).sort(),
};
