/**
 * The stand-in falcoctl: `driver config` writes engine.kind where the real one does
 * (<falco config dir>/config.d/engine-kind-falcoctl.yaml, only when falco.yaml uses a driver),
 * auto-selection, `driver install` for kmod/modern_ebpf, printenv, and how falco merges it.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { NEW_VERSION, OLD_VERSION, falco, falcoctl, isolatedEnv, standinFixture, waitFor } from './support.js';

function workspace(engineKind: string, btf: boolean) {
  const dir = mkdtempSync(join(standinFixture().dir, 'falcoctl-'));
  writeFileSync(join(dir, 'falco.yaml'), `config_files: ["${dir}/config.d"]\nrules_files: ["${dir}/r.yaml"]\nengine:\n  kind: ${engineKind}\n`);
  writeFileSync(join(dir, 'r.yaml'), '[]\n');
  const sys = join(dir, 'sys');
  mkdirSync(join(sys, 'kernel/btf'), { recursive: true });
  if (btf) writeFileSync(join(sys, 'kernel/btf/vmlinux'), '');
  const flags = ['--falco-config-dir', dir, '--config', join(dir, 'falcoctl.yaml')];
  return { dir, sys, flags, env: { FALCO_STANDIN_SYS_ROOT: sys } };
}

describe('falcoctl stand-in', function () {
  this.timeout(60_000);
  before(() => standinFixture());

  it('driver config writes config.d/engine-kind-falcoctl.yaml and stores the driver; falco merges it, -o wins', () => {
    const w = workspace('modern_ebpf', true);
    const r = falcoctl(NEW_VERSION, ['driver', 'config', '--type', 'kmod', ...w.flags], w.env);
    expect(r.status, r.stderr).to.equal(0);
    expect(parse(readFileSync(join(w.dir, 'config.d/engine-kind-falcoctl.yaml'), 'utf8'))).to.deep.equal({ engine: { kind: 'kmod' } });
    expect(parse(readFileSync(join(w.dir, 'falcoctl.yaml'), 'utf8')).driver.type).to.deep.equal(['kmod']);
    const env = falcoctl(NEW_VERSION, ['driver', 'printenv', ...w.flags], w.env);
    expect(env.stdout).to.include('DRIVER="kmod"');

    const merged = JSON.parse(falco(NEW_VERSION, ['-c', join(w.dir, 'falco.yaml'), '--support']).stdout);
    expect(merged.config.engine).to.deep.equal({ kind: 'kmod' });
    const overridden = JSON.parse(falco(NEW_VERSION, ['-c', join(w.dir, 'falco.yaml'), '-o', 'engine.kind=modern_ebpf', '--support']).stdout);
    expect(overridden.config.engine.kind).to.equal('modern_ebpf');
  });

  it('leaves Falco alone when falco.yaml does not use a driver engine', () => {
    const w = workspace('nodriver', true);
    const r = falcoctl(NEW_VERSION, ['driver', 'config', '--type', 'modern_ebpf', ...w.flags], w.env);
    expect(r.status).to.equal(0);
    expect(r.stderr).to.include('Falco is not configured to run with a driver');
    expect(existsSync(join(w.dir, 'config.d/engine-kind-falcoctl.yaml'))).to.equal(false);
  });

  it('with several --type values picks modern_ebpf only when BTF exists', () => {
    for (const [btf, chosen] of [[true, 'modern_ebpf'], [false, 'kmod']] as const) {
      const w = workspace('modern_ebpf', btf);
      expect(falcoctl(NEW_VERSION, ['driver', 'config', '--type', 'modern_ebpf', '--type', 'kmod', ...w.flags], w.env).status).to.equal(0);
      expect(parse(readFileSync(join(w.dir, 'config.d/engine-kind-falcoctl.yaml'), 'utf8')).engine.kind, `btf=${btf}`).to.equal(chosen);
    }
  });

  it('rejects the legacy ebpf type from 0.44 on, accepts it in 0.43', () => {
    const w = workspace('modern_ebpf', true);
    const rejected = falcoctl(NEW_VERSION, ['driver', 'config', '--type', 'ebpf', ...w.flags], w.env);
    expect(rejected.status).to.equal(1);
    expect(rejected.stderr).to.include('invalid argument "ebpf" for "--type" flag');
    expect(falcoctl(OLD_VERSION, ['driver', 'config', '--type', 'ebpf', ...w.flags], w.env).status).to.equal(0);
  });

  it('driver install: nothing to do for modern_ebpf; kmod needs the (configurable) module', () => {
    const w = workspace('modern_ebpf', true);
    expect(falcoctl(NEW_VERSION, ['driver', 'install', '--type', 'modern_ebpf', ...w.flags], w.env).status).to.equal(0);
    const missing = falcoctl(NEW_VERSION, ['driver', 'install', '--type', 'kmod', '--download=false', ...w.flags],
      { ...w.env, FALCO_STANDIN_KMOD_NAME: 'scap' });
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.include("module 'scap' is not available");
    mkdirSync(join(w.sys, 'module/scap'), { recursive: true });
    const loaded = falcoctl(NEW_VERSION, ['driver', 'install', '--type', 'kmod', ...w.flags], { ...w.env, FALCO_STANDIN_KMOD_NAME: 'scap' });
    expect(loaded.status, loaded.stderr).to.equal(0);
    expect(falcoctl(NEW_VERSION, ['version']).stdout).to.match(/^Client Version: \d+\.\d+\.\d+/);
  });

  it('artifact follow idles until SIGTERM, then exits 0 (ExecStart of the follower unit)', async () => {
    const bin = join(standinFixture().roots[NEW_VERSION], 'usr/bin/falcoctl');
    const child = spawn(bin, ['artifact', 'follow', '--allowed-types=rulesfile'], { env: { ...process.env, ...isolatedEnv() } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('follower start', () => err.includes('Creating follower') || undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode, 'still running').to.equal(null);
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});
