/**
 * `falco-deploy inventory` end to end through main(), against expectations recorded from real
 * Ansible (test/cases/inventory/<case>/expected.json).
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/cli.js';
import { ExitCode } from '../../src/errors.js';
import { DEFAULT_INVENTORY, loadInventory } from '../../src/inventory/index.js';

const CASES = resolve(dirname(fileURLToPath(import.meta.url)), '../cases/inventory');

interface Recorded {
  check: { list?: boolean; host?: string; graph?: string | boolean; vars?: boolean; pattern?: string; limit?: string };
  json?: unknown;
  text?: string;
  hosts?: string[];
  anyOrder?: boolean;
  error?: string;
}

function recorded(caseName: string): Recorded[] {
  return JSON.parse(readFileSync(join(CASES, caseName, 'expected.json'), 'utf8')).checks;
}

const run = cli;

describe('falco-deploy inventory (CLI)', () => {
  const basic = join(CASES, 'ini-basic', 'hosts');

  it('--list prints what ansible-inventory --list printed', async () => {
    const want = recorded('ini-basic').find((r) => r.check.list)!;
    const { code, stdout } = await run(['inventory', '-i', basic, '--list']);
    expect(code).to.equal(ExitCode.ok);
    expect(JSON.parse(stdout)).to.deep.equal(want.json);
  });

  it('--host H prints what ansible-inventory --host printed', async () => {
    const want = recorded('ini-basic').find((r) => r.check.host === 'web1.example.com')!;
    const { code, stdout } = await run(['inventory', '-i', basic, '--host', 'web1.example.com']);
    expect(code).to.equal(ExitCode.ok);
    expect(JSON.parse(stdout)).to.deep.equal(want.json);
  });

  it('--graph GROUP --vars prints the same text as ansible-inventory', async () => {
    const want = recorded('ini-basic').find((r) => r.check.graph === 'backend' && r.check.vars)!;
    const { code, stdout } = await run(['inventory', '-i', basic, '--graph', 'backend', '--vars']);
    expect(code).to.equal(ExitCode.ok);
    expect(stdout).to.equal(`${want.text}\n`);
  });

  it('--list-hosts PATTERN --limit L prints the hosts ansible --list-hosts printed, one per line', async () => {
    const dir = join(CASES, 'patterns');
    const want = recorded('patterns').find((r) => r.check.pattern === 'web' && r.check.limit === '@retry.txt')!;
    const { code, stdout } = await run([
      'inventory', '-i', join(dir, 'hosts'), '--list-hosts', 'web', '--limit', `@${join(dir, 'retry.txt')}`,
    ]);
    expect(code).to.equal(ExitCode.ok);
    expect(stdout).to.equal(want.hosts!.map((h) => `${h}\n`).join(''));
  });

  it('--list and --host print secrets as they are, as ansible-inventory does (a data export; run output masks them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-inv-secret-'));
    writeFileSync(join(dir, 'hosts'), '[web]\nw1 ansible_become_password=Inv-S3cret db_passwords=\'["a-S3cret", "b-S3cret"]\'\n');
    const host = await run(['inventory', '-i', join(dir, 'hosts'), '--host', 'w1']);
    expect(JSON.parse(host.stdout)).to.deep.equal({ ansible_become_password: 'Inv-S3cret', db_passwords: ['a-S3cret', 'b-S3cret'] });
    const list = await run(['inventory', '-i', join(dir, 'hosts'), '--list']);
    expect(JSON.parse(list.stdout)._meta.hostvars.w1.ansible_become_password).to.equal('Inv-S3cret');
  });

  it('a malformed inventory exits 4 naming file:line', async () => {
    const file = join(CASES, 'error-ini-host-var', 'hosts');
    const { code, stderr } = await run(['inventory', '-i', file, '--list']);
    expect(code).to.equal(ExitCode.badInput);
    expect(stderr).to.include(`${file}:3:`).and.to.include('Expected key=value host variable assignment');
  });

  it('no action, or two actions, is a usage error', async () => {
    expect((await run(['inventory', '-i', basic])).code).to.equal(ExitCode.badUsage);
    expect((await run(['inventory', '-i', basic, '--list', '--graph'])).code).to.equal(ExitCode.badUsage);
  });

  it('without -i (and no /etc/ansible/hosts) asks for -i: usage error', async function () {
    if (existsSync(DEFAULT_INVENTORY)) this.skip();
    const { code, stderr } = await run(['inventory', '--list']);
    expect(code).to.equal(ExitCode.badUsage);
    expect(stderr).to.include('-i');
  });

  it('--host needs exactly one host; --graph needs a group', async () => {
    expect((await run(['inventory', '-i', basic, '--host', 'web'])).code).to.equal(ExitCode.badUsage);
    expect((await run(['inventory', '-i', basic, '--graph', 'nosuchgroup'])).code).to.equal(ExitCode.badUsage);
  });
});

describe('inventory --list --limit (newer ansible-inventory semantics)', () => {
  // ansible-inventory 2.14 has no --limit; its later versions keep only limited hosts in groups
  // and _meta. The limited host set must be what `ansible all --limit PATTERN` selected.
  const dir = join(CASES, 'patterns');
  const checks = recorded('patterns').filter(
    (r) => r.check.pattern === 'all' && r.check.limit !== undefined && r.hosts && !r.check.limit.startsWith('@'),
  );
  it('has recorded limits to compare with', () => expect(checks).to.not.be.empty);
  for (const r of checks) {
    it(`--limit ${r.check.limit}`, async () => {
      const inventory = await loadInventory([join(dir, 'hosts')]);
      const { _meta: meta, ...groups } = inventory.toListJson(r.check.limit) as Record<string, { hosts?: string[] }>;
      const listed = new Set<string>();
      for (const group of Object.values(groups)) group.hosts?.forEach((h) => listed.add(h));
      const list = { _meta: meta as unknown as { hostvars: Record<string, unknown> } };
      expect([...listed].sort()).to.deep.equal([...r.hosts!].sort());
      for (const h of Object.keys(list._meta.hostvars)) expect(r.hosts).to.include(h);
    });
  }
});
