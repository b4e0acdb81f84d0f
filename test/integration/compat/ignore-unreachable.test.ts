/**
 * ignore_unreachable against ansible-playbook (test/cases/ignore-unreachable/): each playbook runs
 * under ansible-playbook on one lite sandbox host and under falco-deploy on its twin, with the same
 * fault (ssh port refusing from the play's start, or from mid-play; or the connection reset between
 * two tasks while the host stays reachable). The recaps, the registered
 * results (less the tools' own error text) and the exit codes (ansible's 4 is our 3) must match.
 * Needs root (sandbox) and ansible-core.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxFault, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { netnsName } from '../../../src/sandbox/naming.js';

const CASES = fileURLToPath(new URL('../../cases/ignore-unreachable', import.meta.url));
const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));
const NAME = process.env.FD_UNREACH_SANDBOX ?? 'unreach';
const RECAP_KEYS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;
/** ansible-playbook's exit codes in falco-deploy's words (docs/exit-codes.md): 4 unreachable is our 3. */
const OUR_EXIT: Record<number, number> = { 0: 0, 2: 2, 4: 3 };

interface Run {
  exitCode: number | null;
  stats: Record<string, number>;
  registered: unknown;
  out: string;
}

/** The registered results, each without its msg (the tools word connection errors their own way). */
function registered(file: string): unknown {
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(all).map(([k, { msg, ...rest }]) => [k, { ...rest, msg: typeof msg }]));
}

function ansible(sb: SandboxInfo, playbook: string, host: string, extra: Record<string, unknown>): Run {
  const args = ['-i', sb.inventory, '--limit', host, '-T', '3', join(CASES, playbook), '-e', JSON.stringify(extra)];
  const r = spawnSync('ansible-playbook', args, { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' } });
  const line = new RegExp(`^${host}\\s+:(.*)$`, 'm').exec(r.stdout);
  if (!line) throw new Error(`ansible-playbook gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const stats = Object.fromEntries(RECAP_KEYS.map((k) => [k, Number(new RegExp(`\\b${k}=(\\d+)`).exec(line[1])?.[1])]));
  return { exitCode: r.status === null ? null : (OUR_EXIT[r.status] ?? r.status), stats, registered: registered(String(extra.out)), out: r.stdout };
}

function falcoDeploy(sb: SandboxInfo, playbook: string, host: string, extra: Record<string, unknown>): Run {
  const args = [CLI, 'run', join(CASES, playbook), '-i', sb.inventory, '--limit', host, '-T', '3', '-e', JSON.stringify(extra)];
  const r = spawnSync('node', args, { encoding: 'utf8' });
  const line = new RegExp(`^${host}\\s+:(.*)$`, 'm').exec(r.stdout);
  if (!line) throw new Error(`falco-deploy gave no recap (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const stats = Object.fromEntries(RECAP_KEYS.map((k) => [k, Number(new RegExp(`\\b${k}=(\\d+)`).exec(line[1])?.[1])]));
  return { exitCode: r.status, stats, registered: registered(String(extra.out)), out: r.stdout + r.stderr };
}

describe('ignore_unreachable: ansible-playbook vs falco-deploy (sandbox, root)', function () {
  this.timeout(120_000);
  let sb: SandboxInfo;
  let work: string;
  let hosts: [string, string];
  const fault = (h: string, action: 'refuse' | 'up') => sandboxFault(NAME, h, action, { dir: join(work, 'sandbox') });

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    work = mkdtempSync(join(tmpdir(), 'fd-unreach-'));
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 2, dir: join(work, 'sandbox') });
    hosts = [sb.hosts[0].name, sb.hosts[1].name];
  });

  afterEach(async () => {
    for (const h of hosts ?? []) await fault(h, 'up');
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(work, 'sandbox') });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Both tools, each on its own twin host; `extra` gets the host's netns and an output file. */
  function both(playbook: string, extra: Record<string, unknown> = {}): { a: Run; f: Run } {
    const vars = (h: string, tool: string) => ({ ...extra, fault_netns: netnsName(h), out: join(work, `${tool}-${playbook}.json`) });
    return { a: ansible(sb, playbook, hosts[0], vars(hosts[0], 'ansible')), f: falcoDeploy(sb, playbook, hosts[1], vars(hosts[1], 'ours')) };
  }

  function expectSame({ a, f }: { a: Run; f: Run }, expected: Partial<Record<string, number>>): void {
    const both = `\n--- ansible-playbook:\n${a.out}\n--- falco-deploy:\n${f.out}`;
    expect(f.stats, `recap${both}`).to.deep.equal(a.stats);
    expect(f.registered, `registered${both}`).to.deep.equal(a.registered);
    expect(f.exitCode, `exit code${both}`).to.equal(a.exitCode);
    // what ansible-playbook was recorded doing (docs/ansible-compatibility.md): the comparison compares something
    expect(a.stats, `ansible-playbook${both}`).to.include(expected);
  }

  for (const iu of [true, false]) {
    it(`unreachable from the play's start, templated ignore_unreachable ${iu}`, async () => {
      for (const h of hosts) await fault(h, 'refuse');
      const run = both('start.yml', { iu });
      expectSame(run, { unreachable: 1, ignored: iu ? 2 : 1 });
      const lost = { changed: false, msg: 'string', unreachable: true };
      expect(run.f.registered).to.deep.equal(iu ? { r1: lost, r2: lost } : { r1: lost });
      expect(run.f.out).to.match(/fatal: \[\S+\]: UNREACHABLE! => .*\n\.\.\.ignoring\n/);
    });
  }

  it('ignore_unreachable on the play, fact gathering included', async () => {
    for (const h of hosts) await fault(h, 'refuse');
    expectSame(both('playlevel.yml'), { unreachable: 0, ignored: 3 });
  });

  it('unreachable from mid-play: the lost connection is ignored once, then the host leaves the play', () => {
    expectSame(both('midplay.yml'), { unreachable: 1, ignored: 1 });
  });

  it('a connection reset between tasks or plays while the host stays reachable: the next task or fact gathering connects again', () => {
    const run = both('mended.yml');
    expectSame(run, { ok: 9, unreachable: 0, failed: 0 });
    expect(run.f.registered).to.deep.equal({ r1: { stdout: 'first', msg: 'undefined' }, r2: { stdout: 'again', msg: 'undefined' } });
  });
});
