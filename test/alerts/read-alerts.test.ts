/**
 * `alerts` reads each host in ONE round trip: the source is resolved on the host (falco.yaml and
 * its drop-ins, else the active unit's journal) by the same script that reads the alerts. Run
 * here on this machine through the test connection, which counts round trips as SSH does;
 * systemctl and journalctl are stand-ins on PATH.
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAlerts } from '../../src/alerts/host-source.js';
import { LocalProvider } from '../support/local-connection.js';

const alert = (time: string, rule: string) => JSON.stringify({ time, priority: 'Warning', rule, output: `${time} ${rule}` });

describe('alerts: one round trip per host (local sh)', () => {
  let dir: string;
  let savedPath: string | undefined;
  const falcoYaml = () => join(dir, 'falco.yaml');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-alerts-read-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(join(dir, 'config.d'));
    const journalEntry = JSON.stringify({ __CURSOR: 'c1', MESSAGE: alert('2026-12-03T10:00:05.000000000Z', 'From the journal') });
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "falcoctl-artifact-follow.service loaded active running x"\necho "falco-modern-bpf.service loaded active running Falco"\n');
    writeFileSync(join(bin, 'journalctl'), `#!/bin/sh\necho "$*" > ${join(dir, 'journal-args')}\necho '${journalEntry}'\n`);
    for (const f of ['systemctl', 'journalctl']) chmodSync(join(bin, f), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${process.env.PATH}`;
  });

  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  async function read(since: string) {
    const conn = await new LocalProvider().get('h1', {});
    const r = await readAlerts(conn, since, { become: false, maxBytes: 1 << 20, mainConfig: falcoYaml() });
    return { ...r, roundTrips: conn.stats.roundTrips };
  }

  it('file_output set by a config.d drop-in: the file it names is read from --since, in 1 round trip', async () => {
    writeFileSync(falcoYaml(), `config_files: [${join(dir, 'config.d')}]\njson_output: true\nfile_output: {enabled: true, filename: ${join(dir, 'a.json')}}\n`);
    writeFileSync(join(dir, 'config.d', 'out.yaml'), `file_output:\n  enabled: true\n  filename: ${join(dir, 'b.json')}\n`);
    writeFileSync(join(dir, 'a.json'), alert('2026-12-03T10:00:01.000000000Z', 'Wrong file') + '\n');
    writeFileSync(join(dir, 'b.json'), ['2026-12-03T09:00:00.000000000Z', '2026-12-03T10:00:01.000000000Z', '2026-12-03T10:00:02.000000000Z'].map((t) => alert(t, 'R')).join('\n') + '\n');
    const r = await read('2026-12-03T10:00:00.000000000Z');
    expect(r.roundTrips).to.equal(1);
    expect(r.source).to.deep.equal({ kind: 'file', path: join(dir, 'b.json') });
    expect(r.read.alerts.filter((a) => a.time >= '2026-12-03T10').map((a) => a.rule)).to.deep.equal(['R', 'R']);
    expect(r.read.position?.offset).to.be.above(0);
  });

  it('file_output not JSON: the active Falco unit\'s journal from --since (falcoctl\'s follower is not it), in 1 round trip', async () => {
    writeFileSync(falcoYaml(), `json_output: false\nfile_output: {enabled: true, filename: ${join(dir, 'a.txt')}}\n`);
    const r = await read('2026-12-03T10:00:00.000Z');
    expect(r.roundTrips).to.equal(1);
    expect(r.source).to.deep.equal({ kind: 'journal', unit: 'falco-modern-bpf.service' });
    expect(r.read.cursor).to.equal('c1');
    expect(r.read.alerts.map((a) => a.rule)).to.deep.equal(['From the journal']);
    expect(readFileSync(join(dir, 'journal-args'), 'utf8').trim()).to.equal(`--no-pager -o json -u falco-modern-bpf.service --since=@${Date.parse('2026-12-03T10:00:00.000Z') / 1000}`);
    expect(r.read.notes).to.deep.equal([`file_output ${join(dir, 'a.txt')} is not JSON (json_output is false): reading the journal`]);
  });

  it('no JSON file_output and no active unit: a clear error after 1 round trip', async () => {
    writeFileSync(join(dir, 'bin', 'systemctl'), '#!/bin/sh\nexit 0\n');
    writeFileSync(falcoYaml(), 'json_output: true\n');
    const conn = await new LocalProvider().get('h1', {});
    const err = await readAlerts(conn, '2026-12-03T10:00:00.000Z', { become: false, maxBytes: 1 << 20, mainConfig: falcoYaml() }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.equal(`no alert source: no JSON file_output in ${falcoYaml()} and no active Falco unit`);
    expect(conn.stats.roundTrips).to.equal(1);
  });
});
