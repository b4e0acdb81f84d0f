#!/bin/bash
# PID 1 of a lite sandbox host's fresh pid/mount/uts/ipc namespaces (started by
# `falco-deploy sandbox up --kind lite` inside the host's network namespace).
# Builds the host's filesystem view — an overlay over the shared rootfs, with the per-host
# files already seeded into UPPER by the controller — and execs sshd as the namespace's PID 1.
# Killing that process ends the host: every process of the pid namespace dies and the
# private mounts vanish with the mount namespace.
#
#   lite-hostinit.sh NAME HOSTDIR ROOTFS [ro|rw SOURCE TARGET]...
set -eu
NAME=$1 H=$2 BASE=$3
shift 3
M=$H/merged
hostname "$NAME"
mount --make-rprivate /
mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$H/upper,workdir=$H/work" "$M"
mount -t proc proc "$M/proc"
mount -t sysfs sysfs "$M/sys" 2>/dev/null || mount --rbind /sys "$M/sys"
# A private minimal /dev: no controller disks inside the host.
# Device nodes and the fd symlinks are copied (one process instead of a bind mount each).
mount -t tmpfs -o mode=755,size=1m tmpfs "$M/dev"
cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/fd /dev/stdin /dev/stdout /dev/stderr "$M/dev/"
mkdir "$M/dev/pts" "$M/dev/shm"
ln -s pts/ptmx "$M/dev/ptmx"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$M/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$M/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$M/run"
mkdir -p "$M/run/sshd" "$M/run/lock"
mount -t tmpfs -o mode=1777 tmpfs "$M/tmp"
while [ $# -ge 3 ]; do
  mkdir -p "$M$3"
  mount --bind "$2" "$M$3"
  [ "$1" = ro ] && mount -o remount,bind,ro "$M$3"
  shift 3
done
exec chroot "$M" /usr/sbin/sshd -D -e
