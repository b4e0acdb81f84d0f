/**
 * The gather-facts snippet: POSIX sh, no python, works as non-root. Prints `key=value` lines only
 * (os-release lines are re-prefixed with `osr.`), parsed by parseSetupOutput().
 * It runs on every host of every play, so it forks as little as it can: files are read with the
 * `read` builtin (`one_line`), /proc is scanned by one awk pass (PROC_SCAN), and `command -v`
 * runs in the shell itself, not in a command substitution.
 */
const COMMANDS = [
  'apt-get', 'dnf5', 'dnf', 'yum', 'microdnf', 'zypper', 'apk',
  'sudo', 'initctl', 'curl', 'gpg', 'dkms', 'python3', 'python', 'systemctl', 'mokutil', 'systemd-detect-virt',
];

/**
 * The files PROC_SCAN reads, as `tag:path`; only the readable ones are passed (mawk stops at a
 * missing file), each after `t=TAG TAG=1` so the program knows which file it reads and, in END,
 * which files there were. /proc/self/status is awk's own, whose ids and VxID are the shell's.
 */
const PROC_FILES = [
  'cg:/proc/1/cgroup', 'mem:/proc/meminfo', 'cpu:/proc/cpuinfo', 'mod:/proc/modules', 'st:/proc/self/status',
  // python3-distro >= 1.7 (which ansible-core prefers to its bundled 1.6) reads /etc/debian_version for the version
  'py:/usr/lib/python3/dist-packages/distro/distro.py',
];

/**
 * One awk pass over PROC_FILES and PID 1's environment (stdin, one variable a line). The
 * virtualization hits are what ansible-core's LinuxVirtual looks for, in its order; parsed by linuxVirtual().
 */
const PROC_SCAN = [
  't=="cg"{if(/\\/docker(\\/|-[0-9a-f]+\\.scope)/)cgh=cgh "docker ";if(/\\/lxc\\/|\\/machine\\.slice\\/machine-lxc/)cgh=cgh "lxc ";if(/\\/system\\.slice\\/containerd\\.service/)cgh=cgh "containerd "}',
  't=="env"{if(/container=lxc/)en=en "lxc ";if(/container=podman/)en=en "podman ";if(/^container=./)en=en "container "}',
  't=="mem"&&match($0,/^MemTotal:[ \\t]*[0-9]* kB/){v=substr($0,1,RLENGTH);gsub(/[^0-9]/,"",v);print "memtotal_kb=" v substr($0,RLENGTH+1)}',
  't=="cpu"{if(/^processor/)np++;if(/^physical id/&&!($0 in ids)){ids[$0];ns++}if(!cf&&/^cpu cores/){cf=1;co=$0;sub(/.*: */,"",co)}',
  ' if(/^model name.*QEMU Virtual CPU/)ch=ch "kvm ";else if(/^vendor_id.*User Mode Linux/)ch=ch "uml ";else if(/^model name.*UML/)ch=ch "uml ";',
  ' else if(/^machine.*CHRP IBM pSeries .emulated by qemu./)ch=ch "kvm ";else if(/^vendor_id.*PowerVM Lx86/)ch=ch "powervm_lx86 ";else if(/^vendor_id.*IBM\\/S390/)ch=ch "PR/SM "}',
  't=="mod"&&($1=="kvm"||$1=="vboxdrv"||$1=="virtio"){mo=mo $1 " "}',
  't=="st"{if(/^Uid:/)uid=$3;if(/^Gid:/)gid=$3;if(/^VxID:/){v=$0;sub(/^VxID:[ \\t]*/,"",v);match(v,/^[0-9]*/);print "vxid=" substr(v,1,RLENGTH)}}',
  't=="py"&&index($0,"_debian_version"){dv=1}',
  'END{print "cgroup_hits=" cgh;print "environ_hits=" en;print "cpuinfo_hits=" ch',
  ' if(cpu){print "cpu_processors=" np+0;print "cpu_sockets=" ns+0;print "cpu_cores=" co}',
  ' if(mod)print "modules=" mo;if(dv)print "python_distro_debian_version=1";if(st){print "user_uid=" uid;print "user_gid=" gid}}',
].join('\n');

export const SETUP_SNIPPET = [
  // one_line F: F's first line into $v (empty if unreadable), as `$(head -n 1 F)` gave it
  'one_line() { v=; IFS= read -r v < "$1" || [ -n "$v" ]; } 2>/dev/null',
  // /proc/sys/kernel holds what uname -r/-v/-s/-n print; uname itself where there is no /proc
  'uts() { one_line "/proc/sys/kernel/$1" || v=$(uname "$2"); }',
  'uts osrelease -r; kernel=$v; echo "kernel=$v"',
  'uts version -v; echo "kernel_version=$v"',
  'echo "machine=$(uname -m)"',
  'uts ostype -s; echo "system=$v"',
  'uts hostname -n; echo "nodename=$v"',
  'echo "fqdn=$(timeout 3 hostname -f 2>/dev/null)"',
  'for f in /etc/os-release /usr/lib/os-release; do if [ -r "$f" ]; then',
  '  while IFS= read -r l || [ -n "$l" ]; do case ${l%%=*} in "$l"|""|[!A-Z_]*|*[!A-Z0-9_]*) ;; *) printf "osr.%s\\n" "$l" ;; esac; done < "$f"; break',
  'fi; done',
  'if [ -r /etc/debian_version ]; then one_line /etc/debian_version; echo "debian_version=$v"; fi',
  '{ [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; } && echo systemd_booted=1',
  '[ -L /sbin/init ] && echo "sbin_init=$(readlink /sbin/init)"',
  '[ -e /etc/init/ ] && echo etc_init=1; [ -e /sbin/openrc ] && echo sbin_openrc=1',
  '[ -d /etc/init.d ] && echo initd=1',
  'one_line /proc/1/comm; echo "pid1=$v"',
  `for c in ${COMMANDS.join(' ')}; do command -v "$c" >/dev/null 2>&1 && printf "bin.%s=" "$c" && command -v "$c"; done`,
  '[ -x /usr/libexec/platform-python ] && echo bin.platform-python=/usr/libexec/platform-python',
  'echo "nproc_online=$(getconf _NPROCESSORS_ONLN 2>/dev/null)"',
  `set --; for f in ${PROC_FILES.join(' ')}; do [ -r "\${f#*:}" ] && set -- "$@" "t=\${f%%:*}" "\${f%%:*}=1" "\${f#*:}"; done`,
  `{ tr '\\0' '\\n' < /proc/1/environ; } 2>/dev/null | awk '${PROC_SCAN}' "$@" t=env -`,
  '[ -r /proc/self/status ] || { echo "user_uid=$(id -u)"; echo "user_gid=$(id -g)"; }',
  'echo "user_id=$(id -un 2>/dev/null)"; echo "user_dir=$HOME"',
  '[ -e /sys/kernel/btf/vmlinux ] && echo btf=1',
  '[ -d /sys/firmware ] && echo sysfs=1',
  '[ -d /sys/firmware/efi ] && echo efi=1',
  'f=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c; [ -r "$f" ] && echo "secureboot_var=$(od -An -tu1 "$f" 2>/dev/null | tr -s " \\n" "  ")"',
  'command -v mokutil >/dev/null 2>&1 && echo "mokutil=$(mokutil --sb-state 2>&1 | head -n 1)"',
  '[ -e "/lib/modules/$kernel/build" ] && echo kernel_headers=1',
  // the rest of what ansible-core's LinuxVirtual reads, in its order; parsed by linuxVirtual()
  '[ -e /proc/vz ] && echo proc_vz=1; [ -e /proc/lve ] && echo proc_lve=1; [ -e /proc/bc ] && echo proc_bc=1',
  'if [ -r /run/systemd/container ]; then one_line /run/systemd/container; echo "container=$v"; fi',
  '{ [ -e /.dockerenv ] || [ -e /.dockerinit ]; } && echo dockerenv=1',
  '[ -e /proc/xen ] && echo "xen=$(grep -qs control_d /proc/xen/capabilities && echo host || echo guest)"',
  'for f in product_name sys_vendor product_family bios_vendor; do f=/sys/devices/virtual/dmi/id/$f; if [ -r $f ]; then one_line $f; echo "dmi_${f##*/}=$v"; fi; done',
  '[ -d /rhev/ ] && grep -qsxE "vdsmd?" /proc/[0-9]*/comm && echo rhev_vdsm=1',
  'command -v dmidecode >/dev/null 2>&1 && p=$(dmidecode -s system-product-name 2>/dev/null) && echo "dmidecode_product=$(printf %s "$p" | grep -v "^#" | tr -d "\\n")"',
  '[ -e /dev/kvm ] && echo dev_kvm=1',
  'date +"epoch=%s%ntz=%Z"; date -u +"date_utc=%Y-%m-%dT%H:%M:%SZ"',
  'one_line /var/lib/dbus/machine-id; [ -n "$v" ] || one_line /etc/machine-id; echo "machine_id=$v"',
  'echo "long_bit=$(getconf LONG_BIT 2>/dev/null)"',
  ':',
].join('\n');
