/**
 * Modules that change system state (user, group, debconf, cron, hostname, timezone, apt_key) over real
 * SSH on fresh lite sandbox hosts (each its own /etc/passwd, debconf database, crontabs, /etc/hostname,
 * UTS namespace, /etc/localtime and apt keyrings; the stand-in Falco repository and its signing key at
 * /srv/falco-repo): each <name>.yml run twice by falco-deploy must
 * give, task by task, the results ansible-core 2.14 gave on a fresh host (<name>.ansible.json,
 * recorded by record.py). Each playbook ends with a task that prints the host state it left.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';
import { prepareSandboxRepo } from '../../../src/sandbox/falco-repo.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI = resolve(HERE, '../../../bin/falco-deploy.js');
const NAME = 'recorded-modules';
/** Playbook -> how many runs are compared (apt-keys ends as it began: a second run would only repeat the first). */
const RUNS: Record<string, number> = { accounts: 2, debconf: 2, cron: 2, 'hostname-timezone': 2, 'apt-keys': 1 };
const PLAYBOOKS = Object.keys(RUNS);

/** Keys that differ by nature: timings, tool internals, and the failed flag (the status says it). */
const VOLATILE = new Set(['invocation', 'start', 'end', 'delta', 'warnings', 'failed']);

/** The repository key is new on every build: record.py stored its fingerprint and key ids as placeholders, filled in here. */
function withKey(r: Record<string, unknown>, fpr: string): Record<string, unknown> {
  let text = JSON.stringify(r);
  for (const [form, name] of [[fpr, 'fpr'], [fpr.slice(-16), 'fpr16'], [fpr.slice(-8), 'fpr8']]) {
    text = text.split(`{${name}}`).join(form).split(`{${name}_lower}`).join(form.toLowerCase());
  }
  return JSON.parse(text) as Record<string, unknown>;
}

function normalize(r: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k) && !k.startsWith('_ansible')));
  // output masks every secret-named key; Ansible's placeholder is not the password either
  if (out.password === '********') out.password = 'NOT_LOGGING_PASSWORD';
  // cron's backup is a mkstemp file: only its directory and prefix are the same each run
  if (typeof out.backup_file === 'string') out.backup_file = out.backup_file.replace(/^\/tmp\/crontab.{8}$/, '/tmp/crontabXXXXXXXX');
  // apt-key runs gpg from a random temp dir and says so on stdout
  if (typeof out.stdout === 'string') out.stdout = out.stdout.replace(/apt-key-gpghome\.\w+/g, 'apt-key-gpghome.X');
  if (Array.isArray(out.stdout_lines)) out.stdout_lines = out.stdout_lines.map((l) => String(l).replace(/apt-key-gpghome\.\w+/g, 'apt-key-gpghome.X'));
  return out;
}

describe('user, group, debconf, cron, hostname, timezone, apt_key against recorded ansible-core 2.14 results (lite sandbox, root)', function () {
  this.timeout(240_000);
  let sb: SandboxInfo;
  let dir: string;
  let fingerprint: string;

  type Results = { task: string; result: Record<string, unknown> }[];
  /** Per playbook, the host results of its first and second run. */
  const runs = new Map<string, Results[]>();

  const run = async (playbook: string, host: string): Promise<Results> => {
    // a failed task exits non-zero: the results are what is compared
    const r = await promisify(execFile)('node', [CLI, 'run', join(HERE, `${playbook}.yml`), '-i', sb.inventory, '--limit', host, '--json'], { maxBuffer: 64 << 20 })
      .catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return events.filter((e) => e.type === 'host_result');
  };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-recorded-modules-'));
    const falco = prepareSandboxRepo(NAME);
    fingerprint = falco.repo.fingerprint;
    sb = await sandboxUp({
      name: NAME,
      kind: 'lite',
      hosts: PLAYBOOKS.length,
      dir: join(dir, 'sandbox'),
      inventoryVars: { ...falco.vars, apt_key_fixture_dir: falco.repo.dir },
      bindMounts: [falco.bind],
    });
    // one host per playbook: the playbooks run side by side, each RUNS times in a row
    await Promise.all(PLAYBOOKS.map(async (playbook, h) => {
      const host = sb.hosts[h]!.name;
      const results: Results[] = [];
      for (let i = 0; i < RUNS[playbook]!; i++) results.push(await run(playbook, host));
      runs.set(playbook, results);
    }));
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const playbook of PLAYBOOKS) {
    const recorded = JSON.parse(readFileSync(join(HERE, `${playbook}.ansible.json`), 'utf8')) as { runs: Record<string, unknown>[][] };
    for (const [i, label] of ['first run', 'second run'].slice(0, RUNS[playbook]).entries()) {
      it(`${playbook}.yml, ${label}: every task's result and the host state after as ansible-core's`, () => {
        const ours = runs.get(playbook)![i]!;
        const theirs = recorded.runs[i]!;
        expect(ours.map((e) => e.task), 'tasks run').to.have.length(theirs.length);
        ours.forEach((e, n) => expect(normalize(e.result), `task ${e.task}`).to.deep.equal(normalize(withKey(theirs[n]!, fingerprint))));
      });
    }
  }
});
