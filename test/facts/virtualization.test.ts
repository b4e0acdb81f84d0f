import { expect } from 'chai';
import { linuxVirtual } from '../../src/facts/virtualization.js';

// Signals -> facts by ansible-core 2.14's LinuxVirtual (module_utils/facts/virtual/linux.py), case by case.
const CASES: [string, Record<string, string>, [string, string, string[], string[]]][] = [
  ['nothing readable', {}, ['NA', 'NA', [], []]],
  ['LXC: container=lxc in PID 1 environ and /run/systemd/container', { environ_hits: 'lxc container ', container: 'lxc' }, ['lxc', 'guest', ['lxc', 'container'], []]],
  ['podman', { environ_hits: 'podman container ', container: 'podman' }, ['podman', 'guest', ['podman', 'container'], []]],
  ['docker cgroup, on a KVM host', { cgroup_hits: 'docker docker ', dev_kvm: '1' }, ['docker', 'guest', ['docker', 'container'], ['kvm']]],
  ['systemd-nspawn', { container: 'systemd-nspawn' }, ['systemd-nspawn', 'guest', ['systemd-nspawn', 'container'], []]],
  ['openvz guest', { proc_vz: '1' }, ['openvz', 'guest', ['openvz', 'container'], []]],
  ['openvz host', { proc_vz: '1', proc_bc: '1' }, ['openvz', 'host', [], ['openvz']]],
  ['CloudLinux lve is not openvz', { proc_vz: '1', proc_lve: '1' }, ['NA', 'NA', [], []]],
  ['xen dom0', { xen: 'host' }, ['xen', 'host', [], ['xen']]],
  ['xen domU', { xen: 'guest' }, ['xen', 'guest', [], []]],
  ['VMware by DMI', { dmi_product_name: 'VMware Virtual Platform' }, ['VMware', 'guest', ['VMware'], []]],
  ['QEMU vendor and a kvm module (nested)', { dmi_sys_vendor: 'QEMU', modules: 'kvm ' }, ['kvm', 'guest', ['kvm'], ['kvm']]],
  ['RHV', { dmi_sys_vendor: 'Red Hat', dmi_product_family: 'RHV' }, ['RHV', 'guest', ['RHV'], []]],
  ['QEMU CPU in cpuinfo', { cpuinfo_hits: 'kvm kvm ' }, ['kvm', 'guest', ['kvm'], []]],
  ['s390 LPAR', { cpuinfo_hits: 'PR/SM ' }, ['PR/SM', 'LPAR', ['PR/SM'], []]],
  ['vserver host', { vxid: '0' }, ['linux_vserver', 'host', [], ['linux_vserver']]],
  ['RHEV host', { modules: 'kvm ', rhev_vdsm: '1' }, ['RHEV', 'host', [], ['kvm', 'RHEV']]],
  ['virtio module: a guest filed under tech_host', { modules: 'virtio ' }, ['kvm', 'guest', [], ['kvm']]],
  ['VirtualBox host', { modules: 'vboxdrv ' }, ['virtualbox', 'host', [], ['virtualbox']]],
  ['bhyve by dmidecode', { dmidecode_product: 'BHYVE' }, ['bhyve', 'guest', ['bhyve'], []]],
];

describe('facts: virtualization as ansible-core 2.14 LinuxVirtual', () => {
  for (const [name, kv, [type, role, guest, host]] of CASES) {
    it(name, () => {
      expect(linuxVirtual(kv)).to.deep.equal({ virtualization_type: type, virtualization_role: role, virtualization_tech_guest: guest, virtualization_tech_host: host });
    });
  }
});
