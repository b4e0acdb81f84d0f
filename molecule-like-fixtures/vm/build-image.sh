#!/bin/bash
# Builds the bootable Debian bookworm VM image for the kmod-vm scenario: a real Debian kernel,
# its headers, DKMS, gcc, systemd and sshd, plus an offline apt repository (/srv/vm-repo) that
# holds Debian's falcosecurity-scap-dkms (the real Falco kernel driver, module `scap`) and its
# dependency closure, because the guest reaches no network at all.
#
#   build-image.sh VM_CACHE TARGET_NAME
#
# Result, appearing as VM_CACHE/TARGET_NAME only once complete (temp dir + rename):
#   vm.qcow2            ext4 root filesystem (no partition table, root=/dev/vda), compressed qcow2
#   vmlinuz, initrd.img the guest kernel for qemu -kernel/-initrd
#   kernel-release      `uname -r` of the guest
#   id_ed25519[.pub]    client key authorised for root in the guest
#   host_ed25519.pub    the guest's SSH host key (for known_hosts)
#   scap-prebuilt.dkms.tar.gz  DKMS tarball of scap built for the guest kernel (also in the image)
#
# The scap module is PREBUILT here, natively in the chroot (~15 s), instead of in the guest
# under TCG software emulation (~4.5 min). The image has no driver package installed; it
# holds the DKMS tarball where falcosecurity-scap-dkms's postinst looks for one, so installing
# the package in the guest runs Debian's real postinst and DKMS, which load the prebuilt module
# (`dkms ldtarball`) and install it for the running kernel without compiling.
#
# The debootstrap result is cached separately (VM_CACHE/base-<hash of the package list>) and
# downloaded .debs in VM_CACHE/debs, so changing the later steps does not re-download.
set -euo pipefail
VM_CACHE=$1
TARGET=$2
MIRROR=${FALCO_DEPLOY_MIRROR:-http://deb.debian.org/debian}
PACKAGES=linux-image-amd64,linux-headers-amd64,dkms,gcc,make,initramfs-tools,systemd,systemd-sysv,dbus,udev,openssh-server,python3,iproute2,procps,kmod,ca-certificates,libpam-systemd,sudo,curl,gnupg,apt-utils,less
DRIVER_PACKAGE=falcosecurity-scap-dkms
ms() { echo $(($(date +%s%N) / 1000000 - $1)); }
now() { echo $(($(date +%s%N) / 1000000)); }

mkdir -p "$VM_CACHE/debs"
exec 9>"$VM_CACHE/build.lock"
flock 9
[ -f "$VM_CACHE/$TARGET/vm.qcow2" ] && exit 0 # another process built it while we waited

WORK=$(mktemp -d "$VM_CACHE/.build-XXXXXX")
cleanup() {
  { grep -o " $WORK/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

# --- 1. debootstrap (cached by package list) ---
BASE=$VM_CACHE/base-$(echo "$MIRROR $PACKAGES" | sha256sum | cut -c1-12)
if [ ! -d "$BASE" ]; then
  t0=$(now)
  echo "debootstrap bookworm with kernel, headers, dkms, gcc from $MIRROR ..."
  debootstrap --variant=minbase --cache-dir="$VM_CACHE/debs" --include="$PACKAGES" \
    bookworm "$WORK/base" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
    tail -n 30 "$WORK/debootstrap.log" >&2
    echo "debootstrap failed" >&2
    exit 1
  }
  mv "$WORK/base" "$BASE"
  echo "debootstrap: $(ms "$t0") ms"
fi
t0=$(now)
R=$WORK/root
cp -a "$BASE" "$R"
KVER=$(basename "$(ls -d "$R"/lib/modules/* | sort -V | tail -n 1)")

# --- 2. offline repository with the driver's dependency closure ---
mount -t proc proc "$R/proc"
cp /etc/resolv.conf "$R/etc/resolv.conf"
echo "deb $MIRROR bookworm main" >"$R/etc/apt/sources.list"
chroot "$R" apt-get update -qq
rm -f "$R"/var/cache/apt/archives/*.deb # debootstrap leaves the base system's .debs here
chroot "$R" apt-get install -y -d -qq --no-install-recommends "$DRIVER_PACKAGE"
mkdir -p "$R/srv/vm-repo"
mv "$R"/var/cache/apt/archives/*.deb "$R/srv/vm-repo/"
chroot "$R" sh -c 'cd /srv/vm-repo && apt-ftparchive packages . > Packages'
echo 'deb [trusted=yes] file:/srv/vm-repo ./' >"$R/etc/apt/sources.list"
rm -rf "$R"/var/lib/apt/lists/* && mkdir -p "$R/var/lib/apt/lists/partial"
chroot "$R" apt-get update -qq
echo "offline repo: $(ls "$R/srv/vm-repo" | grep -c 'deb$') debs ($(du -sh "$R/srv/vm-repo" | cut -f1))"

# --- 3. prebuild scap with the real DKMS for the guest kernel, natively ---
t1=$(now)
# Debian's postinst builds for `uname -r` (the controller's kernel: not installed here, so
# skipped) and for every kernel in /lib/modules, i.e. the guest's.
DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y -qq --no-install-recommends "$DRIVER_PACKAGE" >"$WORK/driver.log" 2>&1 || {
  cat "$WORK/driver.log" >&2; exit 1; }
SCAP_VERSION=$(cd "$R/var/lib/dkms/scap" && ls -d -- */ | head -n 1 | tr -d /)
chroot "$R" dkms status -m scap -v "$SCAP_VERSION" -k "$KVER" | grep -q ': installed' || {
  cat "$WORK/driver.log" >&2; echo "DKMS did not build scap for $KVER" >&2; exit 1; }
# A DKMS tarball (source + the built module) is DKMS's own format for prebuilt modules: the
# package's postinst runs `dkms ldtarball` when it finds one in /usr/share/scap-dkms/, and
# then only `dkms install`s the module instead of compiling it.
chroot "$R" dkms mktarball -m scap -v "$SCAP_VERSION" -k "$KVER" >>"$WORK/driver.log" 2>&1
cp "$(ls "$R"/var/lib/dkms/scap/"$SCAP_VERSION"/tarball/*.dkms.tar.gz | head -n 1)" "$WORK/scap-prebuilt.dkms.tar.gz"
# The guest starts without the driver package: installing it is the deploy's job.
DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get purge -y -qq "$DRIVER_PACKAGE" >>"$WORK/driver.log" 2>&1
rm -rf "$R/var/lib/dkms/scap"
install -D -m 644 "$WORK/scap-prebuilt.dkms.tar.gz" "$R/usr/share/scap-dkms/scap-$SCAP_VERSION.dkms.tar.gz"
echo "scap $SCAP_VERSION prebuilt for $KVER: $(ms "$t1") ms"
umount "$R/proc"

# --- 4. guest configuration ---
apt-get clean -o RootDir="$R" 2>/dev/null || rm -f "$R"/var/cache/apt/archives/*.deb
echo 'nameserver 127.0.0.1' >"$R/etc/resolv.conf"
echo kmodvm >"$R/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 kmodvm\n::1 localhost\n' >"$R/etc/hosts"
echo '/dev/vda / ext4 rw,relatime 0 1' >"$R/etc/fstab"
: >"$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id"
# The stand-in Falco's kmod unit loads this module name (Debian's DKMS package builds `scap`).
echo 'FALCO_STANDIN_KMOD_NAME=scap' >"$R/etc/default/falco-standin"

ssh-keygen -q -t ed25519 -N '' -C falco-deploy-kmod-vm -f "$WORK/id_ed25519"
install -d -m 700 "$R/root/.ssh"
install -m 600 "$WORK/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
rm -f "$R"/etc/ssh/ssh_host_*
ssh-keygen -q -t ed25519 -N '' -C kmodvm -f "$R/etc/ssh/ssh_host_ed25519_key"
cp "$R/etc/ssh/ssh_host_ed25519_key.pub" "$WORK/host_ed25519.pub"
cat >"$R/etc/ssh/sshd_config.d/falco-deploy-vm.conf" <<'CONF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
HostKey /etc/ssh/ssh_host_ed25519_key
CONF

# QEMU user-mode networking hands out 10.0.2.15 by DHCP; the guest reaches nothing else.
mkdir -p "$R/etc/systemd/network"
printf '[Match]\nName=en* eth*\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' >"$R/etc/systemd/network/20-dhcp.network"
chroot "$R" systemctl enable systemd-networkd ssh >/dev/null 2>&1
for unit in systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer fstrim.timer man-db.timer systemd-timesyncd.service; do
  ln -sf /dev/null "$R/etc/systemd/system/$unit"
done

# DKMS runs `depmod -a` on install: ~20 s under emulation over the 4000 modules of the
# Debian kernel. Hardware this guest never has (QEMU gives it virtio only) goes.
M=$R/lib/modules/$KVER/kernel
rm -rf "$M"/sound "$M"/drivers/{media,iio,hid,hwmon,comedi,mtd,gpu,video,staging,infiniband,bluetooth,isdn,usb,platform,watchdog} \
  "$M"/drivers/net/{wireless,ethernet,can,usb}
chroot "$R" depmod "$KVER"

# Every package install runs `systemctl daemon-reload` (the Falco postinst ~9 times), and each
# runs all generators: ~5 s under emulation. Only the fstab one matters to this guest (~3 s).
mkdir -p "$R/etc/systemd/system-generators"
for g in "$R"/usr/lib/systemd/system-generators/*; do
  [ "$(basename "$g")" = systemd-fstab-generator ] || ln -sf /dev/null "$R/etc/systemd/system-generators/$(basename "$g")"
done

cp "$R/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
cp "$R/boot/initrd.img-$KVER" "$WORK/initrd.img"
echo "$KVER" >"$WORK/kernel-release"

# --- 5. disk image: mkfs.ext4 -d fills the filesystem from the directory (no loop mount) ---
t1=$(now)
size_mb=$(($(du -sm "$R" | cut -f1) + 1536))
mkfs.ext4 -q -L vmroot -d "$R" "$WORK/vm.raw" "${size_mb}M"
qemu-img convert -c -O qcow2 "$WORK/vm.raw" "$WORK/vm.qcow2"
rm -f "$WORK/vm.raw"
echo "disk image: $(ms "$t1") ms, $(du -sh "$WORK/vm.qcow2" | cut -f1) compressed qcow2 (${size_mb} MiB virtual)"

mkdir "$WORK/out"
mv "$WORK"/{vm.qcow2,vmlinuz,initrd.img,kernel-release,id_ed25519,id_ed25519.pub,host_ed25519.pub,scap-prebuilt.dkms.tar.gz} "$WORK/out/"
mv "$WORK/out" "$VM_CACHE/$TARGET"
echo "image ready: $VM_CACHE/$TARGET (kernel $KVER) in $(ms "$t0") ms after debootstrap"
