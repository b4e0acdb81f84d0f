#!/bin/bash
# Builds the Debian bookworm root filesystem shared (read-only, as the overlay lower layer)
# by every sandbox host, lite and systemd alike. Run as root by `falco-deploy sandbox up`
# when the cache has no rootfs for the current version of this script.
#
#   build-rootfs.sh CACHE_DIR TARGET_NAME
#
# The result appears as CACHE_DIR/TARGET_NAME only once it is complete (built in a temporary
# directory, then renamed), so a crashed build is never used. Concurrent callers serialise on
# a lock and the later ones find the finished tree. Downloaded .debs stay in CACHE_DIR/debs.
#
# Per-host files are NOT in the image: hostname, /etc/hosts, SSH host key and the
# authorized_keys of root and deploy are written into each host's overlay upper dir.
set -euo pipefail
CACHE=$1
TARGET=$2
MIRROR=${FALCO_DEPLOY_MIRROR:-http://deb.debian.org/debian}
PACKAGES=systemd,systemd-sysv,dbus,openssh-server,python3,iproute2,procps,kmod,ca-certificates,libpam-systemd,sudo,curl,gnupg,apt-utils,iputils-ping,less,cron

mkdir -p "$CACHE/debs"
exec 9>"$CACHE/build.lock"
flock 9
if [ -x "$CACHE/$TARGET/usr/sbin/sshd" ]; then
  exit 0 # another process finished the build while we waited for the lock
fi

WORK=$(mktemp -d "$CACHE/.build-XXXXXX")
cleanup() {
  # debootstrap mounts /proc and /sys inside the target; a failed run can leave them behind.
  # (grep finds nothing after a clean build: that must not turn a successful exit into a failure)
  { grep -o " $WORK/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
R=$WORK/rootfs

echo "debootstrap bookworm from $MIRROR ..."
debootstrap --variant=minbase --cache-dir="$CACHE/debs" --include="$PACKAGES" \
  bookworm "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -n 30 "$WORK/debootstrap.log" >&2
  echo "debootstrap failed (full log was $WORK/debootstrap.log)" >&2
  exit 1
}

# A non-root account whose sudo needs a password, to exercise become with a password.
chroot "$R" useradd --create-home --shell /bin/bash --groups sudo deploy
echo 'deploy:deploy' | chroot "$R" chpasswd

cat >"$R/etc/ssh/sshd_config.d/falco-deploy-sandbox.conf" <<'EOF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxStartups 200:30:400
MaxSessions 50
HostKey /etc/ssh/ssh_host_ed25519_key
EOF
rm -f "$R"/etc/ssh/ssh_host_*

# Each systemd container gets its own machine-id at boot from an empty file.
: >"$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id"
echo sandbox >"$R/etc/hostname"
# Hosts have no DNS and no route beyond the sandbox bridge.
echo 'nameserver 127.0.0.1' >"$R/etc/resolv.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$R/etc/hosts"

# Nothing reachable to fetch from: the deploy adds its own (local) repository later.
# Dropping debootstrap's 50 MB package lists also keeps each host's first apt run cheap.
echo '# no sources: sandbox hosts have no internet; a local repository is added by the deploy' >"$R/etc/apt/sources.list"
rm -rf "$R"/etc/apt/sources.list.d/* "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb
mkdir -p "$R/var/lib/apt/lists/partial"

# systemd containers: nothing that polls the network, no console getty on a read-only console,
# no cron daemon running jobs on its own (cron is there for its crontab binary: the cron module).
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer cron.service \
  console-getty.service getty@tty1.service systemd-timesyncd.service; do
  ln -sf /dev/null "$R/etc/systemd/system/$unit"
done
chroot "$R" systemctl enable ssh.service >/dev/null 2>&1

mv "$R" "$CACHE/$TARGET"
echo "rootfs ready: $CACHE/$TARGET ($(du -sh "$CACHE/$TARGET" | cut -f1))"
