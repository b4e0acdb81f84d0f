/**
 * ansible-core 2.14's LinuxVirtual (module_utils/facts/virtual/linux.py) over the setup probe's
 * signals: the first technology found names virtualization_type/role; every one found joins
 * virtualization_tech_guest/host. Not ported: the lscpu refinement on s390.
 */
interface VirtualFacts {
  virtualization_type: string;
  virtualization_role: string;
  virtualization_tech_guest: string[];
  virtualization_tech_host: string[];
}

const KVM_SYS_VENDORS = ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'];
const CONTAINER_TECH = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];

const words = (v: string | undefined) => (v ?? '').split(/\s+/).filter(Boolean);

export function linuxVirtual(kv: Record<string, string>): VirtualFacts {
  const guest = new Set<string>();
  const host = new Set<string>();
  let type: string | undefined;
  let role: string | undefined;
  let found = false;
  /** A technology seen; the first one seen (found) also names type/role. */
  const saw = (tech: string, side: Set<string>, r: string | undefined = 'guest', t = tech) => {
    side.add(tech);
    if (!found) {
      type = t;
      if (r !== undefined) role = r;
      found = true;
    }
  };
  for (const tech of words(kv.cgroup_hits)) saw(tech, guest);
  for (const tech of words(kv.environ_hits)) saw(tech, guest);
  if (kv.proc_vz === '1' && kv.proc_lve !== '1') {
    type = 'openvz';
    const isHost = kv.proc_bc === '1';
    (isHost ? host : guest).add('openvz');
    if (!found) role = isHost ? 'host' : 'guest';
    found = true;
  }
  const systemdContainer = (kv.container ?? '').trim();
  if (systemdContainer) saw(systemdContainer, guest);
  if (kv.dockerenv === '1') saw('docker', guest);
  if (systemdContainer || CONTAINER_TECH.some((t) => guest.has(t))) guest.add('container');
  if (kv.xen) {
    if (kv.xen === 'host') host.add('xen');
    if (!found) {
      type = 'xen';
      role = kv.xen;
    }
    found = true;
  }
  // DMI: a guest of whatever is found (role was set to guest before these checks)
  if (!found) role = 'guest';
  const product = kv.dmi_product_name?.trim();
  const vendor = kv.dmi_sys_vendor?.trim();
  const family = kv.dmi_product_family?.trim();
  const bios = kv.dmi_bios_vendor?.trim();
  const dmi = (tech: string) => saw(tech, guest, undefined);
  if (product && ['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product)) dmi('kvm');
  if (vendor === 'oVirt') dmi('oVirt');
  if (vendor === 'Red Hat' && family === 'RHV') dmi('RHV');
  else if (vendor === 'Red Hat' && product === 'RHEV Hypervisor') dmi('RHEV');
  if (product === 'VMware Virtual Platform' || product === 'VMware7,1') dmi('VMware');
  if (product === 'OpenStack Compute' || product === 'OpenStack Nova') dmi('openstack');
  if (bios === 'Xen') dmi('xen');
  if (bios === 'innotek GmbH') dmi('virtualbox');
  if (bios && ['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios)) dmi('kvm');
  if (vendor && KVM_SYS_VENDORS.includes(vendor)) dmi('kvm');
  if (vendor === 'KubeVirt') dmi('KubeVirt');
  if (vendor === 'Microsoft Corporation') dmi('VirtualPC');
  if (vendor === 'Parallels Software International Inc.') dmi('parallels');
  if (vendor === 'OpenStack Foundation') dmi('openstack');
  if (!found) role = undefined;
  if (kv.vxid !== undefined && kv.vxid !== '') saw('linux_vserver', kv.vxid === '0' ? host : guest, kv.vxid === '0' ? 'host' : 'guest');
  for (const tech of words(kv.cpuinfo_hits)) saw(tech, guest, tech === 'PR/SM' ? 'LPAR' : 'guest');
  const modules = words(kv.modules);
  if (modules.includes('kvm')) {
    const before = found;
    saw('kvm', host, 'host');
    if (kv.rhev_vdsm === '1') {
      host.add('RHEV');
      if (!before) type = 'RHEV';
    }
  }
  if (modules.includes('vboxdrv')) saw('virtualbox', host, 'host');
  if (modules.includes('virtio')) {
    host.add('kvm'); // sic: ansible-core files a virtio guest under tech_host
    saw('kvm', new Set(), 'guest');
  }
  const dmidecode = kv.dmidecode_product ?? '';
  if (dmidecode.startsWith('VMware')) saw('VMware', guest);
  if (dmidecode.includes('BHYVE')) saw('bhyve', guest);
  if (kv.dev_kvm === '1') saw('kvm', host, 'host');
  return {
    virtualization_type: type ?? 'NA',
    virtualization_role: found ? role ?? 'NA' : 'NA',
    virtualization_tech_guest: [...guest],
    virtualization_tech_host: [...host],
  };
}
