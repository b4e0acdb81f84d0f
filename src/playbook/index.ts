/** Public API of the playbook loader (see model.ts for the shape the executor receives). */
export type * from './model.js';
export { loadPlaybook, checkPlaybook, loadTaskFile, type LoadOptions } from './loader.js';
export { resolveTaskFile } from './tasks.js';
export { validatePlaybook } from './validate.js';
export { validateArgs, ArgumentError } from '../argspec/validate.js';
export { selectByTags, type TagSelection } from './tags.js';
export { listTasks, listTags, listHosts, matchesStartAt, type ListOptions } from './list.js';
export { parseExtraVars } from './extra-vars.js';
export { resolveVarsFileEntry, loadVarsFile } from './vars-files.js';
export { parseKv, splitArgs } from './kv.js';
export { registryLookup, type ModuleLookup } from './lookup.js';
export { positionOf, keyPositionOf } from './yaml.js';
export { handlerNamesOf } from './validate.js';
