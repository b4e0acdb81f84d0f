/**
 * bench/health: `falco-deploy health`'s probe on N hosts. Connects every host first (timed
 * apart), then runs the health probe on all of them over those connections, R rounds (as
 * --watch does). Prints figures only; nothing passes or fails.
 *
 *   npx tsx bench/health.ts --lite 50            # a fresh lite sandbox (no Falco: every host still gets a row), torn down after
 *   npx tsx bench/health.ts --sandbox NAME       # existing .sandbox/NAME (e.g. systemd hosts with Falco from site.yml)
 *   options: --rounds R (default 3), --forks F (default 100), --timeout S (default 20),
 *            --playbook FILE (also the config drift against FILE, as `health --playbook`)
 *
 * Figures: wall time of the connect phase; per round, wall time after connect for all hosts,
 * per-host probe median/max, round trips per host spent by the round, the status counts, and
 * controller CPU.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median, runBench } from './figures.js';
import { createConnector } from '../src/connectors/setup.js';
import { probeHosts } from '../src/health/gather.js';
import { summaryLine } from '../src/health/table.js';
import { loadInventory } from '../src/inventory/index.js';
import { driftCheck } from '../src/cli/health-drift.js';

const { values } = parseArgs({
  options: {
    lite: { type: 'string' },
    sandbox: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    forks: { type: 'string', default: '100' },
    timeout: { type: 'string', default: '20' },
    playbook: { type: 'string' },
  },
});

async function main(): Promise<void> {
  let inventoryFile: string;
  let sshConfig: string;
  let cleanup = async () => {};
  if (values.lite) {
    const { sandboxUp, sandboxDown } = await import('../src/sandbox/index.js');
    const name = `hbench${process.pid}`;
    const dir = path.join(os.tmpdir(), `fd-bench-${name}`);
    const info = await sandboxUp({ hosts: Number(values.lite), kind: 'lite', name, dir });
    cleanup = async () => {
      await sandboxDown({ name, dir });
    };
    inventoryFile = info.inventory;
    sshConfig = info.sshConfig;
    console.log(`lite sandbox ${name}: ${info.hosts.length} hosts up in ${info.upMs} ms`);
  } else if (values.sandbox) {
    inventoryFile = path.join('.sandbox', values.sandbox, 'inventory.ini');
    sshConfig = path.join('.sandbox', values.sandbox, 'ssh_config');
  } else throw new Error('give --lite N or --sandbox NAME');
  try {
    const inventory = await loadInventory([inventoryFile]);
    const hosts = inventory.hosts();
    const drift = values.playbook ? driftCheck(values.playbook, [], inventory, undefined) : undefined;
    const connector = await createConnector({ forks: Number(values.forks), hostKeyChecking: 'strict', timeout: Number(values.timeout), sshConfig });
    try {
      const t0 = Date.now();
      const conns = await Promise.all(hosts.map((h) => connector.pool.connect(connector.target(h, inventory.hostVars(h)))));
      console.log(`connect: ${hosts.length} hosts in ${Date.now() - t0} ms (median ${median(conns.map((c) => c.stats.connectMs))} ms)`);
      for (let round = 1; round <= Number(values.rounds); round++) {
        const tripsBefore = conns.map((c) => c.stats.roundTrips);
        const cpu0 = process.cpuUsage();
        const started = Date.now();
        const results = await probeHosts((h) => connector.pool.connect(connector.target(h, inventory.hostVars(h))), hosts, { become: false, windowMinutes: 15, probeTimeoutMs: 60_000, drift });
        const wallMs = Date.now() - started;
        const cpu = process.cpuUsage(cpu0);
        const trips = conns.map((c, i) => c.stats.roundTrips - tripsBefore[i]);
        const probeMs = results.flatMap((r) => (r.probe.probeMs === null ? [] : [r.probe.probeMs]));
        console.log(
          [
            `round ${round}: after connect ${wallMs} ms for ${hosts.length} hosts`,
            `probe median ${median(probeMs)} ms max ${Math.max(...probeMs)} ms`,
            `round trips per host min ${Math.min(...trips)} max ${Math.max(...trips)}`,
            `rows ${results.length} (${summaryLine(results)})`,
            `controller CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
          ].join(', '),
        );
      }
    } finally {
      await connector.close();
    }
  } finally {
    await cleanup();
  }
}

runBench(main);
