import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIni } from '../../src/cli/ansible-cfg.js';
import { retryFilePath } from '../../src/cli/retry-file.js';

describe('cli: retry file settings (Ansible 2.14 retry_files_enabled / retry_files_save_path)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fd-retrycfg-'));
  const cwd = join(root, 'work');
  const home = join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
  const pb = join(root, 'plays', 'site.yml');
  const at = (env: NodeJS.ProcessEnv, dir = cwd) => retryFilePath(pb, { env, cwd: dir, home });

  it('is off by default', () => {
    expect(at({})).to.equal(undefined);
  });

  it('ANSIBLE_RETRY_FILES_ENABLED turns it on: <playbook name>.retry beside the playbook', () => {
    expect(at({ ANSIBLE_RETRY_FILES_ENABLED: 'yes' })).to.equal(join(root, 'plays', 'site.retry'));
    expect(at({ ANSIBLE_RETRY_FILES_ENABLED: 'False' })).to.equal(undefined);
    expect(at({ ANSIBLE_RETRY_FILES_ENABLED: '' })).to.equal(undefined);
  });

  it('ANSIBLE_RETRY_FILES_SAVE_PATH: ~ and relative paths (from the working directory)', () => {
    expect(at({ ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: '~/retries' })).to.equal(join(home, 'retries', 'site.retry'));
    expect(at({ ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: 'r' })).to.equal(join(cwd, 'r', 'site.retry'));
  });

  it('ansible.cfg [defaults]: from ANSIBLE_CONFIG, a relative save path is relative to the file; the environment wins', () => {
    const cfgDir = join(root, 'cfg');
    mkdirSync(cfgDir);
    writeFileSync(join(cfgDir, 'ansible.cfg'), '# comment\n[defaults]\nRetry_Files_Enabled = True ; inline\nretry_files_save_path: saved\n');
    expect(at({ ANSIBLE_CONFIG: cfgDir })).to.equal(join(cfgDir, 'saved', 'site.retry'));
    expect(at({ ANSIBLE_CONFIG: join(cfgDir, 'ansible.cfg'), ANSIBLE_RETRY_FILES_ENABLED: 'no' })).to.equal(undefined);
  });

  it('./ansible.cfg is read, except in a world-writable working directory (as Ansible)', () => {
    const dir = join(root, 'cwdcfg');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = yes\n');
    expect(at({}, dir)).to.equal(join(root, 'plays', 'site.retry'));
    chmodSync(dir, 0o777);
    expect(at({}, dir)).to.equal(undefined);
  });

  it('parses the configparser subset ansible.cfg files use', () => {
    expect(parseIni('[defaults]\n; c\nA = 1\nb: two ; note\nlong = x\n  y\n[other]\nc=3\n')).to.deep.equal({
      defaults: { a: '1', b: 'two', long: 'x\ny' },
      other: { c: '3' },
    });
  });
});
