/**
 * apt_repository's planned commands run for real: each in its own mount namespace where
 * /etc/apt/sources.list.d is a temp dir, with an `apt-get` first in PATH that fails its update.
 * As Ansible's revert_sources_list, a failed cache update leaves the sources as they were.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbedFacts } from '../../../src/facts/request.js';
import type { ModuleContext } from '../../../src/modules/contract.js';
import { findModule } from '../../../src/modules/registry.js';
import { quote } from '../../../src/shell/quote.js';

const ctx = { host: 'local', facts: {}, check: false, diff: false, become: false } as unknown as ModuleContext;

describe('apt_repository: a failed cache update reverts the sources (local, mount namespace)', function () {
  let dir: string;
  let bin: string;
  before(function () {
    if (process.getuid?.() !== 0 || spawnSync('unshare', ['-m', 'true']).status !== 0) this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-aptrepo-'));
    bin = mkdtempSync(join(tmpdir(), 'fd-aptbin-'));
    writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\necho "E: The repository is not signed." >&2\nexit 100\n', { mode: 0o755 });
  });
  afterEach(() => [dir, bin].forEach((d) => rmSync(d, { recursive: true, force: true })));

  function run(command: string, stdin?: string | Buffer) {
    const script = `mount --bind ${quote(dir)} /etc/apt/sources.list.d && ${command}`;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      input: stdin ?? '',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), exitCode: r.status ?? -1, durationMs: 0 };
  }

  async function apply(args: Record<string, unknown>) {
    const mod = findModule('apt_repository')!;
    const facts: Record<string, unknown> = {};
    for (const p of await mod.probes(args, ctx)) facts[p.key] = p.parse(run(p.command));
    const plan = await mod.plan(args, new ProbedFacts(facts), ctx);
    const results = [];
    for (const c of plan.commands) {
      const r = run(c.command, c.stdin);
      results.push(r);
      if (r.exitCode !== 0) break;
    }
    return results;
  }

  it('a new source file is removed again', async () => {
    writeFileSync(join(dir, 'other.list'), 'deb http://127.0.0.1:9/debian stable main\n');
    const results = await apply({ repo: 'deb http://127.0.0.1:9/falco stable main', filename: 'falco', update_cache: true });
    expect(results.at(-1)!.exitCode).to.equal(100);
    expect(results.at(-1)!.stderr).to.include('not signed');
    expect(readdirSync(dir)).to.deep.equal(['other.list']);
  });

  it('a changed source file gets its old content back', async () => {
    const old = '# deb http://127.0.0.1:9/falco stable main\ndeb http://127.0.0.1:9/debian stable main\n';
    writeFileSync(join(dir, 'falco.list'), old);
    const results = await apply({ repo: 'deb http://127.0.0.1:9/falco stable main', update_cache: true });
    expect(results).to.have.length(2); // the write, then the failed update
    expect(results.at(-1)!.exitCode).to.equal(100);
    expect(readFileSync(join(dir, 'falco.list'), 'utf8')).to.equal(old);
    expect(readdirSync(dir)).to.deep.equal(['falco.list']);
  });
});
