#!/bin/bash
# Runs INSIDE a booted systemd-nspawn container of the sandbox rootfs (see systemd.test.ts):
# install from the stand-in repository with systemd as PID 1, so the postinst really
# starts the unit. Prints "@@ key value" lines for the test.
set -u
say() { printf '@@ %s %s\n' "$1" "$2"; }
wait_active() { for _ in $(seq 50); do [ "$(systemctl is-active "$1")" = active ] && return 0; sleep 0.2; done; return 1; }
wait_healthz() { for _ in $(seq 50); do curl -sf 127.0.0.1:8765/healthz && return 0; sleep 0.2; done; return 1; }
export DEBIAN_FRONTEND=noninteractive
curl -fsSL file:///srv/falco-repo/falcosecurity-packages.asc | gpg --batch --yes --dearmor -o /usr/share/keyrings/falco-archive-keyring.gpg
echo "deb [signed-by=/usr/share/keyrings/falco-archive-keyring.gpg] file:///srv/falco-repo stable main" \
  >/etc/apt/sources.list.d/falcosecurity.list
apt-get update -qq >/dev/null 2>&1
FALCO_FRONTEND=noninteractive FALCO_DRIVER_CHOICE=modern_ebpf apt-get install -y -qq falco >/tmp/install.log 2>&1
say install "$?"
wait_active falco.service
say falco "$(systemctl is-active falco-modern-bpf.service)"
say follower "$(systemctl is-active falcoctl-artifact-follow.service)"
say healthz "$(wait_healthz)"

mkdir -p /var/log/falco
printf 'json_output: true\nfile_output:\n  enabled: true\n  filename: /var/log/falco/events.json\n' >/etc/falco/config.d/90-test.yaml
systemctl restart falco.service
wait_active falco.service; wait_healthz >/dev/null
cat /etc/shadow >/dev/null
for _ in $(seq 50); do grep -q 'Read sensitive file untrusted' /var/log/falco/events.json 2>/dev/null && break; sleep 0.1; done
say alert "$(grep -m1 'Read sensitive file untrusted' /var/log/falco/events.json)"
say events_mode "$(stat -c %a /var/log/falco/events.json)"

systemctl reload falco.service
sleep 1
say after_reload "$(systemctl is-active falco.service) $(wait_healthz)"

# engine.kind would not do: the unit's -o engine.kind=modern_ebpf wins over config.d
echo 'priority: nonsense' >/etc/falco/config.d/95-broken.yaml
systemctl restart falco.service
# until the daemon has read its config and exited (seconds on a loaded machine)
for _ in $(seq 150); do [ "$(systemctl is-active falco.service)" = active ] || break; sleep 0.2; done
say broken "$(systemctl is-active falco.service)"
say broken_log "$(journalctl --no-pager -o cat | grep -m1 'must be one of')"
journalctl --no-pager -n 25 -o short >&2  # context for the test's failure messages
