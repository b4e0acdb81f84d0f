/**
 * Roles loaded while a play runs (include_role, and import_role inside an included task file),
 * shared by the run's walker and health's desired-state walk so both see the same role variables.
 */
import type { IncludedRole, RuntimeImports } from '../playbook/loader.js';
import type { IncludeRole, IncludeTasks } from '../playbook/model.js';
import type { IncludedRoleRequest } from '../playbook/roles.js';
import { plainData } from '../template/index.js';
import type { IncludeScope, PlayContext } from './context.js';
import type { Vars } from './ports.js';

interface RoleTarget {
  name: string;
  from: IncludeRole['from'];
}

/** An include_role's role name and *_from files as rendered for one host and item. */
export function renderRoleTarget(ctx: PlayContext, node: IncludeRole, vars: Vars): RoleTarget {
  const render = (value: unknown) => plainData(ctx.templater.templateData(value, vars, node.source));
  return { name: String(render(node.roleName)), from: render(node.from) as IncludeRole['from'] };
}

/** What the loader is asked to load for an include_role: the target, with the include's keywords. */
export function includeRoleRequest(node: IncludeRole, target: RoleTarget, imports: RuntimeImports): IncludedRoleRequest {
  return { ...target, ...imports, apply: node.apply, file: node.source.file, source: node.source, context: node.context, skipArgumentSpec: !node.rolespecValidate };
}

/** Keys of the roles the play loaded so far, and a fresh id prefix for what this load adds. */
export function runtimeImports(ctx: PlayContext, node: IncludeTasks | IncludeRole): { loadedKeys: string[]; idPrefix: string } {
  return { loadedKeys: [...ctx.play.roles, ...ctx.additions.roles].map((r) => r.key), idPrefix: `${node.id}.role${ctx.additions.loads++}` };
}

/**
 * Roles loaded at run time join the play: their handlers (run with the include's scope) and, when
 * public, their defaults and vars in the play's view. Returns the scope their tasks run with:
 * the roles' defaults and vars are seen inside it.
 */
export function adoptRoles(ctx: PlayContext, loaded: IncludedRole, scope: IncludeScope, isPublic: boolean): IncludeScope {
  if (loaded.instances.length === 0) return scope;
  const defaults = Object.assign({}, ...loaded.instances.map((r) => r.defaults)) as Vars;
  const vars = Object.assign({}, ...loaded.instances.map((r) => r.vars)) as Vars;
  if (isPublic) {
    Object.assign(ctx.playVars.roleDefaults, defaults);
    Object.assign(ctx.playVars.roleVars, vars);
  }
  const inner: IncludeScope = { ...scope, roleDefaults: { ...scope.roleDefaults, ...defaults }, roleVars: { ...scope.roleVars, ...vars } };
  ctx.additions.roles.push(...loaded.instances);
  ctx.additions.handlers.push(...loaded.handlers.map((task) => ({ task, scope: inner })));
  return inner;
}
