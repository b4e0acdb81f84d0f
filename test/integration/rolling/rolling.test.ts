/**
 * playbooks/config.yml on a systemd sandbox fleet (root), serial 2: an invalid rules file stops
 * the rollout after the first batch, whose hosts are rolled back and healthy while the others
 * stay untouched; a valid change updates every host batch by batch; a host killed mid-rollout
 * counts against max_fail_percentage and the rerun with --limit @retry finishes the rollout.
 * Serial 1: valid changes that fail one health gate condition each are rolled back and stop it.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { falcoFleet, type FalcoFleet } from '../alerts/falco-fleet.js';
import { CLI } from '../../../molecule-like-fixtures/scenarios/lib/context.js';

const HOSTS = Number(process.env.FD_ROLLING_HOSTS ?? 6);
const CONFIG_YML = resolve(fileURLToPath(new URL('../../../playbooks/config.yml', import.meta.url)));

interface Rollout {
  type: 'rollout';
  updated: string[];
  unchanged: string[];
  rolledBack: string[];
  failed: string[];
  untouched: string[];
  retryFile?: string;
}

interface RunOutput {
  code: number;
  events: Record<string, unknown>[];
  rollout?: Rollout;
  stdout: string;
}

function parseRun(code: number, stdout: string): RunOutput {
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, events, rollout: events.find((e) => e.type === 'rollout') as Rollout | undefined, stdout };
}

/**
 * What an assertion on a run prints when it fails: the rollout, then every failed or unreachable
 * result, the gate's measures and the config writes and restarts around them, with their times.
 */
function explain(r: RunOutput): string {
  const lines = r.events
    .filter((e) => e.type === 'host_result' && (!['ok', 'changed', 'skipped'].includes(String(e.status)) || /Health gate|Measure Falco|Restart Falco|Reload Falco|falco\.yaml/.test(String(e.task))))
    .map((e) => {
      const res = e.result as { stdout?: string; stderr?: string } | undefined;
      return `${String(e.time)} ${e.host} [${e.status}] ${e.task}: ${e.msg ?? ''} ${res?.stdout ?? ''} ${res?.stderr ?? ''}`.trimEnd();
    });
  return `exit ${r.code}, rollout ${JSON.stringify(r.rollout)}\n${lines.join('\n')}`;
}

describe('rolling configuration updates with playbooks/config.yml (sandbox, root)', function () {
  this.timeout(1_800_000);
  let fleet: FalcoFleet;
  let work: string;
  const env = () => ({ ...process.env, ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: work });

  /** config.yml through the CLI (--json); `during` runs when an event matches (e.g. to kill a host). */
  function rollout(args: string[], during?: { when: (e: Record<string, unknown>) => boolean; run: () => Promise<void> }): Promise<RunOutput> {
    const child = spawn('node', [CLI, 'run', CONFIG_YML, '-i', fleet.ctx.sandbox.inventory, '--json', ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let fired: Promise<void> | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (during && !fired && parseRun(0, out).events.some(during.when)) fired = during.run();
    });
    child.stderr.resume();
    return new Promise((done) => child.on('close', async (code) => {
      await fired;
      done(parseRun(code ?? -1, out));
    }));
  }

  const sha = (h: string) => fleet.ctx.sshOk(h, 'sha256sum /etc/falco/falco.yaml /etc/falco/config.d/* 2>/dev/null; ls /etc/falco/rules.d');
  const healthy = (h: string) =>
    fleet.ctx.ssh(h, 'systemctl is-active falco-modern-bpf.service').out.trim() === 'active' &&
    fleet.ctx.ssh(h, 'curl -fsS http://127.0.0.1:8765/healthz').out.includes('"ok"');

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-rolling-'));
    fleet = await falcoFleet('rolling', HOSTS);
  });

  after(async () => {
    await fleet?.down();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('an invalid rules file with serial 2: the first batch is rolled back and healthy, the rest untouched, exit non-zero', async () => {
    const rulesDir = join(work, 'bad-rules');
    mkdirSync(rulesDir, { recursive: true });
    writeFileSync(join(rulesDir, 'bad.yaml'), '- rule: Broken\n  desc: no condition\n');
    const before = Object.fromEntries(fleet.hosts.map((h) => [h, sha(h)]));
    const r = await rollout(['-e', 'falco_serial=2', '-e', 'falco_priority=warning', '-e', `falco_rules_dir=${rulesDir}`, '-e', 'falco_gate_seconds=3']);
    expect(r.code).to.equal(2);
    const [first, second] = fleet.hosts as [string, string];
    expect(r.rollout?.rolledBack).to.deep.equal([first, second]);
    expect(r.rollout?.untouched).to.deep.equal(fleet.hosts.slice(2));
    expect(r.rollout?.updated).to.deep.equal([]);
    const failures = r.events.filter((e) => e.type === 'host_result' && e.status === 'failed' && /^ROLLED BACK/.test(String(e.msg)));
    expect(failures.map((e) => e.host).sort()).to.deep.equal([first, second]);
    for (const h of fleet.hosts) {
      expect(sha(h), `${h} runs its old configuration`).to.equal(before[h]);
      expect(healthy(h), `${h} healthy`).to.equal(true);
    }
    expect(readFileSync(r.rollout!.retryFile!, 'utf8').trim().split('\n')).to.deep.equal(fleet.hosts);
    if (process.env.FD_ROLLING_SAMPLE) writeFileSync(process.env.FD_ROLLING_SAMPLE, r.stdout);
  });

  it('a valid change with serial 2: every host updated, batch by batch, each through its gate', async () => {
    // the engine settings of falco_config must survive the package's config.d/engine-kind-falcoctl.yaml
    const engine = JSON.stringify({ falco_config_overrides: { engine: { modern_ebpf: { buf_size_preset: 6 } } } });
    const r = await rollout(['-e', 'falco_serial=2', '-e', 'falco_priority=warning', '-e', 'falco_gate_seconds=2', '-e', engine]);
    expect(r.code, r.stdout.slice(-2000)).to.equal(0);
    const batches = r.events.filter((e) => e.type === 'play_start').map((e) => e.hosts);
    const expected = [];
    for (let i = 0; i < HOSTS; i += 2) expected.push(fleet.hosts.slice(i, i + 2));
    expect(batches).to.deep.equal(expected);
    expect(r.rollout?.updated).to.deep.equal([...fleet.hosts].sort());
    const gates = r.events.filter((e) => e.type === 'host_result' && /Health gate: no hot restart failure/.test(String(e.task)));
    expect(gates.map((e) => e.host).sort()).to.deep.equal([...fleet.hosts].sort());
    for (const h of fleet.hosts) {
      expect(fleet.ctx.sshOk(h, 'grep ^priority: /etc/falco/falco.yaml').trim()).to.equal('priority: warning');
      expect(healthy(h), `${h} healthy`).to.equal(true);
      expect(fleet.ctx.sshOk(h, 'ls /etc/falco/config.d'), 'the package drop-in is still there').to.include('engine-kind-falcoctl.yaml');
      const effective = JSON.parse(fleet.ctx.sshOk(h, 'falco --support -c /etc/falco/falco.yaml')).config.engine;
      const files = fleet.ctx.ssh(h, 'head -50 /etc/falco/config.d/*; grep -A12 ^engine: /etc/falco/falco.yaml').out;
      expect(effective.modern_ebpf, `${h}: effective engine ${JSON.stringify(effective)} from\n${files}`).to.include({ buf_size_preset: 6, cpus_for_each_buffer: 2 });
    }
  });

  it('a host killed mid-rollout counts against max_fail_percentage; --limit @retry finishes the rest', async () => {
    const victim = fleet.hosts[3]!; // in the second batch
    const r = await rollout(['-e', 'falco_serial=2', '-e', 'falco_priority=notice', '-e', 'falco_gate_seconds=3', '-T', '5'], {
      when: (e) => e.type === 'play_start' && (e.batch as { index: number } | undefined)?.index === 1,
      run: () => fleet.fault(victim, 'kill'),
    });
    expect(r.code, explain(r)).to.equal(3);
    expect(r.rollout?.failed, explain(r)).to.deep.equal([victim]);
    expect(r.rollout?.updated).to.deep.equal([fleet.hosts[0], fleet.hosts[1], fleet.hosts[2]].sort());
    expect(r.rollout?.untouched).to.deep.equal(fleet.hosts.slice(4));
    expect(r.events.some((e) => e.type === 'warning' && /later batches were not started/.test(String(e.message)))).to.equal(true);

    // the dead host is still in the retry file: allow one failed host per batch of 2 this time
    const retryHosts = readFileSync(r.rollout!.retryFile!, 'utf8').trim().split('\n');
    expect(retryHosts).to.deep.equal([victim, ...fleet.hosts.slice(4)]);
    const rest = await rollout([
      '-e', 'falco_serial=2', '-e', 'falco_priority=notice', '-e', 'falco_gate_seconds=2', '-e', 'falco_max_fail_percentage=50',
      '--limit', `@${r.rollout!.retryFile}`, '-T', '5',
    ]);
    expect(rest.rollout?.updated, explain(rest)).to.deep.equal(fleet.hosts.slice(4));
    expect(rest.rollout?.failed).to.deep.equal([victim]);
    for (const h of fleet.hosts.filter((x) => x !== victim)) {
      expect(fleet.ctx.sshOk(h, 'grep ^priority: /etc/falco/falco.yaml').trim()).to.equal('priority: notice');
    }
  });
  /**
   * A VALID change (it passes falco --dry-run / -V) that still fails the health gate on the first
   * host of serial 1: that host is rolled back to its old configuration and healthy, the rollout
   * stops, the recap says so.
   */
  async function gateStops(args: string[], failedTask: RegExp): Promise<RunOutput> {
    const [first, ...rest] = fleet.hosts as [string, ...string[]];
    const before = sha(first);
    const r = await rollout(['-e', 'falco_serial=1', '-e', 'falco_gate_seconds=3', '-e', 'falco_health_timeout=4', ...args]);
    expect(r.code, explain(r)).to.equal(2);
    expect(r.rollout, explain(r)).to.deep.include({ rolledBack: [first], updated: [], failed: [], untouched: rest });
    const failure = r.events.find((e) => e.type === 'host_result' && e.status === 'failed' && /^ROLLED BACK/.test(String(e.msg)));
    expect(failure?.host).to.equal(first);
    expect(String(failure?.msg)).to.match(failedTask);
    expect(sha(first), 'old configuration back').to.equal(before);
    expect(healthy(first), 'healthy on it').to.equal(true);
    return r;
  }

  const overrides = (o: unknown) => ['-e', JSON.stringify({ falco_config_overrides: o })];

  it('gate: a valid config whose Falco exits after start (webserver port taken by sshd) does not stay active: rolled back, rollout stopped', async () => {
    await gateStops(overrides({ webserver: { listen_port: 22 } }), /in task 'Health gate: the Falco unit stays active/);
  });

  it('gate: a valid config that leaves Falco running but /healthz unanswered (webserver on another address) is rolled back', async () => {
    await gateStops(['-e', 'falco_gate_seconds=2', ...overrides({ webserver: { listen_address: '127.0.0.2' } })], /in task 'Wait for the Falco webserver'/);
  });

  it('gate: a valid config under which the alert rate collapses to zero (priority above every firing rule) is rolled back', async () => {
    const first = fleet.hosts[0]!;
    // steady Warning alerts on the first host: an /etc/shadow read every ~0.3 s. The gate only
    // calls a zero rate a collapse when the window before the change predicts alerts over the gate
    // (before * elapsed >= min * window): a slow loop on a loaded machine once let the first host
    // pass its gate, so the loop is cheap (no interpreter start) and runs for the whole window.
    const loop = fleet.ctx
      .sshOk(first, `setsid sh -c 'while :; do cat /etc/shadow > /dev/null; sleep 0.25; done' > /dev/null 2>&1 < /dev/null & echo $!`)
      .trim();
    try {
      await new Promise((r) => setTimeout(r, 15_000));
      await gateStops(
        ['-e', 'falco_priority=error', '-e', 'falco_gate_rate_window=20', '-e', 'falco_gate_min_expected_alerts=1'],
        /in task 'Health gate: no hot restart failure since the change, alert rate not collapsed'.*the alert rate collapsed to zero/s,
      );
    } finally {
      fleet.ctx.ssh(first, `kill -- -${Number(loop)} 2>/dev/null; kill ${Number(loop)} 2>/dev/null; true`);
    }
  });
});
