"""Command line of the stand-in `falco` (a subset of the real options, same spelling)."""
import json
import os
import platform
import sys

from . import config as cfg
from . import daemon, log, rules, versions

DEFAULT_CONFIG = "/etc/falco/falco.yaml"
USAGE = """Falco - Cloud Native Runtime Security (falco-deploy test stand-in)
Usage:
  falco [OPTION...]

  -c <path>                     Configuration file (default /etc/falco/falco.yaml)
      --dry-run                 Run Falco without processing events: check configuration and rules
  -h, --help                    Print this help list and exit
  -o, --option <opt>=<val>      Set the value of option <opt> to <val>; overrides the configuration files
      --pidfile <pid_file>      Write the process ID to this file
      --support                 Print support information including version, rules files used, etc. and exit
  -U, --unbuffered              Turn off output buffering
  -V, --validate <rules_file>   Read the contents of the specified rules file(s) and exit
  -v                            Verbose output
      --version                 Print version information and exit
"""
WITH_VALUE = {"-c", "-o", "--option", "--pidfile", "-V", "--validate", "--disable-source", "--enable-source"}
FLAGS = {"--dry-run", "-h", "--help", "--support", "-U", "--unbuffered", "-v", "--version", "-A"}


class UsageError(Exception):
    pass


def parse(argv):
    opts = {"config": None, "options": [], "validate": [], "pidfile": None, "flags": set()}
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        elif arg.startswith("-") and not arg.startswith("--") and len(arg) > 2 and arg[:2] in WITH_VALUE:
            name, value = arg[:2], arg[2:]
        if name in WITH_VALUE:
            if value is None:
                i += 1
                if i >= len(argv):
                    raise UsageError(f"Option ‘{name.lstrip('-')}’ is missing an argument")
                value = argv[i]
            if name == "-c":
                opts["config"] = value
            elif name in ("-o", "--option"):
                opts["options"].append(value)
            elif name == "--pidfile":
                opts["pidfile"] = value
            elif name in ("-V", "--validate"):
                opts["validate"] += [v for v in value.split(",") if v]
        elif name in FLAGS:
            opts["flags"].add(name)
        else:
            raise UsageError(f"Option ‘{name.lstrip('-')}’ does not exist")
        i += 1
    return opts


def _load_config(opts, required):
    path = opts["config"] or DEFAULT_CONFIG
    if not required and opts["config"] is None and not os.path.exists(path):
        return None
    conf = cfg.load(path, opts["options"])
    log.configure(stderr=conf.get("log_stderr", True), use_syslog=False)
    daemon.log_config(conf)
    return conf


def cmd_validate(opts):
    try:
        _load_config(opts, required=False)
    except cfg.ConfigError as exc:
        log.error(str(exc))
        return 1
    log.info("Validating rules file(s):")
    for path in opts["validate"]:
        log.info(f"   {path}")
    loader = rules.Loader()
    results = [loader.load_file(path) for path in opts["validate"]]
    rules.unused_warnings(loader, results)
    for result in results:
        sys.stdout.write(result.summary() + "\n")
    sys.stdout.flush()
    return 1 if any(r.errors for r in results) else 0


def cmd_dry_run(opts):
    try:
        conf = _load_config(opts, required=True)
        daemon.load_rules_or_fail(conf)
    except (cfg.ConfigError, daemon.StartupError) as exc:
        log.error(str(exc))
        return 1
    log.info("Dry run: configuration and rules are valid, not opening any event source.")
    return 0


def cmd_version(opts):
    try:
        _load_config(opts, required=False)
    except cfg.ConfigError as exc:
        log.error(str(exc))
        return 1
    sys.stdout.write(versions.version_text())
    return 0


def cmd_support(opts):
    try:
        conf = _load_config(opts, required=True)
    except cfg.ConfigError as exc:
        log.error(str(exc))
        return 1
    uname = platform.uname()
    files = []
    for path in rules.expand_paths(conf.rules_paths()):
        try:
            with open(path, encoding="utf-8") as handle:
                files.append({"name": path, "content": handle.read()})
        except OSError:
            pass
    support = {
        "version": versions.FALCO_VERSION,
        "engine_info": {"engine_version": versions.versions_json()["engine_version"],
                        "engine_version_semver": versions.ENGINE_VERSION},
        "system_info": {"sysname": uname.system, "nodename": uname.node, "release": uname.release,
                        "version": uname.version, "machine": uname.machine},
        "cmdline": " ".join(sys.argv),
        "config": conf.data,
        "rules_files": files,
    }
    sys.stdout.write(json.dumps(support, indent=2, default=str) + "\n")
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts = parse(argv)
    except UsageError as exc:
        log.error(str(exc))
        return 1
    flags = opts["flags"]
    if flags & {"-h", "--help"}:
        sys.stdout.write(USAGE)
        return 0
    if "--version" in flags:
        return cmd_version(opts)
    if "--support" in flags:
        return cmd_support(opts)
    if opts["validate"]:
        return cmd_validate(opts)
    if "--dry-run" in flags:
        return cmd_dry_run(opts)
    return daemon.run(opts["config"] or DEFAULT_CONFIG, opts["options"], opts["pidfile"])
