/**
 * bench/ping: connect to N hosts and run one command on each, with falco-deploy's connector
 * and with OpenSSH (`ssh -o KexAlgorithms=curve25519-sha256 -o ControlMaster=no -F CFG host true`,
 * all hosts in parallel), in the same run. Prints figures only; nothing passes or fails.
 *
 *   npx tsx bench/ping.ts --hosts 50                 # own loopback sshd fleet (root; started and stopped here)
 *   npx tsx bench/ping.ts --lite 50                  # a fresh lite sandbox (src/sandbox), torn down after
 *   npx tsx bench/ping.ts --sandbox NAME             # existing .sandbox/NAME/{inventory.ini,ssh_config}
 *   npx tsx bench/ping.ts -i INV -F ssh_config       # any inventory + ssh config
 *   options: --rounds R (default 3), --forks F (default 100), --timeout S (default 20)
 *
 * ssh2 1.17 has no sntrup761/mlkem KEX, so OpenSSH is pinned to curve25519 for a fair comparison.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median, runBench } from './figures.js';
import { createConnector } from '../src/connectors/setup.js';
import { pingHosts, type PingHost } from '../src/connectors/ping-hosts.js';
import { loadInventory } from '../src/inventory/index.js';

interface Figures {
  wallMs: number;
  perHostMs: number[];
  connectMs: number[];
  failures: string[];
  cpuMs: number;
}

const { values } = parseArgs({
  options: {
    hosts: { type: 'string' },
    lite: { type: 'string' },
    sandbox: { type: 'string' },
    inventory: { type: 'string', short: 'i' },
    'ssh-config': { type: 'string', short: 'F' },
    rounds: { type: 'string', default: '3' },
    forks: { type: 'string', default: '100' },
    timeout: { type: 'string', default: '20' },
  },
});

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  let hosts: PingHost[];
  let sshConfig: string;
  let cleanup = async () => {};
  if (values.hosts) {
    const { startLoopbackFleet } = await import('../test/integration/connectors/loopback-fleet.js');
    const fleet = await startLoopbackFleet(Number(values.hosts));
    cleanup = () => fleet.stop();
    hosts = fleet.hosts.map((h) => ({ name: h.name, vars: {} }));
    sshConfig = fleet.sshConfigFile;
    console.log(`loopback fleet: ${hosts.length} sshd on 127.0.0.1 (user ${fleet.user})`);
  } else if (values.lite) {
    const { sandboxUp, sandboxDown } = await import('../src/sandbox/index.js');
    const name = `bench${process.pid}`;
    const sbDir = path.join(os.tmpdir(), `fd-bench-${name}`);
    const info = await sandboxUp({ hosts: Number(values.lite), kind: 'lite', name, dir: sbDir });
    cleanup = async () => {
      await sandboxDown({ name, dir: sbDir });
    };
    const inventory = await loadInventory([info.inventory]);
    hosts = inventory.hosts().map((n) => ({ name: n, vars: inventory.hostVars(n) }));
    sshConfig = info.sshConfig;
    console.log(`lite sandbox ${name}: ${hosts.length} hosts up in ${info.upMs} ms`);
  } else {
    const dir = values.sandbox ? path.join('.sandbox', values.sandbox) : undefined;
    const inv = values.inventory ?? (dir && path.join(dir, 'inventory.ini'));
    sshConfig = values['ssh-config'] ?? (dir ? path.join(dir, 'ssh_config') : '');
    if (!inv || !sshConfig) throw new Error('give --hosts N, --sandbox NAME, or -i INVENTORY -F SSH_CONFIG');
    const inventory = await loadInventory([inv]);
    hosts = inventory.hosts().map((name) => ({ name, vars: inventory.hostVars(name) }));
    console.log(`inventory ${inv}: ${hosts.length} hosts, ssh config ${sshConfig}`);
  }
  try {
    for (let round = 1; round <= rounds; round++) {
      // Alternate who goes first so neither always gets the warmer machine.
      const order = round % 2 ? (['falco-deploy', 'openssh'] as const) : (['openssh', 'falco-deploy'] as const);
      const figures: Partial<Record<(typeof order)[number], Figures>> = {};
      for (const who of order) figures[who] = who === 'openssh' ? await runOpenSsh(hosts, sshConfig) : await runOurs(hosts, sshConfig);
      console.log(`\nround ${round}/${rounds}`);
      report('falco-deploy (ssh2)', figures['falco-deploy']!, true);
      report('OpenSSH curve25519  ', figures.openssh!, false);
      const ratio = figures.openssh!.wallMs / figures['falco-deploy']!.wallMs;
      console.log(`  wall-time ratio OpenSSH/falco-deploy: ${ratio.toFixed(2)}x`);
    }
  } finally {
    await cleanup();
  }
}

async function runOurs(hosts: PingHost[], sshConfig: string): Promise<Figures> {
  const connector = await createConnector({
    forks: Number(values.forks),
    hostKeyChecking: 'strict',
    timeout: Number(values.timeout),
    sshConfig,
  });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const results = await pingHosts(connector, hosts);
  const wallMs = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await connector.close();
  return {
    wallMs,
    perHostMs: results.map((r) => r.totalMs),
    connectMs: results.flatMap((r) => (r.connectMs === undefined ? [] : [r.connectMs])),
    failures: results.filter((r) => r.status !== 'ok').map((r) => `${r.host}: ${r.error}`),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function runOpenSsh(hosts: PingHost[], sshConfig: string): Promise<Figures> {
  const cpu0 = childrenCpuMs();
  const t0 = Date.now();
  const results = await Promise.all(
    hosts.map(
      (h) =>
        new Promise<{ ms: number; error?: string }>((resolve) => {
          const started = Date.now();
          const p = spawn(
            'ssh',
            ['-F', sshConfig, '-o', 'KexAlgorithms=curve25519-sha256', '-o', 'ControlMaster=no', '-o', 'BatchMode=yes', h.name, 'true'],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
          let stderr = '';
          p.stderr.on('data', (d) => (stderr += String(d)));
          p.on('close', (code) => resolve({ ms: Date.now() - started, error: code === 0 ? undefined : `${h.name}: exit ${code}: ${stderr.trim()}` }));
        }),
    ),
  );
  return {
    wallMs: Date.now() - t0,
    perHostMs: results.map((r) => r.ms),
    connectMs: [],
    failures: results.flatMap((r) => (r.error ? [r.error] : [])),
    cpuMs: childrenCpuMs() - cpu0,
  };
}

/** CPU of reaped child processes (utime+stime of children from /proc/self/stat). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function report(label: string, f: Figures, hasConnect: boolean): void {
  const n = f.perHostMs.length;
  const line = [
    `  ${label}: wall ${f.wallMs} ms for ${n} hosts`,
    `per-host total median ${median(f.perHostMs)} ms max ${Math.max(...f.perHostMs)} ms`,
    hasConnect ? `connect median ${median(f.connectMs)} ms max ${Math.max(...f.connectMs)} ms` : 'connect n/a (ssh process time above)',
    `controller CPU ${f.cpuMs.toFixed(0)} ms (${(f.cpuMs / n).toFixed(1)} ms/host)`,
  ].join(', ');
  console.log(line);
  for (const failure of f.failures.slice(0, 5)) console.log(`    failed: ${failure}`);
  if (f.failures.length > 5) console.log(`    ... ${f.failures.length - 5} more failures`);
}

runBench(main);
