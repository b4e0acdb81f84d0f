/**
 * The gather-facts snippet: POSIX sh, no python, works as non-root. Prints `key=value` lines only
 * (os-release lines are re-prefixed with `osr.`), parsed by parseSetupOutput().
 */
const COMMANDS = [
  'apt-get', 'dnf5', 'dnf', 'yum', 'microdnf', 'zypper', 'apk',
  'sudo', 'initctl', 'curl', 'gpg', 'dkms', 'python3', 'python', 'systemctl', 'mokutil', 'systemd-detect-virt',
];

/** What ansible-core's LinuxVirtual reads, in its order; parsed by linuxVirtual(). */
const VIRTUALIZATION_SIGNALS = [
  `echo "cgroup_hits=$(awk '/\\/docker(\\/|-[0-9a-f]+\\.scope)/{printf "docker "} /\\/lxc\\/|\\/machine\\.slice\\/machine-lxc/{printf "lxc "} /\\/system\\.slice\\/containerd\\.service/{printf "containerd "}' /proc/1/cgroup 2>/dev/null)"`,
  `echo "environ_hits=$(tr '\\0' '\\n' 2>/dev/null < /proc/1/environ | awk '/container=lxc/{printf "lxc "} /container=podman/{printf "podman "} /^container=./{printf "container "}')"`,
  '[ -e /proc/vz ] && echo proc_vz=1; [ -e /proc/lve ] && echo proc_lve=1; [ -e /proc/bc ] && echo proc_bc=1',
  '[ -r /run/systemd/container ] && echo "container=$(head -n 1 /run/systemd/container)"',
  '{ [ -e /.dockerenv ] || [ -e /.dockerinit ]; } && echo dockerenv=1',
  '[ -e /proc/xen ] && echo "xen=$(grep -qs control_d /proc/xen/capabilities && echo host || echo guest)"',
  'for f in product_name sys_vendor product_family bios_vendor; do [ -r /sys/devices/virtual/dmi/id/$f ] && echo "dmi_$f=$(head -n 1 /sys/devices/virtual/dmi/id/$f 2>/dev/null)"; done',
  'sed -n "s/^VxID:[[:space:]]*\\([0-9]*\\).*/vxid=\\1/p" /proc/self/status 2>/dev/null',
  `echo "cpuinfo_hits=$(awk '/^model name.*QEMU Virtual CPU/{printf "kvm "; next} /^vendor_id.*User Mode Linux/{printf "uml "; next} /^model name.*UML/{printf "uml "; next} /^machine.*CHRP IBM pSeries .emulated by qemu./{printf "kvm "; next} /^vendor_id.*PowerVM Lx86/{printf "powervm_lx86 "; next} /^vendor_id.*IBM\\/S390/{printf "PR/SM "}' /proc/cpuinfo 2>/dev/null)"`,
  `[ -r /proc/modules ] && echo "modules=$(awk '$1=="kvm"||$1=="vboxdrv"||$1=="virtio"{printf "%s ", $1}' /proc/modules)"`,
  '[ -d /rhev/ ] && grep -qsxE "vdsmd?" /proc/[0-9]*/comm && echo rhev_vdsm=1',
  'command -v dmidecode >/dev/null 2>&1 && p=$(dmidecode -s system-product-name 2>/dev/null) && echo "dmidecode_product=$(printf %s "$p" | grep -v "^#" | tr -d "\\n")"',
  '[ -e /dev/kvm ] && echo dev_kvm=1',
];

export const SETUP_SNIPPET = [
  'echo "kernel=$(uname -r)"',
  'echo "kernel_version=$(uname -v)"',
  'echo "machine=$(uname -m)"',
  'echo "system=$(uname -s)"',
  'echo "nodename=$(uname -n)"',
  'echo "fqdn=$(timeout 3 hostname -f 2>/dev/null)"',
  'for f in /etc/os-release /usr/lib/os-release; do if [ -r "$f" ]; then sed -n "s/^\\([A-Z_][A-Z0-9_]*\\)=/osr.\\1=/p" "$f"; break; fi; done',
  '[ -r /etc/debian_version ] && echo "debian_version=$(head -n 1 /etc/debian_version)"',
  // python3-distro >= 1.7 (which ansible-core prefers to its bundled 1.6) reads /etc/debian_version for the version
  'grep -qs _debian_version /usr/lib/python3/dist-packages/distro/distro.py && echo python_distro_debian_version=1',
  '{ [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; } && echo systemd_booted=1',
  '[ -L /sbin/init ] && echo "sbin_init=$(readlink /sbin/init)"',
  '[ -e /etc/init/ ] && echo etc_init=1; [ -e /sbin/openrc ] && echo sbin_openrc=1',
  '[ -d /etc/init.d ] && echo initd=1',
  'echo "pid1=$(cat /proc/1/comm 2>/dev/null)"',
  `for c in ${COMMANDS.join(' ')}; do p=$(command -v "$c" 2>/dev/null) && echo "bin.$c=$p"; done`,
  '[ -x /usr/libexec/platform-python ] && echo bin.platform-python=/usr/libexec/platform-python',
  'sed -n "s/^MemTotal:[[:space:]]*\\([0-9]*\\) kB/memtotal_kb=\\1/p" /proc/meminfo 2>/dev/null',
  'echo "nproc_online=$(getconf _NPROCESSORS_ONLN 2>/dev/null)"',
  'if [ -r /proc/cpuinfo ]; then echo "cpu_processors=$(grep -c "^processor" /proc/cpuinfo)"; echo "cpu_sockets=$(grep "^physical id" /proc/cpuinfo | sort -u | wc -l)"; echo "cpu_cores=$(grep -m 1 "^cpu cores" /proc/cpuinfo | sed "s/.*: *//")"; fi',
  'echo "user_id=$(id -un 2>/dev/null)"; echo "user_uid=$(id -u)"; echo "user_gid=$(id -g)"; echo "user_dir=$HOME"',
  '[ -e /sys/kernel/btf/vmlinux ] && echo btf=1',
  '[ -d /sys/firmware ] && echo sysfs=1',
  '[ -d /sys/firmware/efi ] && echo efi=1',
  'f=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c; [ -r "$f" ] && echo "secureboot_var=$(od -An -tu1 "$f" 2>/dev/null | tr -s " \\n" "  ")"',
  'command -v mokutil >/dev/null 2>&1 && echo "mokutil=$(mokutil --sb-state 2>&1 | head -n 1)"',
  '[ -e "/lib/modules/$(uname -r)/build" ] && echo kernel_headers=1',
  ...VIRTUALIZATION_SIGNALS,
  'echo "epoch=$(date +%s)"; echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; echo "tz=$(date +%Z)"',
  'm=$(cat /var/lib/dbus/machine-id 2>/dev/null); [ -n "$m" ] || m=$(cat /etc/machine-id 2>/dev/null); echo "machine_id=$(printf "%s\\n" "$m" | head -n 1)"',
  'echo "long_bit=$(getconf LONG_BIT 2>/dev/null)"',
  ':',
].join('\n');
