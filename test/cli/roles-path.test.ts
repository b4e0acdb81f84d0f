import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredRolesPath } from '../../src/cli/roles-path.js';

describe('cli: roles path (Ansible 2.14 DEFAULT_ROLES_PATH)', () => {
  const root = mkdtempSync(join(tmpdir(), 'fd-rolespath-'));
  const cwd = join(root, 'work');
  const home = join(root, 'home');
  const cfgDir = join(root, 'cfg');
  for (const d of [cwd, home, cfgDir]) mkdirSync(d);
  writeFileSync(join(cfgDir, 'ansible.cfg'), '[defaults]\nroles_path = ./roles:~/galaxy:/opt/roles\n');
  const at = (env: NodeJS.ProcessEnv) => configuredRolesPath({ env, cwd, home });

  it('defaults to ~/.ansible/roles, /usr/share/ansible/roles, /etc/ansible/roles', () => {
    expect(at({})).to.deep.equal([join(home, '.ansible/roles'), '/usr/share/ansible/roles', '/etc/ansible/roles']);
  });

  it('ANSIBLE_ROLES_PATH: ":"-separated, relative entries from the working directory', () => {
    expect(at({ ANSIBLE_ROLES_PATH: 'rp1:/tmp/rp2' })).to.deep.equal([join(cwd, 'rp1'), '/tmp/rp2']);
  });

  it('ansible.cfg roles_path: relative entries from the config file, ~ expanded; the environment wins', () => {
    expect(at({ ANSIBLE_CONFIG: cfgDir })).to.deep.equal([join(cfgDir, 'roles'), join(home, 'galaxy'), '/opt/roles']);
    expect(at({ ANSIBLE_CONFIG: cfgDir, ANSIBLE_ROLES_PATH: '/x' })).to.deep.equal(['/x']);
  });

  it('without ANSIBLE_CONFIG: ./ansible.cfg first, then ~/.ansible.cfg; ANSIBLE_CONFIG wins over both', () => {
    const base = mkdtempSync(join(tmpdir(), 'fd-cfgorder-'));
    const [here, user] = [join(base, 'here'), join(base, 'user')];
    for (const d of [here, user]) mkdirSync(d);
    writeFileSync(join(user, '.ansible.cfg'), '[defaults]\nroles_path = /from/home\n');
    const from = (env: NodeJS.ProcessEnv) => configuredRolesPath({ env, cwd: here, home: user });
    expect(from({})).to.deep.equal(['/from/home']);
    writeFileSync(join(here, 'ansible.cfg'), '[defaults]\nroles_path = /from/cwd\n');
    expect(from({})).to.deep.equal(['/from/cwd']);
    expect(from({ ANSIBLE_CONFIG: cfgDir })[0]).to.equal(join(cfgDir, 'roles'));
  });

  it('/etc/ansible/ansible.cfg is read when no other ansible.cfg is found, and loses to each of them', () => {
    const base = mkdtempSync(join(tmpdir(), 'fd-cfgsystem-'));
    const [here, user, system] = [join(base, 'here'), join(base, 'user'), join(base, 'etc-ansible')];
    for (const d of [here, user, system]) mkdirSync(d);
    writeFileSync(join(system, 'ansible.cfg'), '[defaults]\nroles_path = sys-roles:/from/etc\n');
    const from = (env: NodeJS.ProcessEnv) => configuredRolesPath({ env, cwd: here, home: user, systemDir: system });
    // relative entries resolve from the system config's own directory
    expect(from({})).to.deep.equal([join(system, 'sys-roles'), '/from/etc']);
    expect(from({ ANSIBLE_CONFIG: cfgDir })[0]).to.equal(join(cfgDir, 'roles'));
    writeFileSync(join(user, '.ansible.cfg'), '[defaults]\nroles_path = /from/home\n');
    expect(from({})).to.deep.equal(['/from/home']);
    writeFileSync(join(here, 'ansible.cfg'), '[defaults]\nroles_path = /from/cwd\n');
    expect(from({})).to.deep.equal(['/from/cwd']);
    // an ANSIBLE_CONFIG naming a missing file falls through to the next one, as find_ini_config_file
    // (checked: ANSIBLE_CONFIG=missing ansible-config dump reports ./ansible.cfg's roles_path)
    expect(from({ ANSIBLE_CONFIG: join(base, 'missing.cfg') })).to.deep.equal(['/from/cwd']);
  });
});
