/**
 * bench/startup: the controller CPU one invocation of the CLI costs, whatever it then does.
 *   npx tsx bench/startup.ts [--hosts 5] [--rounds 3] [--cli bin/falco-deploy.js] [--cli OTHER/bin/falco-deploy.js]
 * On a fresh lite sandbox of N hosts, the user+sys CPU of the whole CLI process (/usr/bin/time) for
 * `--version`, `ping` and the converged 10-task play of bench/noop.ts (run once before to converge
 * it); for the play also CPU ms per host-task (N x 10): the whole process's, and the engine's own
 * (`--stats`, counted from the start of the run, so without the module loading). With several
 * --cli (e.g. a copy of an older build's bin/ and dist/), they take turns in every round, so both
 * see the same machine. Medians over the rounds. Figures only: nothing passes or fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, runBench } from './figures.js';
import { writeNoopPlay } from './noop-play.js';
import { sandboxDown, sandboxUp } from '../src/sandbox/index.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    cli: { type: 'string', multiple: true },
  },
});
const hosts = Number(values.hosts);
const clis = (values.cli ?? ['bin/falco-deploy.js']).map((c) => resolve(c));
const TASKS = 10;

/** CPU ms of one CLI process (user+sys, as /usr/bin/time counts it) and its stdout; throws unless it exits 0. */
function cpuOf(cli: string, args: string[], timeFile: string): { cpuMs: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'node', cli, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cli} ${args.join(' ')} exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-2000)}`);
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { cpuMs: (user + sys) * 1000, stdout: r.stdout };
}

/** The engine's own CPU ms per host-task from `run --json --stats`. */
function engineMsPerTask(stdout: string): number {
  const stats = stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'stats');
  return (Object.values(stats.perHost)[0] as { cpuMsPerTask: number }).cpuMsPerTask;
}

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-startup-'));
  const play = writeNoopPlay(dir);
  const timeFile = join(dir, 'time.txt');
  const name = `startup${process.pid}`;
  const sb = await sandboxUp({ hosts, kind: 'lite', name, dir: join(dir, 'sandbox') });
  try {
    const common = ['-i', sb.inventory, '--forks', String(hosts)];
    const run = ['run', play, ...common, '--json', '--stats'];
    cpuOf(clis[0], run, timeFile); // converge
    const figures = clis.map(() => ({ version: [] as number[], ping: [] as number[], run: [] as number[], engine: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      clis.forEach((cli, i) => {
        figures[i].version.push(cpuOf(cli, ['--version'], timeFile).cpuMs);
        figures[i].ping.push(cpuOf(cli, ['ping', ...common], timeFile).cpuMs);
        const converged = cpuOf(cli, run, timeFile);
        figures[i].run.push(converged.cpuMs);
        figures[i].engine.push(engineMsPerTask(converged.stdout));
      });
    }
    console.log(`bench/startup: ${hosts} lite hosts, median of ${rounds} rounds, controller CPU (user+sys) of the whole process`);
    clis.forEach((cli, i) => {
      const f = figures[i];
      console.log(`  ${cli}`);
      console.log(`    --version ${median(f.version).toFixed(0)} ms | ping ${median(f.ping).toFixed(0)} ms | converged 10-task play ${median(f.run).toFixed(0)} ms`);
      console.log(`    converged play per host-task: ${(median(f.run) / (hosts * TASKS)).toFixed(2)} ms whole process, ${median(f.engine).toFixed(2)} ms engine (--stats)`);
    });
  } finally {
    await sandboxDown({ name, dir: join(dir, 'sandbox') });
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
