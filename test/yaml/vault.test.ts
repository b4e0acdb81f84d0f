/**
 * Vault decryption against ansible-core's VaultLib (test/cases/vault/vault.yaml, recorded by
 * record-vault-cases.py), and the loader decrypting `!vault` values and encrypted files with the
 * secrets the CLI set.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAnsibleYaml, safeLoad } from '../../src/yaml/load.js';
import { decryptVault, useVaultSecrets, VaultError, type VaultSecret } from '../../src/yaml/vault.js';

interface Case {
  name: string;
  vaulttext: string;
  secrets: VaultSecret[];
  expected?: string;
  expected_error?: string;
}

const cases = safeLoad(readFileSync(fileURLToPath(new URL('../cases/vault/vault.yaml', import.meta.url)), 'utf8')) as Case[];

describe('vault: decryption as ansible-core VaultLib', () => {
  for (const c of cases) {
    it(c.name, () => {
      const secrets = c.secrets.map(({ id, password }) => ({ id, password }));
      if (c.expected_error !== undefined) {
        expect(() => decryptVault(c.vaulttext, secrets)).to.throw(VaultError, c.expected_error);
      } else {
        expect(decryptVault(c.vaulttext, secrets)).to.equal(c.expected);
      }
    });
  }
});

describe('vault: the loader decrypts with the CLI secrets', () => {
  const [file, labelled] = cases;
  afterEach(() => useVaultSecrets([]));

  it('a vault-encrypted vars file and a !vault value inside YAML', () => {
    useVaultSecrets([{ id: 'default', password: 'pw-one' }, { id: 'prod', password: 'pw-prod' }]);
    expect(parseAnsibleYaml(file!.vaulttext, 'group_vars/all.yml')).to.deep.equal({ greeting: 'alpha', list: [1, 2] });
    const indented = labelled!.vaulttext.trim().split('\n').map((l) => `    ${l}`).join('\n');
    expect(parseAnsibleYaml(`a: 1\nb: !vault |\n${indented}\n`, 'vars.yml')).to.deep.equal({ a: 1, b: 'labelled' });
    expect(parseAnsibleYaml(JSON.stringify({ c: { __ansible_vault: labelled!.vaulttext } }), 'vars.json')).to.deep.equal({ c: 'labelled' });
  });

  it('a secret that opens nothing names the file and the options', () => {
    useVaultSecrets([{ id: 'default', password: 'nope' }]);
    expect(() => parseAnsibleYaml(file!.vaulttext, 'group_vars/all.yml')).to.throw(
      'Decryption failed (no vault secrets were found that could decrypt) on group_vars/all.yml (vault passwords: --vault-password-file',
    );
  });
});
