/** Public API of the playbook loader (see model.ts for the shape the executor receives). */
export type * from './model.js';
export { loadPlaybook, checkPlaybook, loadTaskFile, loadIncludedRole } from './loader.js';
export { appliedContext, resolveTaskFile } from './tasks.js';
;
export { validateArgs } from '../argspec/validate.js';
export { selectByTags } from './tags.js';
export { listTasks, listTags, listHosts, matchesStartAt } from './list.js';
export { parseExtraVars } from './extra-vars.js';
export { resolveVarsFileEntry, loadVarsFile } from './vars-files.js';
export { parseKv } from '../template/kv.js';
;
;
;
