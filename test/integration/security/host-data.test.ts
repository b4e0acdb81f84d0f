/**
 * A compromised managed host must never run code on the controller: facts (/etc/os-release) and
 * command output it returns are data, printed as they are, by the shipped site.yml too.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, type SandboxInfo } from '../../../src/sandbox/index.js';

const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const CLI = join(ROOT, 'bin/falco-deploy.js');
const NAME = 'sec-hostdata';

describe('host data is never templated on the controller (sandbox, root)', function () {
  this.timeout(180_000);
  let sb: SandboxInfo;
  let dir: string;
  let marker: string;
  let payload: string;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'fd-sec-hostdata-'));
    marker = join(dir, 'pwned');
    // What an attacker who owns the host writes where the controller reads it.
    // No dots: the version facts split VERSION_ID at them.
    payload = `{{range["constructor"]("return(process[\`getBuiltinModule\`](\`fs\`)[\`writeFileSync\`](\`${marker}\`,\`x\`))")()}}`;
    writeFileSync(join(dir, 'secret.key'), 'FLEET-PRIVATE-KEY\n');
    writeFileSync(join(dir, 'os-release'), `ID='x{{ 7*7 }}'\nVERSION_ID='${payload}'\n`);
    writeFileSync(join(dir, 'motd'), `A{{ 7*7 }}B {{ lookup('file', '${join(dir, 'secret.key')}') }}\n`);
    writeFileSync(join(dir, 'hostile.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - copy: { src: ${join(dir, 'os-release')}, dest: /etc/os-release }
    - copy: { src: ${join(dir, 'motd')}, dest: /tmp/motd }
`);
    writeFileSync(join(dir, 'read.yml'), `- hosts: all
  tasks:
    - command: cat /tmp/motd
      register: motd
      changed_when: false
    - name: show
      debug: msg="{{ motd.stdout }} on {{ ansible_facts.distribution }}"
`);
    sb = await sandboxUp({ name: NAME, kind: 'lite', hosts: 1, dir: join(dir, 'sandbox') });
    const prep = spawnSync('node', [CLI, 'run', join(dir, 'hostile.yml'), '-i', sb.inventory], { encoding: 'utf8' });
    expect(prep.status, prep.stdout + prep.stderr).to.equal(0);
  });

  after(async () => {
    if (sb) await sandboxDown({ name: NAME, dir: join(dir, 'sandbox') });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('command output and facts print as the host wrote them', () => {
    const r = spawnSync('node', [CLI, 'run', join(dir, 'read.yml'), '-i', sb.inventory], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include(`"msg": "A{{ 7*7 }}B {{ lookup('file', '${join(dir, 'secret.key')}') }} on X{{ 7*7 }}"`);
    expect(r.stdout).to.not.include('FLEET-PRIVATE-KEY');
    expect(existsSync(marker), 'code from the host ran on the controller').to.equal(false);
  });

  it("site.yml's platform check prints the hostile distribution as text and runs nothing", () => {
    const r = spawnSync('node', [CLI, 'run', join(ROOT, 'playbooks/site.yml'), '-i', sb.inventory], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(2);
    expect(r.stdout).to.include('Check the platform is supported');
    expect(r.stdout).to.include('runs X{{ 7*7 }} (os_family X{{ 7*7 }})');
    expect(existsSync(marker), 'code from the host ran on the controller').to.equal(false);
  });
});
