import type { ModuleContext } from '../contract.js';

/**
 * The task's `environment:` if the engine hands it to modules (ctx.environment); the module's own
 * variables win over it, as Ansible's run_command_environ_update does.
 */
export function commandEnv(ctx: ModuleContext, own: Record<string, string> = {}): Record<string, string> | undefined {
  const task = (ctx as ModuleContext & { environment?: Record<string, string> }).environment ?? {};
  const env = { ...task, ...own };
  return Object.keys(env).length ? env : undefined;
}
