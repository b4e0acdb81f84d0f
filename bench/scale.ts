/**
 * bench/scale: one controller against a big lite sandbox fleet (root). Brings up N hosts (default
 * 1000; halves N if the fleet does not come up, and says why), then measures with the built
 * CLI (bin/falco-deploy.js, so `npm run build` first):
 *   ping, health, and a 10-task play (first run untimed, then the converged run) with
 *   `--workers 1` and `--workers auto` side by side, alternating which goes first per round.
 * Per command: wall time, wall time after connect (run: first task header -> recap), controller
 * peak RSS (VmHWM, all threads), peak open file descriptors (/proc/PID/fd, sampled every 50 ms),
 * and the host check: the recap (or result lines) names every inventory host exactly once and
 * every task has one result per host. The fleet is torn down at the end, always (also on Ctrl-C).
 *
 *   npx tsx bench/scale.ts [--hosts 1000] [--rounds 1] [--name scale] [--forks 50]
 *
 * Figures only: nothing here passes or fails on time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median, runBench } from './figures.js';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../src/sandbox/index.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '1' },
    name: { type: 'string', default: 'scale' },
    forks: { type: 'string', default: '50' },
  },
});
const CLI = resolve('bin/falco-deploy.js');

/** Ten tasks that converge: after the first run, every one is ok (nothing changed). */
const PLAY = `- name: scale
  hosts: all
  gather_facts: true
  vars:
    app_dir: /opt/scale
  tasks:
    - { name: app directory, file: { path: "{{ app_dir }}", state: directory, mode: "0755" } }
    - { name: config, copy: { content: "host={{ inventory_hostname }} os={{ ansible_distribution }}\\n", dest: "{{ app_dir }}/app.conf", mode: "0644" } }
    - { name: templated settings, template: { src: settings.j2, dest: "{{ app_dir }}/settings.yaml", mode: "0644" } }
    - { name: data directory, file: { path: "{{ app_dir }}/data", state: directory, mode: "0750" } }
    - { name: a line, lineinfile: { path: "{{ app_dir }}/extra.conf", line: "extra: 1", create: true, mode: "0644" } }
    - { name: rules, copy: { content: "- rule: scale\\n", dest: "{{ app_dir }}/rules.yaml", mode: "0644" } }
    - { name: stat config, stat: { path: "{{ app_dir }}/app.conf" }, register: conf }
    - { name: config exists, assert: { that: [conf.stat.exists] } }
    - { name: kernel, command: uname -r, register: kernel, changed_when: false }
    - { name: facts, set_fact: { scale_kernel: "{{ kernel.stdout }}" } }
`;
const TEMPLATE = `name: {{ inventory_hostname }}
{% for i in range(5) %}
item{{ i }}: {{ inventory_hostname | upper }}-{{ i }}
{% endfor %}
`;

interface Figures {
  wallMs: number;
  afterConnectMs?: number;
  peakRssMb: number;
  peakFds: number;
  exitCode: number | null;
  hostCheck: string;
}

/** Runs the CLI, sampling its /proc entry for open fds; peak RSS is the kernel's VmHWM. */
function measure(args: string[]): Promise<{ code: number | null; stdout: string; wallMs: number; peakRssMb: number; peakFds: number }> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let peakFds = 0;
    let peakRssKb = 0;
    const sample = () => {
      try {
        peakFds = Math.max(peakFds, readdirSync(`/proc/${child.pid}/fd`).length);
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    };
    const timer = setInterval(sample, 50);
    child.stdout.on('data', (d) => {
      stdout += String(d);
      sample();
    });
    child.on('close', (code) => {
      clearInterval(timer);
      done({ code, stdout, wallMs: Date.now() - started, peakRssMb: peakRssKb / 1024, peakFds });
    });
  });
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every inventory host once in the recap, and one result per host for every task header. */
function checkRun(events: Record<string, unknown>[], hosts: string[]): string {
  const recap = events.find((e) => e.type === 'recap') as { stats: Record<string, unknown> } | undefined;
  if (!recap) return 'NO RECAP';
  const names = Object.keys(recap.stats).sort();
  const expected = [...hosts].sort();
  if (names.length !== expected.length || names.some((h, i) => h !== expected[i])) return `recap has ${names.length} hosts, inventory ${expected.length}`;
  const perTask = new Map<string, string[]>();
  for (const e of events) if (e.type === 'host_result') perTask.set(String(e.task), [...(perTask.get(String(e.task)) ?? []), String(e.host)]);
  for (const [task, got] of perTask) {
    if (got.length !== hosts.length || new Set(got).size !== hosts.length) return `task "${task}": ${got.length} results for ${new Set(got).size} hosts`;
  }
  return `ok (${names.length} hosts once each, ${perTask.size} tasks x ${hosts.length} results)`;
}

function checkLines(lines: Record<string, unknown>[], hosts: string[]): string {
  const got = lines.map((l) => String(l.host)).filter((h) => h !== 'undefined');
  return got.length === hosts.length && new Set(got).size === hosts.length ? `ok (${got.length} hosts once each)` : `${got.length} lines for ${new Set(got).size} hosts`;
}

async function runPlay(sb: SandboxInfo, play: string, workers: string, forks: string, hosts: string[]): Promise<Figures> {
  const m = await measure(['run', play, '-i', sb.inventory, '-F', sb.sshConfig, '--json', '--forks', forks, '--workers', workers, '-T', '60']);
  const events = jsonLines(m.stdout);
  const firstTask = events.find((e) => e.type === 'task_start');
  const recap = events.find((e) => e.type === 'recap');
  const afterConnectMs = firstTask && recap ? Date.parse(String(recap.time)) - Date.parse(String(firstTask.time)) : undefined;
  return { wallMs: m.wallMs, afterConnectMs, peakRssMb: m.peakRssMb, peakFds: m.peakFds, exitCode: m.code, hostCheck: checkRun(events, hosts) };
}

async function runLines(args: string[], hosts: string[]): Promise<Figures> {
  const m = await measure(args);
  return { wallMs: m.wallMs, peakRssMb: m.peakRssMb, peakFds: m.peakFds, exitCode: m.code, hostCheck: checkLines(jsonLines(m.stdout), hosts) };
}

function machine(): string {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const limit = (name: string) => new RegExp(`${name}\\s+(\\S+)`).exec(limits)?.[1];
  return [
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), availableParallelism ${os.availableParallelism()}`,
    `memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, free ${(os.freemem() / 2 ** 30).toFixed(1)} GiB`,
    `load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    `limits: open files ${limit('Max open files')}, processes ${limit('Max processes')}, pid_max ${readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()}`,
    `node ${process.version}`,
  ].join('\n  ');
}

/** Ports per sandbox bridge (fdbr0, fdbr1, ...): the fleet is spread over bridges of at most 1024 ports. */
function bridgePorts(): string {
  const bridges = readdirSync('/sys/class/net').filter((l) => /^fdbr\d+$/.test(l)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  return bridges.map((b) => `${b} ${readdirSync(`/sys/class/net/${b}/brif`).length}`).join(', ');
}

async function bringUp(name: string, wanted: number, dir: string): Promise<SandboxInfo> {
  for (let n = wanted; ; n = Math.floor(n / 2)) {
    const started = Date.now();
    try {
      // a machine under load needs longer than the default minute to start hundreds of sshd
      const sb = await sandboxUp({ name, kind: 'lite', hosts: n, dir: join(dir, `sandbox-${n}`), readyTimeoutMs: 900_000 });
      console.log(`fleet: ${n} lite hosts up in ${((Date.now() - started) / 1000).toFixed(0)} s; bridge ports: ${bridgePorts()}`);
      return sb;
    } catch (err) {
      console.log(`fleet of ${n} did not come up: ${(err as Error).message}`);
      await sandboxDown({ name, dir: join(dir, `sandbox-${n}`) }).catch((e: Error) => console.log(`cleanup: ${e.message}`));
      if (n <= 1) throw err;
    }
  }
}

const fmt = (f: Figures) =>
  `wall ${(f.wallMs / 1000).toFixed(1)} s${f.afterConnectMs !== undefined ? `, after connect ${(f.afterConnectMs / 1000).toFixed(1)} s` : ''}, peak RSS ${f.peakRssMb.toFixed(0)} MB, peak fds ${f.peakFds}, exit ${f.exitCode}, hosts ${f.hostCheck}`;

async function main(): Promise<void> {
  const name = values.name;
  const work = mkdtempSync(join(os.tmpdir(), 'fd-bench-scale-'));
  writeFileSync(join(work, 'play.yml'), PLAY);
  writeFileSync(join(work, 'settings.j2'), TEMPLATE);
  const play = join(work, 'play.yml');
  console.log(`machine before the fleet:\n  ${machine()}`);
  let sb: SandboxInfo | undefined;
  const down = async () => {
    if (sb) await sandboxDown({ name, dir: sb.dir });
    sb = undefined;
  };
  process.once('SIGINT', () => void down().finally(() => process.exit(130)));
  try {
    sb = await bringUp(name, Number(values.hosts), work);
    const hosts = sb.hosts.map((h) => h.name);
    console.log(`machine with the fleet:\n  ${machine()}`);
    const ping = await runLines(['ping', '-i', sb.inventory, '-F', sb.sshConfig, '--json', '--forks', values.forks, '-T', '60'], hosts);
    console.log(`ping            ${fmt(ping)}`);
    const health = await runLines(['health', '-i', sb.inventory, '-F', sb.sshConfig, '--json', '--forks', values.forks, '-T', '60'], hosts);
    console.log(`health          ${fmt(health)}`);
    const first = await runPlay(sb, play, 'auto', values.forks, hosts);
    console.log(`first run       ${fmt(first)} (untimed set-up, --workers auto)`);
    const by: Record<string, Figures[]> = { '1': [], auto: [] };
    for (let r = 0; r < Number(values.rounds); r++) {
      for (const w of r % 2 ? ['auto', '1'] : ['1', 'auto']) {
        const f = await runPlay(sb, play, w, values.forks, hosts);
        by[w].push(f);
        console.log(`converged --workers ${w.padEnd(4)} round ${r + 1}: ${fmt(f)}`);
      }
    }
    console.log(`\nmedians over ${values.rounds} rounds, converged 10-task play on ${hosts.length} hosts (load now ${os.loadavg()[0].toFixed(1)}):`);
    for (const w of ['1', 'auto']) {
      const fs = by[w];
      console.log(
        `  --workers ${w.padEnd(4)} wall ${(median(fs.map((f) => f.wallMs)) / 1000).toFixed(1)} s, after connect ${(median(fs.map((f) => f.afterConnectMs ?? NaN)) / 1000).toFixed(1)} s, peak RSS ${median(fs.map((f) => f.peakRssMb)).toFixed(0)} MB, peak fds ${median(fs.map((f) => f.peakFds))}`,
      );
    }
  } finally {
    await down();
    rmSync(work, { recursive: true, force: true });
    console.log('fleet torn down');
  }
}

runBench(main);
