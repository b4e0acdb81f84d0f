/**
 * The stand-in daemon run locally on 127.0.0.1: webserver, real detectors (inotify on a
 * fake shadow file, /proc poller for shells), alert JSON, SIGHUP restarts, driver checks.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  NEW_VERSION, OLD_VERSION, freeLoopbackPort, httpGet, readLines, standinFixture, startDaemon, waitFor, type Daemon,
} from './support.js';

interface Setup {
  dir: string;
  port: number;
  config: string;
  events: string;
  shadow: string;
  sysRoot: string;
  env: NodeJS.ProcessEnv;
}

async function setup(version: string, extraYaml = ''): Promise<Setup> {
  const dir = mkdtempSync(join(standinFixture().dir, 'daemon-'));
  const port = await freeLoopbackPort();
  const sysRoot = join(dir, 'sys');
  mkdirSync(join(sysRoot, 'kernel/btf'), { recursive: true });
  writeFileSync(join(sysRoot, 'kernel/btf/vmlinux'), 'btf');
  mkdirSync(join(dir, 'rules.d'));
  const shadow = join(dir, 'shadow');
  writeFileSync(shadow, 'root:*:19000:0:99999:7:::\n');
  const events = join(dir, 'events.json');
  const config = join(dir, 'falco.yaml');
  writeFileSync(config, [
    `rules_files: ["${standinFixture().roots[version]}/etc/falco/falco_rules.yaml", "${dir}/rules.d"]`,
    'engine: {kind: modern_ebpf}',
    'json_output: true',
    `file_output: {enabled: true, keep_alive: false, filename: "${events}"}`,
    'stdout_output: {enabled: false}',
    'syslog_output: {enabled: false}',
    'log_syslog: false',
    `webserver: {enabled: true, listen_address: 127.0.0.1, listen_port: ${port}}`,
    extraYaml,
  ].join('\n'));
  const env = { FALCO_STANDIN_SYS_ROOT: sysRoot, FALCO_STANDIN_SHADOW_PATH: shadow, FALCO_STANDIN_POLL_MS: '100' };
  return { dir, port, config, events, shadow, sysRoot, env };
}

async function healthy(port: number) {
  return waitFor(`/healthz on ${port}`, async () => {
    const r = await httpGet(port, '/healthz');
    return r.status === 200 ? r : undefined;
  });
}

function alerts(s: Setup, rule: string): Record<string, any>[] {
  return readLines(s.events).map((l) => JSON.parse(l)).filter((a) => a.rule === rule);
}

async function stop(d: Daemon): Promise<number | null> {
  if (d.child.exitCode === null) d.child.kill('SIGTERM');
  return d.exited;
}

const SHADOW_RULE = 'Read sensitive file untrusted';
const SHELL_RULE = 'Run shell untrusted';
const HOT_RESTART_FAILURE = 'Falco internal: hot restart failure';
const DROP_RULE = 'Falco internal: syscall event drop';

describe('falco stand-in daemon (local, loopback only)', function () {
  this.timeout(60_000);
  const cleanup: (() => void)[] = [];
  afterEach(async () => {
    // every step runs even when one throws: a daemon or receiver left behind would keep mocha alive
    const errors: unknown[] = [];
    while (cleanup.length) {
      try {
        cleanup.pop()!();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw errors[0];
  });

  it('serves /healthz and /versions, alerts on real activity, and restarts on SIGHUP', async () => {
    const s = await setup(NEW_VERSION);
    const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => d.child.kill('SIGKILL'), () => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));

    const health = await healthy(s.port);
    expect(JSON.parse(health.body)).to.deep.equal({ status: 'ok' });
    const versions = JSON.parse((await httpGet(s.port, '/versions')).body);
    expect(versions).to.include({ falco_version: NEW_VERSION, engine_version_semver: '0.62.0', engine_version: '62' });
    expect((await httpGet(s.port, '/nope')).status).to.equal(404);

    // (a) opening the sensitive file
    expect(spawnSync('cat', [s.shadow]).status).to.equal(0);
    const [shadowAlert] = await waitFor('shadow alert', () => alerts(s, SHADOW_RULE)[0] ? alerts(s, SHADOW_RULE) : undefined);
    expect(shadowAlert).to.have.all.keys('hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time');
    expect(shadowAlert.priority).to.equal('Warning');
    expect(shadowAlert.source).to.equal('syscall');
    expect(shadowAlert.hostname).to.equal(hostname());
    expect(shadowAlert.output_fields['fd.name']).to.equal(s.shadow);
    expect(shadowAlert.output_fields['evt.time']).to.be.a('number');
    expect(shadowAlert.tags).to.include('mitre_credential_access');
    expect(shadowAlert.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(shadowAlert.output).to.match(/^\d\d:\d\d:\d\d\.\d{9}: Warning Sensitive file opened for reading by non-trusted program \| file=/);

    // (b) a shell that lives longer than one poll period
    const marker = `standin-${process.pid}-${Date.now()}`;
    spawnSync('bash', ['-c', `sleep 0.6; : ${marker}`]);
    const shell = await waitFor('shell alert', () =>
      alerts(s, SHELL_RULE).find((a) => String(a.output_fields['proc.cmdline']).includes(marker)));
    expect(shell.priority).to.equal('Notice');
    expect(shell.output_fields['proc.name']).to.equal('bash');

    // SIGHUP re-reads rules: disable the shadow rule, the shell rule keeps working
    writeFileSync(join(s.dir, 'rules.d/50-local.yaml'), `- rule: ${SHADOW_RULE}\n  enabled: false\n`);
    d.child.kill('SIGHUP');
    await waitFor('restart', () => (d.stderr().match(/Starting health webserver/g) ?? []).length >= 2 || undefined);
    await healthy(s.port);
    const before = alerts(s, SHADOW_RULE).length;
    spawnSync('cat', [s.shadow]);
    const marker2 = `${marker}-after-hup`;
    spawnSync('bash', ['-c', `sleep 0.6; : ${marker2}`]);
    await waitFor('shell alert after SIGHUP', () =>
      alerts(s, SHELL_RULE).find((a) => String(a.output_fields['proc.cmdline']).includes(marker2)));
    expect(alerts(s, SHADOW_RULE).length, 'disabled rule must not fire').to.equal(before);

    // a hot restart with broken rules is refused, like Falco: the alert "Falco internal: hot
    // restart failure" and the old rules keep running (a cold start with them would exit 1)
    writeFileSync(join(s.dir, 'rules.d/60-broken.yaml'), '- rule: Broken\n  desc: d\n');
    d.child.kill('SIGHUP');
    const [failure] = await waitFor('hot restart failure alert', () => (alerts(s, HOT_RESTART_FAILURE)[0] ? alerts(s, HOT_RESTART_FAILURE) : undefined));
    expect(failure.priority).to.equal('Critical');
    expect(failure.output).to.include("Item has no mapping for key 'condition'");
    expect(d.child.exitCode).to.equal(null);
    await healthy(s.port);
    const marker3 = `${marker}-after-failure`;
    spawnSync('bash', ['-c', `sleep 0.6; : ${marker3}`]);
    await waitFor('shell alert after the refused restart', () =>
      alerts(s, SHELL_RULE).find((a) => String(a.output_fields['proc.cmdline']).includes(marker3)));
    expect(await stop(d)).to.equal(0);
    const cold = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => cold.child.kill('SIGKILL'));
    expect(await cold.exited).to.equal(1);
  });

  it('file_output with keep_alive follows log rotation on SIGUSR1 (and without keep_alive at once)', async () => {
    for (const keepAlive of [true, false]) {
      const s = await setup(NEW_VERSION, '');
      writeFileSync(s.config, readFileSync(s.config, 'utf8').replace('keep_alive: false', `keep_alive: ${keepAlive}`));
      const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
      cleanup.push(() => d.child.kill('SIGKILL'), () => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
      await healthy(s.port);
      spawnSync('cat', [s.shadow]);
      await waitFor('first alert', () => alerts(s, SHADOW_RULE)[0]);
      renameSync(s.events, `${s.events}.1`);
      if (keepAlive) d.child.kill('SIGUSR1');
      // the signal is handled between two detector steps: trigger until an alert lands in the new file
      let triggers = 1;
      await waitFor(`alert in the new file (keep_alive ${keepAlive})`, async () => {
        spawnSync('cat', [s.shadow]);
        triggers++;
        await new Promise((r) => setTimeout(r, 300));
        return existsSync(s.events) ? alerts(s, SHADOW_RULE)[0] : undefined;
      });
      // the last triggers' alerts may still be on their way (a loaded machine): wait for them, then for strays
      const written = () => readLines(`${s.events}.1`).map((l) => JSON.parse(l)).filter((a) => a.rule === SHADOW_RULE).length + alerts(s, SHADOW_RULE).length;
      await waitFor('an alert for every trigger', () => written() >= triggers || undefined);
      await new Promise((r) => setTimeout(r, 500));
      expect(written(), 'every alert in one of the two files, once').to.equal(triggers);
      expect(await stop(d)).to.equal(0);
    }
  });

  it('honours the minimum priority and restarts by itself when a watched rules file changes', async () => {
    const s = await setup(NEW_VERSION, 'priority: warning');
    const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => d.child.kill('SIGKILL'), () => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    await healthy(s.port);
    const marker = `prio-${Date.now()}`;
    spawnSync('bash', ['-c', `sleep 0.6; : ${marker}`]);
    spawnSync('cat', [s.shadow]);
    await waitFor('shadow alert', () => alerts(s, SHADOW_RULE)[0]);
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts(s, SHELL_RULE), 'Notice is below the Warning threshold').to.have.length(0);

    writeFileSync(join(s.dir, 'rules.d/70-new.yaml'), '[]\n');
    await waitFor('automatic restart', () => d.stderr().includes('A config file has been modified') || undefined);
    await healthy(s.port);
    expect(await stop(d)).to.equal(0);
  });

  it('a SIGTERM that comes while a changed file makes it restart still stops it', async () => {
    // The watcher looks at the files every 5 detector steps (POLL_MS 100 ms). SIGTERMs sent every
    // 50 ms after a change cover the step in which the watcher sees it; a SIGTERM lost there left
    // `systemctl restart` waiting the unit's TimeoutSec (30 s) for its SIGKILL.
    const s = await setup(NEW_VERSION);
    cleanup.push(() => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    for (let delay = 0; delay <= 600; delay += 50) {
      const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
      cleanup.push(() => d.child.kill('SIGKILL'));
      await healthy(s.port);
      writeFileSync(join(s.dir, 'rules.d/70-new.yaml'), `# ${delay}\n[]\n`);
      await new Promise((r) => setTimeout(r, delay));
      d.child.kill('SIGTERM');
      const code = await Promise.race([d.exited, new Promise((r) => setTimeout(() => r('still running 5 s later'), 5000))]);
      expect(code, `SIGTERM ${delay} ms after the change`).to.equal(0);
    }
  });

  it('text file output, program_output and http_output (to a loopback receiver)', async () => {
    const received: { body: string; type?: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, type: req.headers['content-type'] });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const httpPort = (receiver.address() as { port: number }).port;
    const s = await setup(NEW_VERSION);
    const programOut = join(s.dir, 'program.txt');
    writeFileSync(s.config, readFileSync(s.config, 'utf8').replace('json_output: true', 'json_output: false') + [
      '',
      'time_format_iso_8601: true',
      `program_output: {enabled: true, keep_alive: false, program: "cat >> ${programOut}"}`,
      `http_output: {enabled: true, url: "http://127.0.0.1:${httpPort}/falco"}`,
    ].join('\n'));
    const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => d.child.kill('SIGKILL'), () => receiver.close(), () => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    await healthy(s.port);
    spawnSync('cat', [s.shadow]);
    // Any process started on this machine meanwhile raises its own alert: look for ours.
    const posted = await waitFor('http_output POST', () => received.find((r) => (JSON.parse(r.body) as { rule?: string }).rule === SHADOW_RULE));
    expect(posted.type).to.equal('application/json');
    expect(JSON.parse(posted.body)).to.include({ rule: SHADOW_RULE, priority: 'Warning' });
    const textLine = await waitFor('text alert', () => readLines(s.events).find((l) => l.includes('Sensitive file opened')));
    expect(textLine).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+0000: Warning Sensitive file opened for reading/);
    expect(readLines(programOut)).to.include(textLine);
    expect(await stop(d)).to.equal(0);
  });

  it('refuses engine.kind=kmod without the module, starts once /sys/module/<name> exists', async () => {
    const s = await setup(NEW_VERSION);
    cleanup.push(() => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    const refused = startDaemon(NEW_VERSION, ['-c', s.config, '-o', 'engine.kind=kmod'], s.env);
    expect(await refused.exited).to.equal(1);
    expect(refused.stderr()).to.include("Error: Unable to open the engine: kernel module 'falco' is not loaded");

    mkdirSync(join(s.sysRoot, 'module/scap'), { recursive: true });
    const d = startDaemon(NEW_VERSION, ['-c', s.config, '-o', 'engine.kind=kmod'], { ...s.env, FALCO_STANDIN_KMOD_NAME: 'scap' });
    cleanup.push(() => d.child.kill('SIGKILL'));
    await healthy(s.port);
    expect(d.stderr()).to.include("Opening 'syscall' source with Kernel module");
    expect(await stop(d)).to.equal(0);
  });

  it('refuses modern_ebpf without BTF and a busy webserver port', async () => {
    const s = await setup(NEW_VERSION);
    cleanup.push(() => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    const noBtf = startDaemon(NEW_VERSION, ['-c', s.config], { ...s.env, FALCO_STANDIN_SYS_ROOT: join(s.dir, 'empty') });
    expect(await noBtf.exited).to.equal(1);
    expect(noBtf.stderr()).to.include('the modern BPF probe needs BTF');

    const first = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => first.child.kill('SIGKILL'));
    await healthy(s.port);
    const second = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    expect(await second.exited).to.equal(1);
    expect(second.stderr()).to.include(`Failed to start webserver on 127.0.0.1:${s.port}`);
    expect(await stop(first)).to.equal(0);
  });

  it('syscall_event_drops.simulate_drops: Falco\'s Debug drop alerts, whatever the minimum priority, throttled by rate/max_burst; the exit action stops it', async () => {
    const s = await setup(NEW_VERSION, 'priority: warning\nsyscall_event_drops: {actions: [log, alert], rate: 1, max_burst: 1, simulate_drops: true}');
    const d = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => d.child.kill('SIGKILL'), () => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    await healthy(s.port);
    const drops = await waitFor('two drop alerts', () => (alerts(s, DROP_RULE).length >= 2 ? alerts(s, DROP_RULE) : undefined));
    expect(drops[0]).to.deep.include({ priority: 'Debug', source: 'internal', output: `${DROP_RULE}. 1 system calls dropped in last second.` });
    expect(drops[0]!.output_fields).to.include({ n_drops: '1', ebpf_enabled: '1' });
    const gapMs = Date.parse(drops[1]!.time.slice(0, 23) + 'Z') - Date.parse(drops[0]!.time.slice(0, 23) + 'Z');
    expect(gapMs, 'one a second at rate 1').to.be.at.least(900);
    expect(d.stderr()).to.include(`${DROP_RULE}. 1 system calls dropped in last second.`);
    expect(await stop(d)).to.equal(0);

    writeFileSync(s.config, readFileSync(s.config, 'utf8').replace('actions: [log, alert]', 'actions: [exit]'));
    const exiting = startDaemon(NEW_VERSION, ['-c', s.config], s.env);
    cleanup.push(() => exiting.child.kill('SIGKILL'));
    expect(await exiting.exited).to.equal(1);
    expect(exiting.stderr()).to.include('Exiting.');
  });

  it('0.43.0 accepts engine.kind=ebpf in config but fails to open the missing legacy probe', async () => {
    const s = await setup(OLD_VERSION);
    cleanup.push(() => rmSync(s.dir, { recursive: true, force: true, maxRetries: 5 }));
    const d = startDaemon(OLD_VERSION, ['-c', s.config, '-o', 'engine.kind=ebpf', '-o', `engine.ebpf.probe=${s.dir}/none.o`], s.env);
    expect(await d.exited).to.equal(1);
    expect(d.stderr()).to.include('unable to load the BPF probe');
  });
});
