/** `sandbox fault HOST ACTION`: network and process faults for one host, and their recovery. */
import { FalcoDeployError } from '../errors.js';
import { DEFAULT_SANDBOX, requireState } from './locate.js';
import { setFirewall, setLink } from './network.js';
import { findNamespaceInit, isAlive, processesInNamespace, processRef, signalRef } from './processes.js';
import type { FaultAction, SandboxHostState } from './types.js';
import { FAULT_ACTIONS } from './types.js';

interface FaultOptions {
  dir?: string;
  cwd?: string;
}

export async function sandboxFault(name: string | undefined, host: string, action: FaultAction, opts: FaultOptions = {}): Promise<void> {
  if (!FAULT_ACTIONS.includes(action)) {
    throw new FalcoDeployError(`unknown fault "${action}"; one of ${FAULT_ACTIONS.join(', ')}`, { phase: 'usage' });
  }
  const sandbox = name ?? DEFAULT_SANDBOX;
  const state = requireState(sandbox, opts.dir, opts.cwd);
  const h = state.state.hosts.find((x) => x.name === host || x.name === `${sandbox}-${host}`);
  if (!h) {
    throw new FalcoDeployError(`no host "${host}" in sandbox ${sandbox} (hosts: ${state.state.hosts.map((x) => x.name).join(', ')})`, {
      phase: 'usage',
    });
  }
  if (!h.netns || !h.veth) throw new FalcoDeployError(`host ${h.name} has no network (up did not get that far)`, { phase: 'sandbox', host: h.name });
  const faults = (h.faults ??= {});
  switch (action) {
    case 'down':
      await setLink(h.veth, 'down');
      faults.link = 'down';
      break;
    case 'up':
      await setLink(h.veth, 'up');
      await setFirewall(h.netns, 'clear');
      delete faults.link;
      delete faults.firewall;
      break;
    case 'refuse':
    case 'drop':
      await setFirewall(h.netns, action);
      faults.firewall = action;
      break;
    case 'pause':
    case 'resume':
      signalSshd(h, action === 'pause' ? 'SIGSTOP' : 'SIGCONT');
      faults.paused = action === 'pause';
      break;
    case 'kill':
      signalRef(hostInit(h), 'SIGKILL');
      await setLink(h.veth, 'down');
      faults.killed = true;
      faults.link = 'down';
      break;
  }
  if (!faults.paused) delete faults.paused;
  state.save();
}

function hostInit(h: SandboxHostState) {
  if (h.init && isAlive(h.init)) return h.init;
  const pid = h.launcher && isAlive(h.launcher) ? findNamespaceInit(h.launcher.pid) : undefined;
  const ref = pid === undefined ? undefined : processRef(pid);
  if (!ref) throw new FalcoDeployError(`host ${h.name} is not running`, { phase: 'sandbox', host: h.name });
  return ref;
}

function signalSshd(h: SandboxHostState, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const pids = processesInNamespace(hostInit(h).pid, 'sshd');
  if (pids.length === 0) throw new FalcoDeployError(`no sshd process found in host ${h.name}`, { phase: 'sandbox', host: h.name });
  for (const pid of pids) process.kill(pid, signal);
}
