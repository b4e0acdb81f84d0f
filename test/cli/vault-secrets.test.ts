/**
 * Vault passwords from the command line (vault-secrets.ts, as ansible-playbook's CLI gathers them)
 * and a run that needs them: an encrypted group_vars file, an encrypted vars_files entry under a
 * vault id label, and a `!vault` value in the play, on localhost. ansible-playbook 2.14 printed
 * "alpha [1, 2] labelled from prod 5" for the same play with the same options.
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vaultSecretsFrom } from '../../src/cli/vault-secrets.js';
import { safeLoad } from '../../src/yaml/load.js';
import { useVaultSecrets } from '../../src/yaml/vault.js';
import { cli } from '../support/cli.js';

const recorded = safeLoad(readFileSync(fileURLToPath(new URL('../cases/vault/vault.yaml', import.meta.url)), 'utf8')) as { vaulttext: string; expected?: string }[];
const noPrompt = () => Promise.reject(new Error('no prompt expected'));

describe('cli: vault passwords', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-vault-'))));
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    useVaultSecrets([]);
  });

  /** This test's directory as the working directory, with no home or system ansible.cfg. */
  const sources = (env: NodeJS.ProcessEnv) => ({ env, cwd: dir, home: join(dir, 'home'), systemDir: join(dir, 'etc') });
  const file = (name: string, text: string, mode = 0o600) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };

  it('--vault-id sources, then password files, then the prompt; files stripped, scripts run, a *-client script asked its id', async () => {
    const plain = file('plain', '  pw-file \n');
    const script = file('pass.sh', '#!/bin/sh\nprintf "pw-script\\r\\n"\n', 0o700);
    const client = file('pass-client.sh', '#!/bin/sh\necho "pw-for-$2"\n', 0o700);
    const asked: string[] = [];
    const secrets = await vaultSecretsFrom(
      { vaultId: [`prod@${script}`, `dev@${client}`, 'ops@prompt'], vaultPasswordFile: [plain], askVaultPassword: true },
      async (q) => (asked.push(q), `typed ${asked.length}`),
      sources({}),
    );
    expect(secrets).to.deep.equal([
      { id: 'prod', password: 'pw-script' },
      { id: 'dev', password: 'pw-for-dev' },
      { id: 'ops', password: 'typed 1' },
      { id: 'default', password: 'pw-file' },
      { id: 'default', password: 'typed 2' },
    ]);
    expect(asked).to.deep.equal(['Vault password (ops): ', 'Vault password: ']);
  });

  it('ANSIBLE_VAULT_PASSWORD_FILE, else ansible.cfg vault_password_file (relative to the cfg), only when no option names a password', async () => {
    file('cfg-pw', 'from-cfg');
    file('ansible.cfg', '[defaults]\nvault_password_file = cfg-pw\n');
    const env = { ANSIBLE_VAULT_PASSWORD_FILE: file('env', 'from-env') };
    expect(await vaultSecretsFrom({}, noPrompt, sources({}))).to.deep.equal([{ id: 'default', password: 'from-cfg' }]);
    expect(await vaultSecretsFrom({}, noPrompt, sources(env))).to.deep.equal([{ id: 'default', password: 'from-env' }]);
    expect(await vaultSecretsFrom({ vaultPasswordFile: [file('opt', 'from-opt')] }, noPrompt, sources(env))).to.deep.equal([{ id: 'default', password: 'from-opt' }]);
  });

  it('a missing or empty password file, and a failing script, are bad input naming the file', async () => {
    const missing = join(dir, 'nope');
    await expectRejects(vaultSecretsFrom({ vaultPasswordFile: [missing] }, noPrompt, sources({})), `The vault password file ${missing} was not found`);
    const empty = file('empty', ' \n');
    await expectRejects(vaultSecretsFrom({ vaultPasswordFile: [empty] }, noPrompt, sources({})), `Invalid vault password was provided from file (${empty})`);
    const failing = file('fail.sh', '#!/bin/sh\necho locked >&2\nexit 3\n', 0o700);
    await expectRejects(vaultSecretsFrom({ vaultId: [`x@${failing}`] }, noPrompt, sources({})), `Vault password script ${failing} returned non-zero (3): locked`);
  });

  it('run decrypts group_vars, vars_files and !vault values, as ansible-playbook does with the same options', async () => {
    const [defaultId, prodText, prodFile] = [recorded[0]!.vaulttext, recorded[1]!.vaulttext, recorded[2]!.vaulttext];
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'all.yml'), defaultId);
    writeFileSync(join(dir, 'prod.yml'), prodFile);
    writeFileSync(join(dir, 'inventory'), 'localhost ansible_connection=local\n');
    const inline = prodText.trim().split('\n').map((l) => `      ${l}`).join('\n');
    writeFileSync(join(dir, 'play.yml'), `- hosts: all\n  gather_facts: false\n  vars_files: [prod.yml]\n  vars:\n    inline: !vault |\n${inline}\n  tasks:\n    - debug: msg="{{ greeting }} {{ list }} {{ inline }} {{ prod_var }} {{ greeting | length }}"\n`);
    const pw1 = file('pw1', 'pw-one\n');
    const pw2 = file('pw2', 'pw-prod\n');
    const args = ['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory')];
    const ok = await cli([...args, '--vault-password-file', pw1, '--vault-id', `prod@${pw2}`]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include('"msg": "alpha [1, 2] labelled from prod 5"');
    useVaultSecrets([]);
    const none = await cli(args);
    expect(none.code).to.equal(4);
    expect(none.stderr).to.include(`Attempting to decrypt but no vault secrets found on ${join(dir, 'group_vars', 'all.yml')}`);
  });
});

describe('cli: vault-encrypted copy and template sources', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-vault-src-'))));
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    useVaultSecrets([]);
  });

  // ansible-playbook 2.14 wrote the same three files from the same play and sources
  it('copy decrypts its src (not with decrypt: false), template its template; without a password the task fails naming the file', async () => {
    const [vaultedText, vaultedTemplate] = [recorded[3]!, recorded[4]!];
    writeFileSync(join(dir, 'plain.txt'), vaultedText.vaulttext);
    writeFileSync(join(dir, 't.j2'), vaultedTemplate.vaulttext);
    writeFileSync(join(dir, 'inventory'), 'localhost ansible_connection=local\n');
    writeFileSync(join(dir, 'play.yml'), [
      '- hosts: all',
      '  gather_facts: false',
      '  vars: {out: "' + dir + '"}',
      '  tasks:',
      '    - copy: {src: plain.txt, dest: "{{ out }}/copied.txt"}',
      '    - copy: {src: plain.txt, dest: "{{ out }}/raw.txt", decrypt: false}',
      '    - template: {src: t.j2, dest: "{{ out }}/templated.txt"}',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'pw'), 'pw-prod\n');
    const args = ['run', join(dir, 'play.yml'), '-i', join(dir, 'inventory')];
    const ok = await cli([...args, '--vault-id', `prod@${join(dir, 'pw')}`]);
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'copied.txt'), 'utf8')).to.equal(vaultedText.expected);
    expect(readFileSync(join(dir, 'raw.txt'), 'utf8')).to.equal(vaultedText.vaulttext);
    expect(readFileSync(join(dir, 'templated.txt'), 'utf8')).to.equal('hello 2\n');
    useVaultSecrets([]);
    rmSync(join(dir, 'copied.txt'));
    const none = await cli(args);
    expect(none.code).to.equal(2);
    expect(none.stdout).to.include(`A vault password or secret must be specified to decrypt ${join(dir, 'plain.txt')}`);
  });
});

async function expectRejects(p: Promise<unknown>, message: string): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect((caught as Error | undefined)?.message).to.include(message);
}
