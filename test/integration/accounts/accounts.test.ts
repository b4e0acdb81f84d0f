/**
 * user and group over real SSH on a fresh lite sandbox host (its own /etc/passwd): accounts.yml run
 * twice by falco-deploy must give, task by task, the results ansible-core 2.14 gave on a fresh host
 * (ansible-results.json, recorded by record.py), and leave the same accounts, homes and owners.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI = resolve(HERE, '../../../bin/falco-deploy.js');
const NAME = 'accounts';
const recorded = JSON.parse(readFileSync(join(HERE, 'ansible-results.json'), 'utf8')) as { runs: Record<string, unknown>[][] };

/** Keys that differ by nature: timings, tool internals, and the failed flag (the status says it). */
const VOLATILE = new Set(['invocation', 'start', 'end', 'delta', 'warnings', 'failed']);

function normalize(r: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k) && !k.startsWith('_ansible')));
  // output masks every secret-named key; Ansible's placeholder is not the password either
  if (out.password === '********') out.password = 'NOT_LOGGING_PASSWORD';
  return out;
}

describe('user and group against recorded ansible-core 2.14 results (lite sandbox, root)', function () {
  this.timeout(180_000);
  let sb: SandboxInfo;
  let dir: string;

  const run = () => {
    const r = spawnSync('node', [CLI, 'run', join(HERE, 'accounts.yml'), '-i', sb.inventory, '--json'], { encoding: 'utf8' });
    const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return events.filter((e) => e.type === 'host_result') as { task: string; result: Record<string, unknown> }[];
  };

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-accounts-'));
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 1, dir: join(dir, 'sandbox') });
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [i, label] of ['first run (everything new)', 'second run (the same playbook again)'].entries()) {
    it(`${label}: every task's result as ansible-core's, and the same accounts and homes after`, () => {
      const ours = run();
      const theirs = recorded.runs[i]!;
      expect(ours.map((e) => e.task), 'tasks run').to.have.length(theirs.length);
      ours.forEach((e, n) => expect(normalize(e.result), `task ${e.task}`).to.deep.equal(normalize(theirs[n]!)));
    });
  }
});
