/**
 * Plain output, line for line as ansible-playbook 2.14's default callback prints the same
 * playbook on localhost, or on the case's inventory.ini (recorded by record-ansible-output.sh):
 * only timings are left out.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/cli.js';

const casesDir = fileURLToPath(new URL('../cases/output/plain', import.meta.url));

/** Timings and the checkout's path differ run to run; Ansible's -v names its config file first; trailing spaces are invisible. */
function comparable(text: string, caseDir: string): string {
  return text
    .replaceAll(caseDir, '<case-dir>')
    .replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "…"')
    .split('\n')
    .filter((line) => !/^(No config file found; using defaults|Using .* as config file)$/.test(line))
    .map((line) => line.trimEnd())
    .join('\n');
}

describe('plain output matches ansible-playbook 2.14', () => {
  let workDir: string;
  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'plain-vs-ansible-'));
    writeFileSync(join(workDir, 'inventory.ini'), 'localhost ansible_connection=local\n');
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  for (const name of readdirSync(casesDir).sort()) {
    const dir = join(casesDir, name);
    const description = readFileSync(join(dir, 'playbook.yml'), 'utf8').split('\n')[0].replace(/^# /, '');
    it(`${name}: ${description}`, async () => {
      const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/) : [];
      const inventory = existsSync(join(dir, 'inventory.ini')) ? join(dir, 'inventory.ini') : join(workDir, 'inventory.ini');
      const run = await cli(['run', ...args, '-i', inventory, join(dir, 'playbook.yml')]);
      expect(comparable(run.stdout, dir)).to.equal(comparable(readFileSync(join(dir, 'ansible.txt'), 'utf8'), dir));
    });
  }
});
