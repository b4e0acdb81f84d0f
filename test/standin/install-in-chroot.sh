#!/bin/bash
# Runs INSIDE a throwaway chroot of the sandbox rootfs (see install.test.ts): the orchestrator's
# real install path against the stand-in repository bind-mounted at /srv/falco-repo.
# Prints "@@ key value" lines for the test to check; keeps going after failures.
set -u
say() { printf '@@ %s %s\n' "$1" "$2"; }
# on failure, show the end of that step's log (the test prints the whole output when a check fails)
logtail() { [ "$1" = 0 ] || { echo "--- $2" >&2; tail -n 25 "$2" >&2; }; }
ip link set lo up 2>/dev/null
export DEBIAN_FRONTEND=noninteractive

curl -fsSL file:///srv/falco-repo/falcosecurity-packages.asc -o /tmp/key.asc
say fingerprint "$(gpg --batch --show-keys --with-colons /tmp/key.asc 2>/dev/null | awk -F: '$1=="fpr"{print $10; exit}')"
gpg --batch --yes --dearmor -o /usr/share/keyrings/falco-archive-keyring.gpg /tmp/key.asc
echo "deb [signed-by=/usr/share/keyrings/falco-archive-keyring.gpg] file:///srv/falco-repo stable main" \
  >/etc/apt/sources.list.d/falcosecurity.list
apt-get update >/tmp/update.log 2>&1
rc=$?; say update "$rc"; logtail "$rc" /tmp/update.log

FALCO_FRONTEND=noninteractive FALCO_DRIVER_CHOICE=modern_ebpf FALCOCTL_ENABLED=no \
  apt-get install -y falco=0.43.0 >/tmp/install.log 2>&1
rc=$?; say install "$rc"; logtail "$rc" /tmp/install.log
say version "$(falco --version 2>/dev/null | head -n1)"
say modern "$(systemctl is-enabled falco-modern-bpf.service 2>&1)"
say follower "$(systemctl is-enabled falcoctl-artifact-follow.service 2>&1)"
say alias "$(readlink /etc/systemd/system/falco.service)"
say engine_kind "$(tr -d ' \n' </etc/falco/config.d/engine-kind-falcoctl.yaml)"
say bpf_unit "$(test -f /usr/lib/systemd/system/falco-bpf.service && echo present || echo absent)"
say record1 "$(tail -n1 /var/lib/falco-standin/postinst.log)"

sudo FALCO_FRONTEND=noninteractive FALCO_DRIVER_CHOICE=modern_ebpf FALCOCTL_ENABLED=yes \
  apt-get install -y falco >/tmp/upgrade.log 2>&1
rc=$?; say upgrade "$rc"; logtail "$rc" /tmp/upgrade.log
say version2 "$(falco --version 2>/dev/null | head -n1)"
say follower2 "$(systemctl is-enabled falcoctl-artifact-follow.service 2>&1)"
say bpf_unit2 "$(test -f /usr/lib/systemd/system/falco-bpf.service && echo present || echo absent)"
say record2 "$(tail -n1 /var/lib/falco-standin/postinst.log)"

# kmod on a kernel without the module: the postinst fails like the real one would
FALCO_FRONTEND=noninteractive FALCO_DRIVER_CHOICE=kmod apt-get install -y --reinstall falco >/tmp/kmod.log 2>&1
say kmod_install "$?"
say record3 "$(tail -n1 /var/lib/falco-standin/postinst.log)"
# a half-configured package is finished with dpkg --configure (apt-get --reinstall refuses:
# "E: Internal Error, No file name for falco:amd64")
FALCO_FRONTEND=noninteractive FALCO_DRIVER_CHOICE=modern_ebpf dpkg --configure -a >/tmp/fix.log 2>&1
rc=$?; say reinstall "$rc"; logtail "$rc" /tmp/fix.log
say status "$(dpkg-query -W -f '${Status}' falco)"

# the daemon as installed, alerting on a real read of /etc/shadow
falco -o webserver.listen_address=127.0.0.1 -o json_output=true -o stdout_output.enabled=false \
  -o syslog_output.enabled=false -o log_syslog=false \
  -o file_output.enabled=true -o file_output.filename=/tmp/events.json >/tmp/falco.log 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf 127.0.0.1:8765/healthz >/dev/null && break; sleep 0.1; done
say healthz "$(curl -s 127.0.0.1:8765/healthz)"
cat /etc/shadow >/dev/null
for _ in $(seq 50); do grep -q 'Read sensitive file untrusted' /tmp/events.json 2>/dev/null && break; sleep 0.1; done
say alert "$(grep -m1 'Read sensitive file untrusted' /tmp/events.json 2>/dev/null)"  # not whatever else the machine ran first
kill -INT "$pid"; wait "$pid"
rc=$?; say daemon_exit "$rc"; logtail "$rc" /tmp/falco.log

apt-get purge -y falco >/tmp/purge.log 2>&1
rc=$?; say purge "$rc"; logtail "$rc" /tmp/purge.log
say etc_after_purge "$(ls -A /etc/falco 2>&1 | tr '\n' ' ')"
say leftovers "$(ls -A /usr/share/falco-standin 2>&1 | tr '\n' ' ')"
