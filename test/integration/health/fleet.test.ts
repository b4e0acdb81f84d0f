/**
 * `falco-deploy health` on a systemd sandbox fleet where playbooks/site.yml installed the
 * stand-in Falco: a healthy fleet exits 0; then one host's Falco stopped, one's Falco process
 * frozen (/healthz stops answering while the unit stays active), one unreachable, one with hot
 * restart failure and event drop alerts: each reported as it is, exit 2, and the --html page
 * renders in headless chromium. With --playbook: config drift (an edited rules file) on one host. Needs root; built CLI (npm run build).
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxFault, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { buildFalcoRepo, mirrorRepo, repoVars } from '../../../src/sandbox/falco-repo.js';
import type { HostHealth } from '../../../src/health/report.js';
import { renderInChromium } from './chromium.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const CLI = resolve(ROOT, 'bin/falco-deploy.js');
const NAME = 'health-it';

describe('health command on a sandbox fleet (systemd, root)', function () {
  this.timeout(900_000);
  let work: string;
  let sandbox: SandboxInfo | undefined;
  let hosts: string[];
  let firstRun: { stdout: string; stderr: string; status: number | null };

  const cli = (args: string[]) => spawnSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '' } });
  const health = (extra: string[] = []) => cli(['health', '-i', sandbox!.inventory, ...extra]);
  const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as HostHealth & { summary?: unknown });
  const ssh = (host: string, command: string) => {
    const r = spawnSync('ssh', ['-F', sandbox!.sshConfig, '-o', 'BatchMode=yes', host, command], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${host}: ${command}: exit ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  /**
   * A rules file changed under a running Falco makes it hot-restart (watch_config_files), its
   * webserver down meanwhile: run `command` on `host`, then wait until Falco said it restarts and
   * answers /healthz again, so a health check after it sees the settled host.
   */
  const changeRulesAndSettle = (host: string, command: string) =>
    ssh(
      host,
      `t=$(date +%s); ${command} && for i in $(seq 1 150); do ` +
        `journalctl -q --since "@$t" | grep -q "Falco will restart" && curl -sf -o /dev/null http://127.0.0.1:8765/healthz && exit 0; sleep 0.2; done; ` +
        `echo "Falco did not restart and answer after the change" >&2; exit 1`,
    );

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-health-it-'));
    const repo = mirrorRepo() ?? buildFalcoRepo(join(work, 'repo'));
    sandbox = await sandboxUp({
      name: NAME,
      kind: 'systemd',
      hosts: 4,
      dir: join(work, 'sandbox'),
      bindMounts: [{ source: repo.dir, target: '/srv/falco-repo' }],
      inventoryVars: repoVars(repo),
    });
    hosts = sandbox.hosts.map((h) => h.name);
    firstRun = cli(['run', join(ROOT, 'playbooks/site.yml'), '-i', sandbox.inventory, '-e', 'falco_alert_tail=3']);
    expect(firstRun.status, firstRun.stdout + firstRun.stderr).to.equal(0);
  });

  after(async () => {
    if (sandbox) await sandboxDown({ name: NAME, dir: join(work, 'sandbox') });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a healthy fleet: every host healthy with what the host really has, exit 0, one round trip each', () => {
    const r = health(['--json']);
    expect(r.status, r.stderr).to.equal(0);
    const lines = jsonLines(r.stdout);
    expect(lines.at(-1)).to.deep.include({ summary: { total: 4, healthy: 4, degraded: 0, unreachable: 0, text: '4 healthy' } });
    const byHost = new Map(lines.filter((l) => l.host).map((l) => [l.host, l]));
    expect([...byHost.keys()].sort()).to.deep.equal([...hosts].sort());
    for (const h of hosts) {
      const got = byHost.get(h)!;
      expect(got.status, JSON.stringify(got.problems)).to.equal('healthy');
      expect(got.falco).to.deep.equal({ installed: true, version: ssh(h, "dpkg-query -W -f '${Version}' falco"), versionSource: 'versions' });
      expect(got.unit?.name).to.equal('falco-modern-bpf.service');
      expect(got.unit?.activeState).to.equal('active');
      expect(got.healthz?.status).to.equal('ok');
      expect(got.falcoctlFollow?.on).to.equal(false);
      expect(got.probe.roundTrips).to.equal(1);
      const sums = ssh(h, 'sha256sum /etc/falco/falco_rules.yaml /etc/falco/falco_rules.local.yaml');
      for (const rule of got.rules ?? []) expect(sums).to.include(`${rule.sha256}  ${rule.path}`);
      expect(got.rules?.map((x) => x.path)).to.deep.equal(['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml']);
    }
    const plain = health();
    expect(plain.status).to.equal(0);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).to.equal('4 healthy');
    expect(plain.stdout).not.to.match(/\x1b\[/);
  });

  it('run site.yml shows the health table and the last alerts of each host after the recap (plain, then --json)', () => {
    const after = firstRun.stdout.slice(firstRun.stdout.indexOf('PLAY RECAP'));
    expect(after).to.match(/\nFALCO HEALTH \*+\nHOST /);
    for (const h of hosts) expect(after).to.match(new RegExp(`^${h}\\s+healthy\\s`, 'm'));
    expect(after).to.include('\n4 healthy\n');
    expect(after).to.match(/LAST ALERTS \(up to 3 per host\)/);
    for (const h of hosts) expect(after).to.match(new RegExp(`^${h}:( none)?$`, 'm'));

    const r = cli(['run', join(ROOT, 'playbooks/site.yml'), '-i', sandbox!.inventory, '--json', '-e', 'falco_alert_tail=2']);
    expect(r.status, r.stderr).to.equal(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string } & Partial<HostHealth>);
    const recapAt = events.findIndex((e) => e.type === 'recap');
    const health = events.filter((e) => e.type === 'falco_health');
    expect(events.findIndex((e) => e.type === 'falco_health')).to.be.greaterThan(recapAt);
    expect(health.map((e) => e.host).sort()).to.deep.equal([...hosts].sort());
    for (const e of health) {
      expect(e.status).to.equal('healthy');
      expect(e.alertTail).to.be.an('array');
      expect(e.alertTail!.length).to.be.at.most(2);
      for (const a of e.alertTail!) expect(a).to.have.keys('time', 'priority', 'rule', 'output');
    }
    expect(events.at(-1)).to.deep.equal({ type: 'falco_health_summary', text: '4 healthy' });
  });

  it('alerts in the window are counted by minute, priority and rule from the JSON file_output', async () => {
    const h = hosts[0];
    const minute = ssh(h, 'date -u +%Y-%m-%dT%H:%M; cat /etc/shadow > /dev/null').trim();
    const rule = 'Read sensitive file untrusted';
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = jsonLines(health(['--json', '--limit', h]).stdout)[0];
      const seen = got.alerts?.byMinute.some((c) => c.rule === rule && c.priority === 'Warning' && c.minute >= minute);
      if (seen) {
        expect(got.alerts?.byRule[rule]).to.be.greaterThan(0);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no "${rule}" alert at or after ${minute}: ${JSON.stringify(got.alerts)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  it('--watch redraws over the same connections (round trips grow, no reconnect) until Ctrl-C (exit 130)', async () => {
    const child = spawn('node', [CLI, 'health', '-i', sandbox!.inventory, '--json', '--watch', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const rounds = await new Promise<HostHealth[][]>((resolveRounds, reject) => {
      const timer = setTimeout(() => reject(new Error(`no 2 rounds in time:\n${out}`)), 120_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as HostHealth & { summary?: unknown });
        if (lines.filter((l) => l.summary).length >= 2) {
          clearTimeout(timer);
          const cut = lines.findIndex((l) => l.summary);
          resolveRounds([lines.slice(0, cut), lines.slice(cut + 1, cut + 1 + hosts.length)]);
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(code).to.equal(130);
    for (const h of rounds[1]) {
      const first = rounds[0].find((x) => x.host === h.host)!;
      expect(h.probe.roundTrips, h.host).to.equal(2);
      expect(h.probe.connectMs, h.host).to.equal(first.probe.connectMs);
    }
  });

  it('--playbook site.yml: converged hosts have no config drift; an edited and an extra rules file on one host are drift (exit 2; table, --json, --html)', () => {
    const site = join(ROOT, 'playbooks/site.yml');
    const edited = hosts[1];
    changeRulesAndSettle(edited, 'cp /etc/falco/falco_rules.local.yaml /tmp/local-rules.bak && echo "# edited by hand" >> /etc/falco/falco_rules.local.yaml && printf "%s\\n" "- list: drift_extra" "  items: []" > /etc/falco/rules.d/extra.yaml');
    try {
      const html = join(work, 'drift.html');
      const r = health(['--json', '--playbook', site, '--html', html]);
      expect(r.status, r.stdout + r.stderr).to.equal(2);
      const by = new Map(jsonLines(r.stdout).filter((l) => l.host).map((l) => [l.host, l]));
      for (const h of hosts.filter((x) => x !== edited)) {
        expect(by.get(h)!.status, h).to.equal('healthy');
        expect(by.get(h)!.drift, h).to.deep.equal({ playbook: site, status: 'in-sync', managed: 3, files: [] });
        expect(by.get(h)!.probe.roundTrips, h).to.equal(1);
      }
      const got = by.get(edited)!;
      expect(got.status).to.equal('degraded');
      expect(got.drift?.status).to.equal('drifted');
      expect(got.drift?.files.map((f) => [f.path, f.reason])).to.deep.equal([
        ['/etc/falco/falco_rules.local.yaml', 'differs'],
        ['/etc/falco/rules.d/extra.yaml', 'unmanaged'],
      ]);
      expect(got.problems).to.deep.equal(['config drift: /etc/falco/falco_rules.local.yaml differs, /etc/falco/rules.d/extra.yaml not written by the playbook']);
      const page = readFileSync(html, 'utf8');
      expect(page.indexOf('<section id="drift">')).to.be.within(0, page.indexOf('<section id="problems">'));
      expect(page).to.include(`data-host="${edited}" data-path="/etc/falco/rules.d/extra.yaml"`);
      const table = health(['--playbook', site]);
      expect(table.status).to.equal(2);
      expect(table.stdout).to.match(/\bDRIFT\b/);
      expect(table.stdout).to.match(new RegExp(`^${edited}\\s+degraded\\s.*\\s2 files\\s+config drift: `, 'm'));
      expect(table.stdout).to.match(new RegExp(`^${hosts[0]}\\s+healthy\\s.*\\sin-sync$`, 'm'));
    } finally {
      changeRulesAndSettle(edited, 'mv /tmp/local-rules.bak /etc/falco/falco_rules.local.yaml && rm -f /etc/falco/rules.d/extra.yaml');
    }
  });

  it('stopped, frozen, unreachable and internal-alert hosts are each reported as they are, exit 2, HTML renders', async () => {
    const [stopped, frozen, gone, alerting] = hosts;
    ssh(stopped, 'systemctl stop falco.service');
    ssh(frozen, 'kill -STOP "$(systemctl show -p MainPID --value falco-modern-bpf.service)"');
    await sandboxFault(NAME, gone, 'refuse', { dir: join(work, 'sandbox') });
    // Falco writes these internal alerts itself (hot reload of a bad config; syscall_event_drops
    // with the alert action); the stand-in has no kernel to drop events, so they are appended as Falco writes them.
    ssh(
      alerting,
      `t=$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z); printf '%s\\n' ` +
        `"{\\"output\\":\\"Falco internal: hot restart failure\\",\\"priority\\":\\"Critical\\",\\"rule\\":\\"Falco internal: hot restart failure\\",\\"time\\":\\"$t\\"}" ` +
        `"{\\"output\\":\\"Falco internal: syscall event drop. 120 system calls dropped in last second.\\",\\"output_fields\\":{\\"n_drops\\":120,\\"n_evts\\":9000},\\"priority\\":\\"Critical\\",\\"rule\\":\\"Falco internal: syscall event drop\\",\\"time\\":\\"$t\\"}" ` +
        `>> /var/log/falco/events.json`,
    );
    const html = join(work, 'health.html');
    const r = health(['--json', '--html', html]);
    expect(r.status, r.stderr).to.equal(2);
    const lines = jsonLines(r.stdout);
    const by = new Map(lines.filter((l) => l.host).map((l) => [l.host, l]));
    expect(lines.at(-1)).to.deep.include({ summary: { total: 4, healthy: 0, degraded: 3, unreachable: 1, text: '3 degraded, 1 unreachable' } });

    expect(by.get(stopped)!.status).to.equal('degraded');
    expect(by.get(stopped)!.problems[0]).to.equal('falco-modern-bpf.service is inactive (dead)');
    expect(by.get(stopped)!.healthz?.status).to.equal('failed');

    expect(by.get(frozen)!.status).to.equal('degraded');
    expect(by.get(frozen)!.unit?.activeState).to.equal('active');
    expect(by.get(frozen)!.problems).to.have.length(1);
    expect(by.get(frozen)!.problems[0]).to.match(/^\/healthz: no answer/);

    expect(by.get(gone)!.status).to.equal('unreachable');
    expect(by.get(gone)!.error).to.be.a('string').and.not.equal('');

    expect(by.get(alerting)!.status).to.equal('degraded');
    expect(by.get(alerting)!.problems).to.deep.equal([
      '1 "Falco internal: hot restart failure" alert(s) in the last 15 min',
      'event drops: 1 drop alert(s), 120 events dropped in the last 15 min',
    ]);

    const plain = health();
    expect(plain.status).to.equal(2);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).to.equal('3 degraded, 1 unreachable');

    const page = renderInChromium(html);
    expect(page.resources).to.deep.equal([]);
    expect(page.summary).to.equal('3 degraded, 1 unreachable');
    expect(page.problemsTop).to.be.lessThan(page.gridTop);
    expect(page.problemHosts[0]).to.equal(gone);
    expect([...page.problemHosts].sort()).to.deep.equal([...hosts].sort());
    const colour = { degraded: 'rgb(191, 135, 0)', unreachable: 'rgb(207, 34, 46)' } as Record<string, string>;
    for (const cell of page.cells) {
      expect(cell.background, cell.host).to.equal(colour[by.get(cell.host)!.status]);
      expect(cell.width).to.be.greaterThan(50);
    }
    expect(page.rules['Falco internal: hot restart failure']).to.equal('1');
    expect(Number(page.priorities.Critical)).to.be.at.least(2);
    expect(page.sparkBars).to.be.greaterThan(0);
  });
});
