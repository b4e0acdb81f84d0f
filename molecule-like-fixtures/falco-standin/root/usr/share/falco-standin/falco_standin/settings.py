"""Stand-in only settings (no real Falco equivalent).

Read from /etc/default/falco-standin (KEY=VALUE lines, also used as the systemd units'
EnvironmentFile) and overridden by the environment:
  FALCO_STANDIN_KMOD_NAME     kernel module the kmod engine needs (default falco;
                              Debian's falcosecurity-scap-dkms builds `scap`)
  FALCO_STANDIN_SYS_ROOT      sysfs root checked for /module/<name> and /kernel/btf/vmlinux
  FALCO_STANDIN_SHADOW_PATH   file whose opens raise "Read sensitive file untrusted"
  FALCO_STANDIN_POLL_MS       /proc poll period for new shells (default 200)
  FALCO_STANDIN_DEFAULTS      alternative path of the KEY=VALUE file
"""
import os

DEFAULTS_FILE = "/etc/default/falco-standin"


def _read_env_file(path):
    values = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for raw in handle:
                line = raw.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip().strip('"').strip("'")
    except OSError:
        pass
    return values


def load():
    path = os.environ.get("FALCO_STANDIN_DEFAULTS", DEFAULTS_FILE)
    values = _read_env_file(path)
    for key in list(os.environ):
        if key.startswith("FALCO_STANDIN_"):
            values[key] = os.environ[key]
    return {
        "kmod_name": values.get("FALCO_STANDIN_KMOD_NAME") or "falco",
        "sys_root": values.get("FALCO_STANDIN_SYS_ROOT") or "/sys",
        "shadow_path": values.get("FALCO_STANDIN_SHADOW_PATH") or "/etc/shadow",
        "poll_ms": int(values.get("FALCO_STANDIN_POLL_MS") or "200"),
    }
