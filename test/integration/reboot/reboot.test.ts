/**
 * reboot on one systemd sandbox host (nspawn, relaunched when the container reboots, as a machine
 * comes back): reboot.yml run by falco-deploy must register, task by task, what ansible-core 2.14
 * registered on such a host (reboot.ansible.json, recorded by record.py): a real reboot (new boot
 * id, the next task on a new connection), check mode, and the plugin's failures and timeouts.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const CLI = resolve(here('../../../bin/falco-deploy.js'));
const NAME = 'reboot-rbt';

/** Timings and tool internals; `failed` (the status says it). */
const VOLATILE = new Set(['start', 'end', 'delta', 'invocation', 'failed', 'stdout', 'stdout_lines']);

/**
 * Ansible's ssh runs these commands on a tty: stderr comes in stdout with \r\n, and OpenSSH's
 * closing notice in stderr. Transport noise, not the plugin's.
 */
function normalize(r: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k) && !k.startsWith('_ansible')));
  if (typeof out.msg === 'string') out.msg = out.msg.replace(/Shared connection to \S+ closed\.(\r\n)?/g, '').replace(/\r\n/g, '\n');
  if (typeof out.elapsed === 'number') out.elapsed = 'a number';
  return out;
}

describe('reboot on a systemd sandbox host matches ansible-core 2.14 (root)', function () {
  this.timeout(180_000);
  let sb: SandboxInfo;
  let dir: string;
  let events: { type: string; task: string; status: string; result: Record<string, unknown> }[] = [];
  let status: number | null;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-reboot-'));
    sb = await sandboxUp({ name: NAME, kind: 'systemd', hosts: 1, dir: join(dir, 'sandbox') });
    const run = spawnSync('node', [CLI, 'run', here('./reboot.yml'), '-i', sb.inventory, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    status = run.status;
    events = run.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'host_result');
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every task registers what ansible-core registered (elapsed: a number); the play ends ok', () => {
    const recorded = JSON.parse(readFileSync(here('./reboot.ansible.json'), 'utf8')) as { results: Record<string, unknown>[] };
    expect(events.map((e) => e.task), 'tasks run').to.have.length(recorded.results.length);
    events.forEach((e, n) => {
      const theirs = normalize(recorded.results[n]!);
      // an error the plugin raises (AnsibleError) leaves no changed key in Ansible's result; ours always says it
      if (!('changed' in theirs)) theirs.changed = false;
      expect(normalize(e.result), `task ${e.task}`).to.deep.equal(theirs);
    });
    expect(status, 'exit code: every failure was ignored').to.equal(0);
  });

  it('the reboot reconnected: the task after it ran on the rebooted host (new boot id)', () => {
    const [before, , after] = events;
    expect(before!.result.stdout).to.be.a('string').and.not.equal(after!.result.stdout);
    expect(events[1]!.status).to.equal('changed');
  });
});
