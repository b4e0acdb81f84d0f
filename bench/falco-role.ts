/**
 * bench/falco-role: the Falco role itself (playbooks/site.yml) on N systemd sandbox hosts with the
 * stand-in Falco repository, first install and converged run.
 *
 *   npx tsx bench/falco-role.ts [--hosts 3] [--rounds 1] [--name fbrole]
 *
 * Each round starts a fresh fleet (sandbox up, untimed), runs site.yml twice with `--json --stats`
 * (first install, then converged) and takes the fleet down. Per run: wall time (incl. node start),
 * changed count, exec round trips and SSH channels per host (the engine's --stats), controller CPU
 * ms per host-task, peak controller RSS, tasks per host; then medians over rounds. The round trips
 * of each task are counted by bench/falco-role/count-round-trips.mjs, preloaded into the CLI
 * process, and printed for the first install and converged run of the last round.
 * Figures only: nothing here passes or fails on time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, runBench } from './figures.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    name: { type: 'string', default: 'fbrole' },
  },
});
const hosts = Number(values.hosts);
const rounds = Number(values.rounds);
const cli = resolve('bin/falco-deploy.js');
const preload = resolve('bench/falco-role/count-round-trips.mjs');
const inventory = resolve('.sandbox', values.name, 'inventory.ini');

type Phase = 'first' | 'converged';
interface TaskTally {
  task: string;
  roundTrips: Record<string, number>;
}
interface RunFigures {
  wallMs: number;
  changed: number;
  roundTrips: number;
  channels: number;
  cpuMsPerHostTask: number;
  peakRssMb: number;
  tasksPerHost: number;
  byTask: TaskTally[];
}

function cliRun(argv: string[], withPreload = false): { stdout: string; wallMs: number } {
  const t0 = process.hrtime.bigint();
  // the counter patches dist/'s connection class, so that run loads dist/ rather than the bundle
  const env = withPreload ? { ...process.env, FALCO_DEPLOY_UNBUNDLED: '1' } : process.env;
  const r = spawnSync('node', [...(withPreload ? ['--import', preload] : []), cli, ...argv], { encoding: 'utf8', maxBuffer: 256 << 20, env });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`falco-deploy ${argv.join(' ')} exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-3000)}`);
  return { stdout: r.stdout, wallMs };
}

function runSite(): RunFigures {
  const { stdout, wallMs } = cliRun(['run', 'playbooks/site.yml', '-i', inventory, '--json', '--stats'], true);
  const events = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const recap = Object.values(events.find((e) => e.type === 'recap').stats as Record<string, { ok: number; changed: number; skipped: number; failed: number; unreachable: number }>);
  if (recap.some((s) => s.failed || s.unreachable)) throw new Error(`a host failed: ${JSON.stringify(recap)}`);
  const perHost = Object.values(events.find((e) => e.type === 'stats').perHost as Record<string, { channels: number; roundTrips: number }>);
  const tally = events.find((e) => e.type === 'bench_tally') as { cpuMs: number; maxRssMb: number; byTask: TaskTally[] };
  const hostTasks = recap.reduce((n, s) => n + s.ok + s.skipped, 0);
  return {
    wallMs,
    changed: recap.reduce((n, s) => n + s.changed, 0),
    roundTrips: median(perHost.map((s) => s.roundTrips)),
    channels: median(perHost.map((s) => s.channels)),
    cpuMsPerHostTask: tally.cpuMs / hostTasks,
    peakRssMb: tally.maxRssMb,
    tasksPerHost: hostTasks / recap.length,
    byTask: tally.byTask,
  };
}

function line(f: RunFigures): string {
  return (
    `wall ${(f.wallMs / 1000).toFixed(2)} s, changed ${f.changed}, round trips/host ${f.roundTrips}, channels/host ${f.channels}, ` +
    `CPU ${f.cpuMsPerHostTask.toFixed(2)} ms/host-task, peak RSS ${f.peakRssMb.toFixed(0)} MB, tasks/host ${f.tasksPerHost}`
  );
}

function printByTask(phase: Phase, f: RunFigures): void {
  console.log(`\n  round trips per task, ${phase} run (median over hosts; tasks that cost none are left out):`);
  for (const t of f.byTask) {
    const n = median(Object.values(t.roundTrips));
    if (n > 0) console.log(`    ${String(n).padStart(3)}  ${t.task}`);
  }
  const sum = f.byTask.reduce((s, t) => s + median(Object.values(t.roundTrips)), 0);
  console.log(`    ${String(sum).padStart(3)}  total (engine --stats: ${f.roundTrips})`);
}

async function main(): Promise<void> {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`bench/falco-role: playbooks/site.yml on ${hosts} systemd sandbox hosts, ${rounds} round(s), fresh fleet per round; node ${process.version}; load ${load}`);
  const results: Record<Phase, RunFigures[]> = { first: [], converged: [] };
  for (let round = 1; round <= rounds; round++) {
    cliRun(['sandbox', 'up', '--hosts', String(hosts), '--kind', 'systemd', '--name', values.name]);
    try {
      for (const phase of ['first', 'converged'] as Phase[]) {
        const f = runSite();
        results[phase].push(f);
        console.log(`  round ${round} ${phase.padEnd(9)} ${line(f)}`);
      }
    } finally {
      cliRun(['sandbox', 'down', '--name', values.name]);
    }
  }
  console.log(`\nmedians over ${rounds} round(s):`);
  for (const phase of ['first', 'converged'] as Phase[]) {
    const rs = results[phase];
    const m = (pick: (f: RunFigures) => number) => median(rs.map(pick));
    console.log(
      `  ${phase.padEnd(9)} wall ${(m((f) => f.wallMs) / 1000).toFixed(2)} s, changed ${m((f) => f.changed)}, round trips/host ${m((f) => f.roundTrips)}, ` +
        `channels/host ${m((f) => f.channels)}, CPU ${m((f) => f.cpuMsPerHostTask).toFixed(2)} ms/host-task, peak RSS ${m((f) => f.peakRssMb).toFixed(0)} MB, tasks/host ${m((f) => f.tasksPerHost)}`,
    );
  }
  for (const phase of ['first', 'converged'] as Phase[]) printByTask(phase, results[phase][rounds - 1]);
}

runBench(main);
