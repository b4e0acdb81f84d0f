/**
 * bench/noop: a converged 10-task play on N lite sandbox hosts.
 *   npx tsx bench/noop.ts [--hosts 50] [--ansible]   (falco-deploy with --forks N, as Ansible gets forks=N)
 * Prints wall time of the converged (second) run, exec round trips and channels per host, and
 * controller CPU ms per host-task; with --ansible also ansible-playbook's wall time on the same
 * hosts and play. Figures only: nothing here passes or fails on time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sandboxDown, sandboxUp } from '../src/sandbox/index.js';
import { writeNoopPlay } from './noop-play.js';

const args = process.argv.slice(2);
const hosts = Number(args[args.indexOf('--hosts') + 1] || 50);
const withAnsible = args.includes('--ansible');
const cli = resolve('bin/falco-deploy.js');

function runOnce(playbook: string, inventory: string): { wallMs: number; events: any[] } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', [cli, 'run', playbook, '-i', inventory, '--json', '--stats', '--forks', String(hosts)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`falco-deploy exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-2000)}`);
  return { wallMs, events: r.stdout.trim().split('\n').map((l) => JSON.parse(l)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-noop-'));
  writeNoopPlay(dir);
  const sb = await sandboxUp({ hosts, kind: 'lite', name: 'bench-noop', dir: join(dir, 'sandbox') });
  try {
    runOnce(join(dir, 'play.yml'), sb.inventory); // converge
    const { wallMs, events } = runOnce(join(dir, 'play.yml'), sb.inventory);
    const recap = events.find((e) => e.type === 'recap').stats as Record<string, { changed: number }>;
    const changed = Object.values(recap).reduce((n, s) => n + s.changed, 0);
    const perHost = Object.values(events.find((e) => e.type === 'stats').perHost) as { channels: number; roundTrips: number; cpuMsPerTask: number }[];
    console.log(`bench/noop: ${hosts} lite hosts, 10-task converged play (gather_facts on)`);
    console.log(`  falco-deploy wall time (second run, incl. node start): ${(wallMs / 1000).toFixed(2)} s, changed=${changed}`);
    console.log(`  exec round trips per host: median ${median(perHost.map((s) => s.roundTrips))}, max ${Math.max(...perHost.map((s) => s.roundTrips))}`);
    console.log(`  SSH channels per host: median ${median(perHost.map((s) => s.channels))}`);
    console.log(`  controller CPU per host-task: ${perHost[0].cpuMsPerTask.toFixed(3)} ms`);
    if (withAnsible) {
      const env = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_FORKS: String(hosts), ANSIBLE_PIPELINING: 'True', ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=60s -o KexAlgorithms=curve25519-sha256' };
      const t0 = Date.now();
      execFileSync('ansible-playbook', ['-i', sb.inventory, join(dir, 'play.yml')], { env, stdio: 'ignore' });
      const t1 = Date.now();
      execFileSync('ansible-playbook', ['-i', sb.inventory, join(dir, 'play.yml')], { env, stdio: 'ignore' });
      const ansibleMs = Date.now() - t1;
      console.log(`  ansible-playbook (pipelining, ControlPersist, forks=${hosts}): first ${((t1 - t0) / 1000).toFixed(2)} s, converged ${(ansibleMs / 1000).toFixed(2)} s; ratio ${(ansibleMs / wallMs).toFixed(1)}x`);
    }
  } finally {
    await sandboxDown({ name: 'bench-noop', dir: join(dir, 'sandbox') });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
