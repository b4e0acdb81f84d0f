/**
 * `up` that fails or is killed midway: what it created is removed (by itself on failure, by
 * `down` from the incrementally written state.json after a crash). Needs root.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxState } from '../../../src/sandbox/index.js';
import { sleep } from '../../../src/sandbox/exec.js';
import { readRegistry } from '../../../src/sandbox/registry.js';
import { mountPointsUnder, netnsNames, pidAlive, processesWithArgUnder } from './helpers.js';

const tag = process.pid.toString(36);

describe('sandbox up failures leave nothing behind (integration)', function () {
  this.timeout(120_000);
  let base: string;
  before(function () {
    if (process.getuid?.() !== 0) this.skip();
    base = mkdtempSync(join(tmpdir(), 'fd-sandbox-rec-'));
  });
  after(() => base && rmSync(base, { recursive: true, force: true }));

  function assertGone(state: SandboxState): void {
    for (const h of state.hosts) {
      for (const p of [h.launcher, h.init]) if (p) expect(pidAlive(p.pid), `${h.name} pid ${p.pid}`).to.equal(false);
      expect(netnsNames()).to.not.include(h.netns);
      if (h.veth) expect(existsSync(`/sys/class/net/${h.veth}`), h.veth).to.equal(false);
      for (const cg of h.cgroups ?? []) expect(existsSync(cg), cg).to.equal(false);
    }
    expect(processesWithArgUnder(state.dir), 'processes of this sandbox still running').to.deep.equal([]);
    expect(mountPointsUnder(state.dir)).to.deep.equal([]);
    expect(existsSync(join(state.dir, 'state.json'))).to.equal(false);
    expect(readRegistry().sandboxes).to.not.have.property(state.name);
  }

  it('a host that is not ready in time fails `up`, which tears down and names the hosts', async () => {
    const name = `itf-${tag}`;
    const dir = join(base, 'new-parent', 'fail');
    let snapshot: SandboxState | undefined;
    let error: Error | undefined;
    await sandboxUp({
      hosts: 2,
      kind: 'systemd',
      name,
      dir,
      readyTimeoutMs: 1, // nothing can boot in 1 ms
      log: (line) => {
        if (line.includes('waiting for ssh')) snapshot = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SandboxState;
      },
    }).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/2 of 2 sandbox hosts did not come up: itf-.*-s1 \(timed out: /);
    expect(snapshot?.hosts.every((h) => h.launcher && h.overlayMount && h.netns && h.cgroups?.length)).to.equal(true);
    assertGone(snapshot!);
    expect(existsSync(join(base, 'new-parent')), 'a parent dir up created').to.equal(false);
  });

  it('after `up` is SIGKILLed midway, `down` removes what its state.json recorded', async () => {
    const name = `itk-${tag}`;
    const dir = join(base, 'killed');
    const mainUrl = pathToFileURL(fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url))).href;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import { main } from ${JSON.stringify(mainUrl)}; process.exitCode = await main(process.argv.slice(1));`,
        'sandbox', 'up', '--hosts', '20', '--kind', 'lite', '--name', name, '--dir', dir],
      { stdio: 'ignore' },
    );
    // Kill it once the hosts' networks are recorded: somewhere while creating them, launching
    // (pids not yet in state.json) or waiting for ssh; never after it reports ready.
    let state: SandboxState | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SandboxState;
        if (s.hosts.some((h) => h.netns)) {
          state = s;
          break;
        }
      } catch {
        // not written yet, or being renamed into place
      }
      await sleep(5);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(state, 'up never recorded a host network').to.not.equal(undefined);
    const final = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SandboxState;
    expect(final.ready).to.equal(false);

    const [result] = await sandboxDown({ name });
    expect(result.hosts).to.equal(20);
    assertGone(final);
  });

  it('`down` also finds a launched host whose pids never reached state.json', async () => {
    const name = `itu-${tag}`;
    const info = await sandboxUp({ hosts: 2, kind: 'lite', name, dir: join(base, 'unrecorded') });
    const file = join(info.dir, 'state.json');
    const full = JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
    const forgetful = structuredClone(full);
    delete forgetful.hosts[1].launcher;
    delete forgetful.hosts[1].init;
    writeFileSync(file, JSON.stringify(forgetful));
    expect(pidAlive(full.hosts[1].launcher!.pid)).to.equal(true);
    await sandboxDown({ name });
    assertGone(full);
  });
});
