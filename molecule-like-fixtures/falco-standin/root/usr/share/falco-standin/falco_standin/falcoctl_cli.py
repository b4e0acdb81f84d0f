"""Stand-in `falcoctl`: the driver and artifact-follow commands the package scripts and units use.

`driver config` behaves like falcoctl's cmd/driver/config: when falco.yaml's engine.kind is a
driver kind it writes `engine.kind` to <falco-config-dir>/config.d/engine-kind-falcoctl.yaml,
then stores the driver settings in /etc/falcoctl/falcoctl.yaml.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import yaml

from . import settings, versions

FALCOCTL_VERSION = "0.11.4"
DRIVER_KINDS = ("kmod", "modern_ebpf", "ebpf")
DEFAULT_REPO = "https://download.falco.org/driver"


def say(level, message):
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    sys.stderr.write(f"{stamp} {level:<5} {message}\n")
    sys.stderr.flush()


def parse_flags(args):
    flags, positional = {}, []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--"):
            if "=" in arg:
                key, value = arg[2:].split("=", 1)
            elif i + 1 < len(args) and not args[i + 1].startswith("--") and arg[2:] not in ("help",):
                key, value = arg[2:], args[i + 1]
                i += 1
            else:
                key, value = arg[2:], "true"
            flags.setdefault(key, []).append(value)
        else:
            positional.append(arg)
        i += 1
    return flags, positional


def config_file(flags):
    return (flags.get("config") or [os.environ.get("FALCOCTL_CONFIG", "/etc/falcoctl/falcoctl.yaml")])[-1]


def read_yaml(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        return {}


def stored_driver(flags):
    return read_yaml(config_file(flags)).get("driver") or {}


def btf_available(stand):
    return os.path.exists(os.path.join(stand["sys_root"], "kernel", "btf", "vmlinux"))


def choose_type(types, stand):
    """Several --type values mean "pick the best supported one", in the order given."""
    for kind in types:
        if kind == "modern_ebpf" and not btf_available(stand):
            continue
        if kind == "ebpf" and versions.legacy_ebpf_removed():
            continue
        return kind
    return None


def driver_config(flags):
    stand = settings.load()
    types = flags.get("type") or [stored_driver(flags).get("type", ["modern_ebpf"])[0]]
    for kind in types:
        if kind not in DRIVER_KINDS or (kind == "ebpf" and versions.legacy_ebpf_removed()):
            say("ERROR", f"invalid argument \"{kind}\" for \"--type\" flag: unsupported driver type")
            return 1
    kind = choose_type(types, stand)
    if kind is None:
        say("ERROR", f"none of the driver types {types} is supported on this system")
        return 1
    say("INFO", f"Running falcoctl driver config name:falco version:{versions.DEFAULT_DRIVER_VERSION} type:{kind} "
                "host-root:/ repos:" + DEFAULT_REPO)
    config_dir = (flags.get("falco-config-dir") or ["/etc/falco"])[-1]
    update = (flags.get("update-falco") or ["true"])[-1] != "false"
    if update:
        falco_yaml = read_yaml(os.path.join(config_dir, "falco.yaml"))
        current = (falco_yaml.get("engine") or {}).get("kind") if isinstance(falco_yaml, dict) else None
        if current in DRIVER_KINDS:
            target_dir = os.path.join(config_dir, "config.d")
            say("INFO", f"Committing driver config to specialized configuration file under directory:{target_dir}")
            os.makedirs(target_dir, mode=0o755, exist_ok=True)
            with open(os.path.join(target_dir, "engine-kind-falcoctl.yaml"), "w", encoding="utf-8") as handle:
                handle.write(yaml.safe_dump({"engine": {"kind": kind}}, default_flow_style=False, indent=4))
        else:
            say("INFO", "Falco is not configured to run with a driver, no need to set driver type.")
    say("INFO", "Storing falcoctl driver config")
    path = config_file(flags)
    data = read_yaml(path)
    data["driver"] = {"type": [kind], "name": "falco", "repos": [DEFAULT_REPO],
                      "version": versions.DEFAULT_DRIVER_VERSION, "hostroot": "/"}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, default_flow_style=False, sort_keys=False)
    return 0


def driver_install(flags, positional):
    stand = settings.load()
    kind = (positional or flags.get("type") or stored_driver(flags).get("type") or ["kmod"])[0]
    if kind == "modern_ebpf":
        say("INFO", "Nothing to do for modern_ebpf driver: it is bundled in the Falco binary")
        return 0
    if kind != "kmod":
        say("ERROR", f"driver type {kind} is not supported")
        return 1
    name = stand["kmod_name"]
    release = os.uname().release
    say("INFO", f"Running falcoctl driver install driver:kmod name:{name} kernelrelease:{release}")
    if os.path.isdir(os.path.join(stand["sys_root"], "module", name)):
        say("INFO", f"Kernel module {name} already loaded")
        return 0
    modinfo = shutil.which("modinfo") or "/sbin/modinfo"
    found = os.path.exists(modinfo) and subprocess.run([modinfo, "-k", release, name], capture_output=True).returncode == 0
    if found:
        say("INFO", f"Kernel module {name} available for {release} (built by DKMS)")
        return 0
    say("ERROR", f"unable to find a prebuilt kmod driver and compilation with DKMS failed: module '{name}' is not "
                 f"available for kernel {release} (install the driver, e.g. falcosecurity-scap-dkms, or set "
                 "FALCO_STANDIN_KMOD_NAME)")
    return 1


def driver_cleanup(flags):
    stand = settings.load()
    name = stand["kmod_name"]
    if os.path.isdir(os.path.join(stand["sys_root"], "module", name)):
        say("INFO", f"Unloading kernel module {name}")
        subprocess.run(["rmmod", name], capture_output=True)
    else:
        say("INFO", "Nothing to clean up")
    return 0


def driver_printenv(flags):
    stand = settings.load()
    driver = stored_driver(flags)
    kind = (driver.get("type") or ["kmod"])[0]
    sys.stdout.write(f'DRIVER="{kind}"\nDRIVERS_REPO="{DEFAULT_REPO}"\n'
                     f'DRIVER_VERSION="{driver.get("version", versions.DEFAULT_DRIVER_VERSION)}"\n'
                     f'DRIVER_NAME="{stand["kmod_name"] if kind == "kmod" else "falco"}"\n'
                     f'HOST_ROOT="/"\nTARGET_ID="debian"\nARCH="{versions.machine()}"\n'
                     f'KERNEL_RELEASE="{os.uname().release}"\nKERNEL_VERSION="{os.uname().version}"\n')
    return 0


def artifact_follow(flags):
    stop = {"now": False}

    def on_signal(_signum, _frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    say("INFO", "Creating follower for falco-rules:4 with check every 6h0m0s (stand-in: no registry is contacted)")
    while not stop["now"]:
        time.sleep(0.5)
    say("INFO", "Stopping follower")
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    flags, positional = parse_flags(argv)
    words = positional[:2]
    if words[:1] == ["version"]:
        sys.stdout.write(f"Client Version: {FALCOCTL_VERSION}\n")
        return 0
    if words == ["driver", "config"]:
        return driver_config(flags)
    if words == ["driver", "install"]:
        return driver_install(flags, positional[2:])
    if words == ["driver", "cleanup"]:
        return driver_cleanup(flags)
    if words == ["driver", "printenv"]:
        return driver_printenv(flags)
    if words == ["artifact", "follow"]:
        return artifact_follow(flags)
    say("ERROR", f"unknown command \"{' '.join(positional)}\" for \"falcoctl\" (stand-in supports: version, driver "
                 "config|install|cleanup|printenv, artifact follow)")
    return 1
