import type { CommandContext } from '../command.js';
import type { GlobalOptions } from '../options.js';
import { ExitCode, FalcoDeployError } from '../../errors.js';
import {
  DEFAULT_SANDBOX,
  FAULT_ACTIONS,
  FAULT_HELP,
  sandboxDown,
  sandboxFault,
  sandboxStatus,
  sandboxUp,
  type BindMount,
  type FaultAction,
  type InventoryValue,
  type SandboxKind,
  type SandboxStatus,
} from '../../sandbox/index.js';
import { prepareSandboxRepo } from '../../sandbox/falco-repo.js';

interface SandboxArgs {
  action: 'up' | 'status' | 'down' | 'fault';
  host?: string;
  fault?: string;
  hosts?: number;
  kind?: string;
  name?: string;
  dir?: string;
  all: boolean;
  falcoRepo: boolean;
  var: string[];
  bind: string[];
}

export async function handleSandbox(args: GlobalOptions & SandboxArgs, ctx: CommandContext): Promise<number> {
  const log = (line: string) => ctx.stderr.write(`${line}\n`);
  const out = (text: string) => ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  switch (args.action) {
    case 'up': {
      if (args.hosts === undefined || args.kind === undefined) throw usage('sandbox up needs --hosts N and --kind lite|systemd');
      // By default the hosts get the stand-in Falco repository, so `run playbooks/site.yml` works as is.
      const falco = args.falcoRepo ? prepareSandboxRepo(args.name ?? DEFAULT_SANDBOX) : undefined;
      const info = await sandboxUp({
        hosts: args.hosts,
        kind: args.kind as SandboxKind,
        name: args.name,
        dir: args.dir,
        inventoryVars: { ...(falco?.vars ?? {}), ...parseVars(args.var) },
        bindMounts: [...(falco ? [falco.bind] : []), ...args.bind.map(parseBind)],
        log,
        signal: ctx.signal,
      });
      if (args.json) out(JSON.stringify(info, null, 2));
      else {
        out(`sandbox ${info.name}: ${info.hosts.length} ${info.kind} hosts up in ${(info.upMs / 1000).toFixed(1)} s`);
        for (const h of info.hosts) out(`  ${h.name.padEnd(20)} ${h.ip}`);
        out(`inventory:  ${info.inventory}\nssh:        ssh -F ${info.sshConfig} ${info.hosts[0].name}\nstop:       falco-deploy sandbox down --name ${info.name}`);
      }
      return ExitCode.ok;
    }
    case 'status': {
      const all = await sandboxStatus(args.name);
      if (args.json) out(JSON.stringify(all, null, 2));
      else out(all.length === 0 ? 'no sandbox is up' : all.map(renderStatus).join('\n'));
      return ExitCode.ok;
    }
    case 'down': {
      if (args.all && args.name) throw usage('give --name or --all, not both');
      const results = await sandboxDown({ name: args.name, all: args.all, dir: args.dir, log });
      if (args.json) out(JSON.stringify(results, null, 2));
      return ExitCode.ok;
    }
    case 'fault': {
      if (!args.host || !args.fault) throw usage(`sandbox fault needs HOST and one of: ${FAULT_ACTIONS.join(', ')}`);
      if (!FAULT_ACTIONS.includes(args.fault as FaultAction)) throw usage(`unknown fault "${args.fault}"; one of ${FAULT_ACTIONS.join(', ')}`);
      await sandboxFault(args.name, args.host, args.fault as FaultAction, { dir: args.dir });
      if (!args.json) out(`${args.host}: ${args.fault} (${FAULT_HELP[args.fault as FaultAction]})`);
      return ExitCode.ok;
    }
  }
}

function usage(message: string): FalcoDeployError {
  return new FalcoDeployError(message, { phase: 'usage' });
}

function parseVars(items: readonly string[]): Record<string, InventoryValue> {
  const vars: Record<string, InventoryValue> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(`--var "${item}" must look like KEY=VALUE`);
    vars[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return vars;
}

function parseBind(item: string): BindMount {
  const [source, target, mode, ...rest] = item.split(':');
  if (!source || !target || rest.length > 0 || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
    throw usage(`--bind "${item}" must look like SOURCE:TARGET, SOURCE:TARGET:ro or SOURCE:TARGET:rw`);
  }
  return { source, target, readOnly: mode !== 'rw' };
}

function renderStatus(s: SandboxStatus): string {
  if (s.stale) return `${s.name}: registered but its state is gone (${s.dir}); run: falco-deploy sandbox down --name ${s.name}`;
  if (!s.kind) return `${s.name}: not up (no state in ${s.dir})`;
  const lines = [`${s.name}: ${s.hosts.length} ${s.kind} hosts${s.ready ? '' : ' (up did not finish)'}; ${s.dir}`];
  for (const h of s.hosts) {
    const faults = Object.entries(h.faults)
      .map(([k, v]) => (v === true ? k : `${k}=${String(v)}`))
      .join(',');
    lines.push(`  ${h.name.padEnd(20)} ${h.ip.padEnd(15)} ${h.running ? 'running' : 'stopped'}  ssh ${h.ssh ? 'ok' : '--'}${faults ? `  faults: ${faults}` : ''}`);
  }
  return lines.join('\n');
}
