import { factIdentity, type FactRequest } from './request.js';
import { parseKeyValueLines } from './key-value.js';
import { SETUP_SNIPPET } from './setup-probe.js';
import { linuxVirtual } from './virtualization.js';

/** The gather-facts probe (one per host; the key is constant so every task shares it). */
export function setupFacts(): FactRequest<Record<string, unknown>> {
  return { ...factIdentity('setup', {}), command: SETUP_SNIPPET, parse: (r) => parseSetupOutput(r.stdout) };
}

const DISTRIBUTION_NAMES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', rocky: 'Rocky', almalinux: 'AlmaLinux',
  centos: 'CentOS', fedora: 'Fedora', amzn: 'Amazon', ol: 'OracleLinux', raspbian: 'Debian',
};

// ansible-core's OS_FAMILY_MAP (the part that matters here)
const OS_FAMILIES: Record<string, string[]> = {
  RedHat: ['RedHat', 'Fedora', 'CentOS', 'Amazon', 'AlmaLinux', 'Rocky', 'OracleLinux'],
  Debian: ['Debian', 'Ubuntu', 'Linux Mint', 'Pop!_OS', 'Kali'],
};

const DEB_ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'armhf', i686: 'i386', i386: 'i386', ppc64le: 'ppc64el', s390x: 's390x' };

/** os-release value: strip one level of quotes and shell escapes. */
function unquote(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^"(.*)"$/.exec(v) ?? /^'(.*)'$/.exec(v);
  return m ? m[1].replace(/\\(["$`\\])/g, '$1') : v;
}

function osFamily(distribution: string, idLike: string[]): string {
  for (const [family, members] of Object.entries(OS_FAMILIES)) if (members.includes(distribution)) return family;
  if (idLike.some((x) => ['rhel', 'fedora', 'centos'].includes(x))) return 'RedHat';
  if (idLike.some((x) => ['debian', 'ubuntu'].includes(x))) return 'Debian';
  return distribution;
}

/** python-distro's codename (what Ansible reports): VERSION_CODENAME (even if empty), UBUNTU_CODENAME, "(Name)" in VERSION. */
function releaseName(osr: Record<string, string | undefined>): string {
  if (osr.VERSION_CODENAME !== undefined) return osr.VERSION_CODENAME;
  if (osr.UBUNTU_CODENAME !== undefined) return osr.UBUNTU_CODENAME;
  const m = /\((\D+)\)|,\s*(\D+)/.exec(osr.VERSION ?? '');
  return m ? (m[1] ?? m[2]).trim() : '';
}

/**
 * ansible-core asks python-distro for Debian's "best" version: the host's python3-distro >= 1.7
 * counts /etc/debian_version (12.11), its bundled 1.6 does not (12).
 */
function distributionVersion(distribution: string, versionId: string, kv: Record<string, string>): string {
  const full = (kv.debian_version ?? '').trim();
  if (distribution === 'Debian' && kv.python_distro_debian_version === '1' && full.split('.').length > versionId.split('.').length) return full;
  return versionId;
}

/** Only Debian (the point release of /etc/debian_version) and Amazon get a minor version in ansible-core. */
function minorVersion(distribution: string, version: string, kv: Record<string, string>): { distribution_minor_version?: string } {
  if (distribution === 'Debian') {
    const m = /(\d+)\.(\d+)/.exec(kv.debian_version ?? '');
    return m ? { distribution_minor_version: m[2] } : {};
  }
  if (distribution === 'Amazon') return { distribution_minor_version: version.split('.')[1] ?? 'NA' };
  return {};
}

function distributionFacts(kv: Record<string, string>) {
  const osr: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(kv)) if (k.startsWith('osr.')) osr[k.slice(4)] = unquote(v);
  const id = (osr.ID ?? '').toLowerCase();
  const distribution = DISTRIBUTION_NAMES[id] ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : 'OtherLinux');
  const version = distributionVersion(distribution, osr.VERSION_ID ?? 'NA', kv);
  return {
    distribution,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] || 'NA',
    ...minorVersion(distribution, version, kv),
    distribution_release: releaseName(osr),
    os_family: osFamily(distribution, (osr.ID_LIKE ?? '').split(/\s+/)),
  };
}

const PROC1_SERVICE_MANAGERS: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

/** ansible-core 2.14's ServiceMgrFactCollector on Linux: PID 1's name unless it is init or a shell, else the canaries. */
function serviceManager(kv: Record<string, string>): string {
  const proc1 = (kv.pid1?.trim() || kv.sbin_init?.split('/').pop() || '').trim();
  if (proc1 && proc1 !== 'init' && !proc1.endsWith('sh')) return PROC1_SERVICE_MANAGERS[proc1] ?? proc1;
  const systemctl = kv['bin.systemctl'] !== undefined;
  if (systemctl && kv.systemd_booted === '1') return 'systemd';
  if (kv['bin.initctl'] !== undefined && kv.etc_init === '1') return 'upstart';
  if (kv.sbin_openrc === '1') return 'openrc';
  if (systemctl && kv.sbin_init?.split('/').pop() === 'systemd') return 'systemd';
  if (kv.initd === '1') return 'sysvinit';
  return 'service';
}

function packageManager(kv: Record<string, string>, family: string): string {
  const has = (c: string) => kv[`bin.${c}`] !== undefined;
  if (family === 'Debian' && has('apt-get')) return 'apt';
  if (has('dnf5') || has('dnf')) return 'dnf';
  if (has('yum')) return 'yum';
  if (has('apt-get')) return 'apt';
  if (has('microdnf')) return 'microdnf';
  if (has('zypper')) return 'zypper';
  if (has('apk')) return 'apk';
  return 'unknown';
}

/** [major, minor] of a kernel release like 5.15.0-91-generic. */
function kernelVersion(release: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function secureBoot(kv: Record<string, string>, inContainer: boolean): boolean | null {
  const bytes = (kv.secureboot_var ?? '').trim().split(/\s+/).filter(Boolean);
  if (bytes.length >= 5) return bytes[bytes.length - 1] === '1';
  const mok = kv.mokutil ?? '';
  if (/SecureBoot enabled/i.test(mok)) return true;
  if (/SecureBoot disabled/i.test(mok)) return false;
  // legacy BIOS boot: no Secure Boot (unknowable in a container or without sysfs)
  if (kv.efi !== '1' && kv.sysfs === '1' && !inContainer) return false;
  return null;
}

const int = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);

/** Pure: the snippet's output -> facts named like Ansible's (without the ansible_ prefix). */
function parseSetupOutput(stdout: string): Record<string, unknown> {
  const kv = parseKeyValueLines(stdout);
  const dist = distributionFacts(kv);
  const arch = kv.machine ?? 'unknown';
  const kernel = kv.kernel ?? '';
  const kver = kernelVersion(kernel);
  const virt = linuxVirtual(kv);
  const python = kv['bin.python3'] ?? kv['bin.platform-python'] ?? kv['bin.python'] ?? null;
  const memKb = int(kv.memtotal_kb);
  const vcpus = int(kv.nproc_online) ?? int(kv.cpu_processors);
  const nodename = kv.nodename ?? '';
  const epoch = kv.epoch ?? '';
  const utc = kv.date_utc ?? '';
  return {
    ...dist,
    system: kv.system ?? 'Linux',
    kernel,
    kernel_version: kv.kernel_version ?? '',
    architecture: arch,
    machine: arch,
    deb_architecture: DEB_ARCH[arch] ?? arch,
    userspace_bits: kv.long_bit || null,
    nodename,
    hostname: nodename.split('.')[0],
    fqdn: kv.fqdn || nodename,
    ...(kv.machine_id ? { machine_id: kv.machine_id } : {}), // absent, not null, when unknown (ansible-core)
    service_mgr: serviceManager(kv),
    pkg_mgr: packageManager(kv, dist.os_family),
    memtotal_mb: memKb === null ? null : Math.floor(memKb / 1024),
    processor_vcpus: vcpus,
    processor_nproc: vcpus,
    processor_count: int(kv.cpu_sockets) || (vcpus === null ? null : 1),
    processor_cores: int(kv.cpu_cores),
    discovered_interpreter_python: python,
    user_id: kv.user_id || null,
    user_uid: int(kv.user_uid),
    user_gid: int(kv.user_gid),
    user_dir: kv.user_dir || null,
    ...virt,
    date_time: {
      epoch,
      iso8601: utc,
      date: utc.slice(0, 10),
      time: utc.slice(11, 19),
      tz: kv.tz ?? '',
    },
    // falco-deploy's own facts (what the Falco driver choice depends on)
    btf_available: kv.btf === '1',
    bpf_ringbuf_likely: kver ? kver[0] > 5 || (kver[0] === 5 && kver[1] >= 8) : false,
    secure_boot: secureBoot(kv, virt.virtualization_tech_guest.includes('container')),
    kernel_headers_installed: kv.kernel_headers === '1',
    has_sudo: kv['bin.sudo'] !== undefined,
    has_curl: kv['bin.curl'] !== undefined,
    has_gpg: kv['bin.gpg'] !== undefined,
    has_dkms: kv['bin.dkms'] !== undefined,
    has_systemctl: kv['bin.systemctl'] !== undefined,
  };
}
