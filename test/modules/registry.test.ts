import { expect } from 'chai';
import { findModule, moduleNames } from '../../src/modules/registry.js';

describe('module registry: the names Ansible 2.14 resolves', () => {
  it('every module is found by its short name, ansible.builtin.NAME and ansible.legacy.NAME', () => {
    for (const name of moduleNames()) {
      const mod = findModule(name);
      expect(mod, name).to.not.equal(undefined);
      expect(findModule(`ansible.builtin.${name}`), `ansible.builtin.${name}`).to.equal(mod);
      expect(findModule(`ansible.legacy.${name}`), `ansible.legacy.${name}`).to.equal(mod);
    }
  });

  it('the collection modules falco-deploy implements are found under their FQCN; others are not', () => {
    for (const fqcn of ['ansible.posix.sysctl', 'ansible.posix.mount', 'ansible.posix.authorized_key', 'community.general.ini_file', 'community.general.timezone']) {
      expect(findModule(fqcn), fqcn).to.equal(findModule(fqcn.split('.').pop()!));
    }
    for (const fqcn of ['community.general.ufw', 'ansible.posix.firewalld', 'community.general.sysctl']) expect(findModule(fqcn), fqcn).to.equal(undefined);
  });
});
