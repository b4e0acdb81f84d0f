/**
 * `falco-deploy alerts` on 3 systemd sandbox hosts running the stand-in Falco (root): alerts
 * triggered at known times come back merged in time order with the right hosts; a garbage line
 * is skipped and counted; --follow shows a new alert and loses nothing across a log rotation;
 * a host whose file_output a drop-in turns off is read from its unit's journal; each host is
 * read in one round trip.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { falcoFleet, type FalcoFleet } from './falco-fleet.js';
import { readAlerts } from '../../../src/alerts/host-source.js';
import { createConnector } from '../../../src/connectors/setup.js';
import { loadInventory } from '../../../src/inventory/index.js';

const EVENTS = '/var/log/falco/events.json';
const SHADOW_RULE = 'Read sensitive file untrusted';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

interface FileAlert {
  time: string;
  rule: string;
  output: string;
}

/**
 * Opens /etc/shadow from a process whose command line carries `marker` (and lives long enough
 * with the file open for the stand-in to find it in /proc): SSH logins open /etc/shadow too, the marker tells
 * the test's own alerts apart.
 */
function trigger(marker: string, delaySec = 0): string {
  return `python3 -c 'import time; time.sleep(${delaySec}); f = open("/etc/shadow"); time.sleep(0.5)' ${marker}`;
}

/** The test's shadow alerts (by marker) in a host's alert files (rotated one included) at or after `since`. */
function shadowAlerts(fleet: FalcoFleet, host: string, since: string, marker: string, files = [EVENTS]): FileAlert[] {
  const out = fleet.ctx.ssh(host, `cat ${files.join(' ')} 2>/dev/null`).out;
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as FileAlert)
    .filter((a) => a.rule === SHADOW_RULE && a.time >= since && a.output.includes(marker));
}

const isoNow = () => new Date().toISOString().replace(/Z$/, '000000Z');

describe('falco-deploy alerts (sandbox, root)', function () {
  this.timeout(900_000);
  let fleet: FalcoFleet;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    fleet = await falcoFleet('alerts', 3);
  });

  after(async () => {
    await fleet?.down();
  });

  it('merges alerts of 3 hosts in time order with the right hosts (text, --json, --summary)', async () => {
    const [h1, h2, h3] = fleet.hosts as [string, string, string];
    const start = isoNow();
    const marker = `merge-${process.pid}`;
    const order = [h3, h1, h2, h3];
    for (const h of order) fleet.ctx.sshOk(h, trigger(marker));
    const times = await until('an alert per trigger in the hosts\' files', () => {
      const byHost = Object.fromEntries(fleet.hosts.map((h) => [h, shadowAlerts(fleet, h, start, marker).map((a) => a.time)]));
      return byHost[h3]!.length >= 2 && byHost[h1]!.length >= 1 && byHost[h2]!.length >= 1 ? byHost : undefined;
    });
    const expected = Object.entries(times)
      .flatMap(([h, ts]) => ts.map((t) => ({ h, t })))
      .sort((a, b) => (a.t < b.t ? -1 : 1));
    expect(expected.map((e) => e.h)).to.deep.equal(order);

    const text = fleet.cli(['alerts', '--since', start, '--rule', `^${SHADOW_RULE}$`]);
    expect(text.code, text.stderr).to.equal(0);
    const lines = text.stdout.trim().split('\n').filter((l) => l.includes(marker));
    expect(lines.map((l) => l.split(' ').slice(0, 3))).to.deep.equal(expected.map((e) => [e.t, e.h, 'warning']));
    for (const l of lines) expect(l).to.include(`"${SHADOW_RULE}" Sensitive file opened for reading by non-trusted program`);

    const json = fleet.cli(['alerts', '--since', start, '--rule', `^${SHADOW_RULE}$`, '--json']);
    expect(json.code, json.stderr).to.equal(0);
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((o) => String(o.output).includes(marker));
    expect(objects.map((o) => [o.host, o.hostname, o.rule])).to.deep.equal(expected.map((e) => [e.h, e.h, SHADOW_RULE]));

    const summary = fleet.cli(['alerts', '--since', start, '--summary']);
    expect(summary.code, summary.stderr).to.equal(0);
    const rows = summary.stdout.trim().split('\n');
    expect(rows[0]).to.match(/^COUNT +HOST +PRIORITY +RULE$/);
    const counts = rows.slice(1, -1).map((r) => Number(r.trim().split(/ +/)[0]));
    expect(counts, 'top talkers first').to.deep.equal([...counts].sort((a, b) => b - a));
    const shadowRow = (h: string) => rows.find((r) => r.includes(` ${h} `) && r.endsWith(SHADOW_RULE));
    // each trigger is one alert, each SSH login that ran it another (sshd reads /etc/shadow)
    expect(Number(shadowRow(h3)?.trim().split(/ +/)[0])).to.be.at.least(2);
    for (const h of [h1, h2]) expect(shadowRow(h), `${h} row`).to.match(/^ *\d+  /);
    if (process.env.FD_ALERTS_SAMPLE) writeFileSync(process.env.FD_ALERTS_SAMPLE, summary.stdout);

    const warnings = fleet.cli(['alerts', '--since', start, '--priority', 'error']);
    expect(warnings.stdout, 'Warning alerts are below --priority error').to.not.include(SHADOW_RULE);
  });

  it('reads each host in ONE round trip on its connection (source resolved on the host with the read)', async () => {
    const inventory = await loadInventory([fleet.ctx.sandbox.inventory]);
    const connector = await createConnector({ forks: 10, hostKeyChecking: 'strict', timeout: 20, sshConfig: fleet.ctx.sandbox.sshConfig });
    try {
      for (const h of fleet.hosts) {
        const conn = await connector.pool.connect(connector.target(h, inventory.hostVars(h)));
        const before = conn.stats.roundTrips;
        const { source, read } = await readAlerts(conn, '2026-01-01T00:00:00.000000000Z', { become: false, maxBytes: 1 << 20 });
        expect(conn.stats.roundTrips - before, h).to.equal(1);
        expect(source).to.deep.equal({ kind: 'file', path: EVENTS });
        expect(read.alerts.length, `${h} has alerts`).to.be.above(0);
      }
    } finally {
      await connector.close();
    }
  });

  it('skips and counts a malformed line, the other alerts still come', () => {
    const h2 = fleet.hosts[1]!;
    const start = isoNow();
    const marker = `garbage-${process.pid}`;
    fleet.ctx.sshOk(h2, `${trigger(marker)}; echo 'garbage {not json' >> ${EVENTS}; ${trigger(marker)}`);
    const r = fleet.cli(['alerts', '--since', start, '--rule', SHADOW_RULE]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include(`[WARNING]: ${h2}: 1 malformed line(s) skipped`);
    expect(r.stdout.trim().split('\n').filter((l) => l.includes(` ${h2} `) && l.includes(marker))).to.have.length(2);
  });

  it('--follow shows a new alert within 2 s and loses nothing when the file is rotated', async () => {
    const [h1, h2] = fleet.hosts as [string, string];
    const start = isoNow();
    const follow = fleet.start(['alerts', '--follow', '--since', start, '--rule', SHADOW_RULE, '--json']);
    try {
      const seen = () => follow.stdout().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FileAlert & { host: string });
      // warm-up: the follow is connected and polling once an alert shows up
      fleet.ctx.sshOk(h1, trigger('warm-up'));
      await until('the first followed alert', () => seen().some((a) => a.host === h1 && a.output.includes('warm-up')), 60_000);

      const marker = `follow-${process.pid}`;
      fleet.ctx.sshOk(h1, trigger(marker));
      const fresh = await until('the new alert', () => seen().find((a) => a.output.includes(marker)), 10_000, 20);
      const lagMs = Date.now() - Date.parse(fresh.time.slice(0, 23) + 'Z');
      expect(lagMs, 'alert time -> printed by --follow').to.be.below(2000);

      fleet.ctx.sshOk(
        h2,
        `for i in 1 2 3; do ${trigger('rotation')}; done; mv ${EVENTS} ${EVENTS}.1; for i in 4 5 6; do ${trigger('rotation')}; done`,
      );
      const written = await until('six alerts on h2 across the rotation', () => {
        const all = shadowAlerts(fleet, h2, start, 'rotation', [`${EVENTS}.1`, EVENTS]);
        return all.length >= 6 ? all : undefined;
      });
      const followed = await until('every written alert in --follow', () => {
        const got = seen()
          .filter((a) => a.host === h2 && a.output.includes('rotation'))
          .map((a) => a.time);
        return written.every((w) => got.includes(w.time)) ? got : undefined;
      }, 15_000);
      expect(new Set(followed).size, 'no alert twice').to.equal(followed.length);
      expect(follow.stderr()).to.match(new RegExp(`\\[${h2}\\] ${EVENTS} (was rotated|is gone)`));
    } finally {
      expect(await follow.interrupt()).to.equal(130);
    }
  });

  it('--follow reports a host that drops, reconnects it and states the gap; alerts of the gap still come', async () => {
    const h1 = fleet.hosts[0]!;
    const follow = fleet.start(['alerts', '--follow', '-T', '3', '--since', isoNow(), '--rule', SHADOW_RULE, '--limit', h1]);
    try {
      fleet.ctx.sshOk(h1, trigger('before-drop'));
      await until('the alert before the drop', () => follow.stdout().includes('before-drop'), 60_000);
      // an alert written while nobody can reach the host: started now, fires 4 s later
      fleet.ctx.sshOk(h1, `setsid ${trigger('in-the-gap', 4)} > /dev/null 2>&1 < /dev/null &`);
      await fleet.fault(h1, 'down');
      await until('the drop reported', () => follow.stderr().includes(`[${h1}] connection lost`), 30_000);
      await sleep(6000);
      expect(follow.stdout(), 'nothing can come while the link is down').to.not.include('in-the-gap');
      await fleet.fault(h1, 'up');
      await until('the reconnect with its gap', () => /reconnected: no connection from \S+Z to \S+Z \([\d.]+ s\)/.test(follow.stderr()), 60_000);
      await until('the alert written during the gap', () => follow.stdout().includes('in-the-gap'), 15_000);
    } finally {
      await fleet.fault(h1, 'up');
      expect(await follow.interrupt()).to.equal(130);
    }
  });

  it('reads the unit journal when a config.d drop-in turns file_output off', async () => {
    const h3 = fleet.hosts[2]!;
    fleet.ctx.sshOk(h3, "printf 'file_output:\\n  enabled: false\\n' > /etc/falco/config.d/zz-alerts-test.yaml && systemctl restart falco-modern-bpf.service");
    await until('falco back', () => fleet.ctx.ssh(h3, 'curl -fsS http://127.0.0.1:8765/healthz').code === 0 || undefined, 60_000, 500);
    const start = isoNow();
    fleet.ctx.sshOk(h3, trigger('journal'));
    const r = await until('the journal alert', () => {
      const x = fleet.cli(['alerts', '--since', start, '--rule', SHADOW_RULE, '--limit', h3]);
      return x.stdout.split('\n').some((l) => l.includes(` ${h3} warning "${SHADOW_RULE}"`) && l.includes('journal')) ? x : undefined;
    }, 20_000, 1000);
    expect(r.code, r.stderr).to.equal(0);
    expect(shadowAlerts(fleet, h3, start, 'journal'), 'nothing went to the file').to.have.length(0);
    fleet.ctx.sshOk(h3, 'rm /etc/falco/config.d/zz-alerts-test.yaml && systemctl restart falco-modern-bpf.service');
  });
});
