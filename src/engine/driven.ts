import { setTimeout as delay } from 'node:timers/promises';
import { InterruptedError, UnreachableError } from '../errors.js';
import type { ProbedFacts } from '../facts/request.js';
import type { HostSession, ModuleContext, ModuleDefinition } from '../modules/contract.js';
import type { PlayContext } from './context.js';
import { delegateVars } from './delegation.js';
import type { HostState } from './host-state.js';
import { moduleOutcome, type TaskOutcome } from './outcome.js';

interface DrivenTask {
  mod: ModuleDefinition;
  args: Record<string, unknown>;
  /** The module name as the task wrote it. */
  action: string;
  become: boolean;
  becomeUser?: string;
  delegatedTo?: string;
}

/**
 * A module that drives the host itself (reboot): its commands go through `state`'s connection,
 * which it may close and open again (state.connection follows). A connection lost on the way is
 * the module's to judge: the host is unreachable only if a later task cannot connect.
 */
export async function runDriven(ctx: PlayContext, state: HostState, t: DrivenTask, facts: ProbedFacts, modCtx: ModuleContext): Promise<TaskOutcome> {
  const session: HostSession = {
    transport: state.connection?.transport ?? 'ssh',
    exec: (command) => {
      const conn = state.connection;
      if (!conn) return Promise.reject(new UnreachableError('no connection', { host: state.name }));
      return conn.exec(command, { become: t.become, becomeUser: t.becomeUser });
    },
    reconnect: async (connectTimeoutSec) => {
      const old = state.connection;
      state.connection = undefined;
      state.probeCache.clear();
      await old?.close();
      const vars = delegateVars(ctx, state.name);
      const timeout = connectTimeoutSec ? { ansible_ssh_timeout: connectTimeoutSec, ansible_timeout: connectTimeoutSec } : {};
      state.connection = await ctx.connections.get(state.name, { ...vars, ...timeout }, state.connectedFor);
    },
    sleep: (ms) =>
      delay(ms, undefined, { signal: ctx.signal }).catch(() => {
        throw new InterruptedError('interrupted', { host: state.name, phase: 'apply' });
      }),
    now: () => Date.now(),
    random: () => Math.random(),
  };
  const result = await t.mod.drive!(t.args, facts, session, { ...modCtx, action: t.action });
  if (!modCtx.check) state.probeCache.clear();
  const failed = result.failed === true;
  return moduleOutcome(result, failed, !failed && Boolean(result.changed), { applied: !modCtx.check, delegatedTo: t.delegatedTo });
}
