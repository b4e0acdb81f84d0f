/**
 * Keywords Ansible (core 2.14) accepts at each level, split into what falco-deploy supports
 * and what it knows but refuses (with the reason shown to the user). Anything else is an
 * unknown keyword.
 */

/** Keywords shared by plays, blocks and tasks whose innermost value wins. */
export const INHERITED_KEYWORDS = [
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'ignore_errors',
  'ignore_unreachable',
  'check_mode',
  'diff',
  'no_log',
  'run_once',
  'any_errors_fatal',
  'remote_user',
  'timeout',
  'throttle',
  'connection',
] as const;

/** Inherited by blocks, roles and tasks (not plays). */
const DELEGATION_KEYWORDS = ['delegate_to', 'delegate_facts'];

const COMMON = ['name', 'tags', 'vars', 'environment', 'collections', ...INHERITED_KEYWORDS];

export const PLAY_KEYWORDS = [
  ...COMMON,
  'hosts',
  'vars_files',
  'gather_facts',
  'gather_subset',
  'gather_timeout',
  'serial',
  'max_fail_percentage',
  'strategy',
  'order',
  'pre_tasks',
  'roles',
  'tasks',
  'post_tasks',
  'handlers',
  'port',
  'force_handlers',
].sort();

export const BLOCK_KEYWORDS = [...COMMON, ...DELEGATION_KEYWORDS, 'block', 'rescue', 'always', 'when'].sort();

export const LOOP_LOOKUPS = ['items', 'list', 'dict', 'indexed_items', 'first_found', 'fileglob', 'nested', 'together', 'subelements', 'sequence', 'lines'] as const;

export const TASK_KEYWORDS = [
  ...COMMON,
  'when',
  'loop',
  'loop_control',
  'register',
  'changed_when',
  'failed_when',
  'notify',
  'retries',
  'until',
  'delay',
  'args',
  'action',
  'local_action',
  ...DELEGATION_KEYWORDS,
  'async',
  'poll',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
].sort();

/** Ansible's TaskInclude.VALID_INCLUDE_KEYWORDS (other keywords would apply to the include only). */
export const INCLUDE_KEYWORDS = [
  'include_tasks',
  'name',
  'when',
  'tags',
  'vars',
  'loop',
  'loop_control',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
  'ignore_errors',
  'no_log',
  'run_once',
  'timeout',
  'collections',
].sort();

export const HANDLER_KEYWORDS = [...TASK_KEYWORDS, 'listen'].sort();

export const IMPORT_PLAYBOOK_KEYWORDS = ['import_playbook', 'name', 'vars', 'tags'].sort();

/** Known to Ansible, refused here: keyword -> why / what to do instead. */
export const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  vars_prompt: 'interactive prompts are not supported; pass the values with -e',
  module_defaults: 'module_defaults is not supported; set the arguments on each task',
  debugger: 'the task debugger is not supported',
  become_exe: 'only the default sudo executable is supported',
  fact_path: 'custom fact paths are not supported',
  listen: '`listen` is only valid on handlers',
  port: 'only play-level `port` is supported',
  include: 'the `include` action was removed from Ansible; use include_tasks or import_tasks',
};

/** Keys at task level that are actions handled by the loader itself. */
const LOADER_ACTIONS = ['import_tasks', 'include_tasks', 'import_role', 'include_role'];

/** `import_tasks`, `ansible.builtin.import_tasks` or `ansible.legacy.import_tasks` -> `import_tasks`. */
export function loaderAction(key: string): string | undefined {
  const short = key.replace(/^ansible\.(?:builtin|legacy)\./, '');
  return LOADER_ACTIONS.includes(short) ? short : undefined;
}

export const STRATEGIES = ['linear', 'free'];
export const HOST_ORDERS = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'];

