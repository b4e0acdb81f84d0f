/**
 * `--syntax-check` that Ansible accepts, we accept: every compatibility-corpus playbook
 * (test/cases/compat/<case>/playbook.yml) is loaded by ansible-playbook 2.14 and by
 * falco-deploy, from the case directory (so its ansible.cfg counts); both must exit 0.
 * Touches no host; needs ansible-core.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CASES = fileURLToPath(new URL('../../cases/compat', import.meta.url));
const CLI = resolve(fileURLToPath(new URL('../../../bin/falco-deploy.js', import.meta.url)));

describe('compatibility corpus: --syntax-check accepted by ansible-playbook and falco-deploy', function () {
  this.timeout(120_000);
  const inventory = join(mkdtempSync(join(tmpdir(), 'fd-syntax-')), 'hosts.ini');
  writeFileSync(inventory, 'localhost\n');

  for (const name of readdirSync(CASES).sort()) {
    const dir = join(CASES, name);
    it(name, () => {
      const ansible = spawnSync('ansible-playbook', ['-i', 'localhost,', '--syntax-check', 'playbook.yml'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
      });
      expect(ansible.status, `ansible-playbook --syntax-check:\n${ansible.stdout}${ansible.stderr}`).to.equal(0);
      const ours = spawnSync('node', [CLI, 'run', 'playbook.yml', '-i', inventory, '--syntax-check'], { cwd: dir, encoding: 'utf8' });
      expect(ours.status, `falco-deploy --syntax-check:\n${ours.stdout}${ours.stderr}`).to.equal(0);
    });
  }
});
