/**
 * bench/vs-ansible: falco-deploy and ansible-playbook run the same playbook (bench/vs-ansible/site.yml:
 * facts, apt key + source from the local signed repo, a package from it, templated config, files,
 * a service where the host has systemd) on the same lite sandbox fleet, N hosts at a time.
 *
 *   npx tsx bench/vs-ansible.ts [--hosts 10,50,100,200] [--rounds 3] [--svg docs/benchmarks-vs-ansible.svg] [--cli bin/falco-deploy.js] [--timeout 60]
 *
 * Per N: one fleet; per round, each tool (order alternates between rounds) starts from reset hosts
 * and runs the playbook twice: first run, then converged run. The reset (untimed) removes what the
 * playbook made and the apt lists. Prints medians over rounds, the Ansible/falco-deploy ratio, exec
 * round trips per host, controller CPU ms per host-task and peak controller RSS; writes the SVG chart
 * of wall time against N. Each round also times `falco-deploy ping` (connect + one command on every
 * host, the bare parallel connect time) next to falco-deploy's converged run: the ratio is printed.
 * The table is printed after each N, so an interrupted run still leaves the sizes it finished.
 * Figures only: nothing here passes or fails on time.
 *
 * Both tools get the same connect timeout (--timeout, default 60 s: at 200 hosts on a loaded 2-core
 * machine the SSH handshakes alone take up to ~11 s, past both tools' default of 10 s).
 *
 * Ansible: Debian's ansible-core, pipelining, ControlPersist, forks=N, strict host keys against the
 * sandbox known_hosts (as falco-deploy). Its round trips are counted with a wrapper around ssh
 * (ansible_ssh_executable) that logs one line per ssh process: every ssh process is one exec.
 * Ansible's apt modules need python3-apt on the host; the fleet gets it (untimed) before round 1.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sandboxDown, sandboxUp } from '../src/sandbox/index.js';
import { prepareSandboxRepo } from '../src/sandbox/falco-repo.js';
import { renderChart, type Series } from './vs-ansible/chart.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10,50,100,200' },
    rounds: { type: 'string', default: '3' },
    svg: { type: 'string', default: 'docs/benchmarks-vs-ansible.svg' },
    name: { type: 'string', default: 'benchvs' },
    cli: { type: 'string', default: 'bin/falco-deploy.js' },
    timeout: { type: 'string', default: '60' },
  },
});
const sizes = values.hosts.split(',').map(Number);
const rounds = Number(values.rounds);
const cli = resolve(values.cli);
const playbook = resolve('bench/vs-ansible/site.yml');
const PYTHON_APT_DEBS = '/var/tmp/falco-deploy/bench-debs';

type Tool = 'falco-deploy' | 'ansible';
type Results = Record<number, Record<Tool, Record<Phase, RunFigures[]>> & { pingMs: number[] }>;
type Phase = 'first' | 'converged';
interface RunFigures {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  hostTasks: number;
  changed: number;
  roundTripsPerHost: number;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'fd-bench-vs-'));
  const sshLog = join(work, 'ssh.log');
  const sshWrapper = join(work, 'ssh-counting');
  writeFileSync(sshWrapper, `#!/bin/sh\necho x >> ${sshLog}\nexec ssh "$@"\n`);
  chmodSync(sshWrapper, 0o755);
  writeFileSync(join(work, 'prepare.yml'), playOf('prepare', `shell: dpkg -i ${PYTHON_APT_DEBS}-mnt/*.deb > /dev/null`));
  writeFileSync(
    join(work, 'reset.yml'),
    playOf(
      'reset',
      'shell: rm -rf /etc/bench /var/lib/bench /etc/apt/keyrings/bench-repo.asc /etc/apt/sources.list.d/bench-repo.list ' +
        '/etc/systemd/system/bench.service /var/lib/apt/lists/* && dpkg --purge python3-yaml libyaml-0-2 > /dev/null',
    ),
  );
  ensurePythonAptDebs();
  console.log(`bench/vs-ansible: hosts ${sizes.join(', ')}; ${rounds} rounds; ${execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0]}; node ${process.version}`);
  console.log(`machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  const results: Results = {};
  for (const n of sizes) {
    const name = values.name;
    const sbDir = join(work, `sandbox-${n}`);
    const repo = prepareSandboxRepo(name);
    const sb = await sandboxUp({
      hosts: n,
      kind: 'lite',
      name,
      dir: sbDir,
      inventoryVars: repo.vars,
      bindMounts: [repo.bind, { source: PYTHON_APT_DEBS, target: `${PYTHON_APT_DEBS}-mnt` }],
    });
    const extra = ['-e', `bench_repo_key=${join(repo.repo.dir, 'falcosecurity-packages.asc')}`];
    const ours = (file: string, args: string[] = []) => ['node', [cli, 'run', file, '-i', sb.inventory, '--forks', String(n), '--timeout', values.timeout, ...extra, ...args]] as const;
    try {
      await expectOk(...ours(join(work, 'prepare.yml')));
      results[n] = { 'falco-deploy': { first: [], converged: [] }, ansible: { first: [], converged: [] }, pingMs: [] };
      for (let round = 1; round <= rounds; round++) {
        const order: Tool[] = round % 2 ? ['falco-deploy', 'ansible'] : ['ansible', 'falco-deploy'];
        for (const tool of order) {
          for (const phase of ['first', 'converged'] as Phase[]) {
            if (phase === 'first') await expectOk(...ours(join(work, 'reset.yml')));
            const figures =
              tool === 'falco-deploy'
                ? await runOurs(...ours(playbook, ['--json', '--stats']))
                : await runAnsible(['-i', sb.inventory, '--forks', String(n), '--timeout', values.timeout, ...extra, playbook], sshWrapper, sshLog, n);
            results[n][tool][phase].push(figures);
            console.log(`  N=${n} round ${round} ${tool.padEnd(12)} ${phase.padEnd(9)} ${line(figures)}`);
          }
        }
        const ping = await measure('node', [cli, 'ping', '-i', sb.inventory, '--forks', String(n), '--timeout', values.timeout, '--json']);
        if (ping.status !== 0) throw new Error(`falco-deploy ping exited ${ping.status}: ${ping.stderr}\n${ping.stdout.slice(-3000)}`);
        results[n].pingMs.push(ping.wallMs);
        console.log(`  N=${n} round ${round} falco-deploy ping      wall ${(ping.wallMs / 1000).toFixed(2)} s, CPU ${ping.cpuMs.toFixed(0)} ms`);
      }
    } finally {
      await sandboxDown({ name, dir: sbDir });
    }
    printSummary(n, results[n]);
    printTable(results);
    writeChart(results);
  }
}

function writeChart(results: Results): void {
  const series: Series[] = (['falco-deploy', 'ansible'] as Tool[]).flatMap((tool) =>
    (['first', 'converged'] as Phase[]).map((phase) => ({
      label: `${tool} ${phase} run`,
      dashed: phase === 'converged',
      color: tool === 'falco-deploy' ? '#1f77b4' : '#d62728',
      points: Object.keys(results).map(Number).map((n) => ({ x: n, y: median(results[n][tool][phase].map((f) => f.wallMs)) / 1000 })),
    })),
  );
  writeFileSync(values.svg, renderChart(series, { title: 'Wall time against fleet size (lite sandbox hosts)', xLabel: 'hosts (N)', yLabel: 'seconds' }));
  console.log(`\nchart: ${values.svg}`);
}

function playOf(name: string, task: string): string {
  return `- name: ${name}\n  hosts: all\n  gather_facts: false\n  tasks:\n    - ${task}\n`;
}

/** python3-apt and its two arch-independent dependencies from the controller's Debian mirror, once. */
function ensurePythonAptDebs(): void {
  execFileSync('mkdir', ['-p', PYTHON_APT_DEBS]);
  if (readdirSync(PYTHON_APT_DEBS).filter((f) => f.endsWith('.deb')).length >= 3) return;
  execFileSync('apt-get', ['download', 'python3-apt', 'python-apt-common', 'distro-info-data'], { cwd: PYTHON_APT_DEBS, stdio: 'ignore' });
}

interface Spawned {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
  status: number | null;
  stderr: string;
}

/** Runs a command, sampling the summed RSS of its process tree every 50 ms. */
function measure(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Spawned> {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  let peakKb = 0;
  const timer = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid!))), 50);
  return new Promise((done) =>
    child.on('close', (status) => {
      clearInterval(timer);
      done({ wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: childrenCpuMs() - cpu0, peakRssMb: peakKb / 1024, stdout, stderr, status });
    }),
  );
}

async function expectOk(cmd: string, args: readonly string[]): Promise<void> {
  const r = await measure(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-3000)}`);
}

async function runOurs(cmd: string, args: readonly string[]): Promise<RunFigures> {
  const r = await measure(cmd, args);
  if (r.status !== 0) throw new Error(`falco-deploy exited ${r.status}: ${r.stderr}\n${failures(r.stdout)}`);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const recap = Object.values(events.find((e) => e.type === 'recap').stats as Record<string, Recap>);
  const perHost = Object.values(events.find((e) => e.type === 'stats').perHost as Record<string, { roundTrips: number }>);
  return figuresOf(r, recap, median(perHost.map((s) => s.roundTrips)));
}

/** The failed and unreachable host results of a --json run (the recap alone does not say why). */
function failures(jsonLines: string): string {
  const bad = jsonLines
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type?: string; status?: string; host?: string; task?: string; msg?: string })
    .filter((e) => e.type === 'host_result' && (e.status === 'failed' || e.status === 'unreachable'));
  return bad.length ? bad.map((e) => `${e.host} | ${e.task} | ${e.status}: ${e.msg}`).join('\n') : jsonLines.slice(-3000);
}

async function runAnsible(args: string[], sshWrapper: string, sshLog: string, n: number): Promise<RunFigures> {
  writeFileSync(sshLog, '');
  const env = {
    ...process.env,
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_FORKS: String(n),
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=60s',
    ANSIBLE_SSH_EXECUTABLE: sshWrapper,
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
  };
  const r = await measure('ansible-playbook', args, env);
  if (r.status !== 0) throw new Error(`ansible-playbook exited ${r.status}: ${r.stderr}\n${r.stdout.slice(-3000)}`);
  const recap = [...r.stdout.matchAll(/^\S+\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm)].map((m) => ({
    ok: Number(m[1]),
    changed: Number(m[2]),
    unreachable: Number(m[3]),
    failed: Number(m[4]),
    skipped: Number(m[5]),
  }));
  const sshProcesses = readFileSync(sshLog, 'utf8').split('\n').filter(Boolean).length;
  return figuresOf(r, recap, sshProcesses / n);
}

interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

function figuresOf(r: Spawned, recap: Recap[], roundTripsPerHost: number): RunFigures {
  if (recap.some((s) => s.failed || s.unreachable)) throw new Error(`a host failed: ${JSON.stringify(recap)}`);
  const hostTasks = recap.reduce((sum, s) => sum + s.ok + s.skipped, 0);
  return {
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    peakRssMb: r.peakRssMb,
    hostTasks,
    changed: recap.reduce((sum, s) => sum + s.changed, 0),
    roundTripsPerHost,
  };
}

/** Summed VmRSS of `root` and every descendant (one /proc scan). */
function treeRssKb(root: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parent.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]));
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, kb] of rss) if (inTree(pid)) total += kb;
  return total;
}

/** CPU of reaped child processes (cutime + cstime of /proc/self/stat, 100 Hz ticks). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function line(f: RunFigures): string {
  return (
    `wall ${(f.wallMs / 1000).toFixed(2)} s, changed ${f.changed}, round trips/host ${f.roundTripsPerHost.toFixed(1)}, ` +
    `CPU ${(f.cpuMs / f.hostTasks).toFixed(2)} ms/host-task, peak RSS ${f.peakRssMb.toFixed(0)} MiB`
  );
}

function summarize(fs: RunFigures[]): RunFigures {
  const m = (pick: (f: RunFigures) => number) => median(fs.map(pick));
  return { wallMs: m((f) => f.wallMs), cpuMs: m((f) => f.cpuMs / f.hostTasks), hostTasks: 1, peakRssMb: Math.max(...fs.map((f) => f.peakRssMb)), changed: m((f) => f.changed), roundTripsPerHost: m((f) => f.roundTripsPerHost) };
}

function printSummary(n: number, r: Results[number]): void {
  console.log(`N=${n} medians over ${rounds} rounds:`);
  for (const tool of ['falco-deploy', 'ansible'] as Tool[]) for (const phase of ['first', 'converged'] as Phase[]) console.log(`  ${tool.padEnd(12)} ${phase.padEnd(9)} ${line(summarize(r[tool][phase]))}`);
  const converged = median(r['falco-deploy'].converged.map((f) => f.wallMs));
  const ping = median(r.pingMs);
  console.log(`  falco-deploy ping ${(ping / 1000).toFixed(2)} s; converged run / ping = ${(converged / ping).toFixed(2)}x`);
}

function printTable(results: Results): void {
  console.log('\n| N | phase | falco-deploy s | ansible s | ratio | round trips/host (fd / ansible) | CPU ms/host-task (fd / ansible) | peak RSS MiB (fd / ansible) | fd ping s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const n of Object.keys(results).map(Number)) {
    for (const phase of ['first', 'converged'] as Phase[]) {
      const ours = summarize(results[n]['falco-deploy'][phase]);
      const theirs = summarize(results[n].ansible[phase]);
      console.log(
        `| ${n} | ${phase} | ${(ours.wallMs / 1000).toFixed(2)} | ${(theirs.wallMs / 1000).toFixed(2)} | ${(theirs.wallMs / ours.wallMs).toFixed(1)}x | ` +
          `${ours.roundTripsPerHost} / ${theirs.roundTripsPerHost.toFixed(1)} | ${ours.cpuMs.toFixed(2)} / ${theirs.cpuMs.toFixed(1)} | ${ours.peakRssMb.toFixed(0)} / ${theirs.peakRssMb.toFixed(0)} | ${(median(results[n].pingMs) / 1000).toFixed(2)} |`,
      );
    }
  }
  const done = Object.keys(results).map(Number);
  if (done.length < 2) return;
  // The fixed cost of a process (Node start-up, module loading, playbook parse) cancels out in the slope.
  const [lo, hi] = [Math.min(...done), Math.max(...done)];
  const total = (n: number) => {
    const runs = results[n]['falco-deploy'].converged;
    return { cpu: median(runs.map((f) => f.cpuMs)), hostTasks: median(runs.map((f) => f.hostTasks)) };
  };
  const slope = (total(hi).cpu - total(lo).cpu) / (total(hi).hostTasks - total(lo).hostTasks);
  console.log(`falco-deploy converged: controller CPU per added host-task between N=${lo} and N=${hi}: ${slope.toFixed(2)} ms`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});

