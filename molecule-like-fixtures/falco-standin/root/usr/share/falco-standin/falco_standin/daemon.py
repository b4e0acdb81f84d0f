"""`falco` without -V/--dry-run/--version: run until SIGINT/SIGTERM, restart on SIGHUP.

Like Falco, a hot restart (SIGHUP, or a changed config/rules file when watch_config_files is
true) first checks the new configuration and rules (a dry run); if they are invalid it emits
the alert "Falco internal: hot restart failure" (Critical) and keeps running the old ones.
Otherwise it restarts from scratch. SIGUSR1 reopens the file output (log rotation).
"""
import os
import platform
import signal
import time

from . import config as cfg
from . import detectors, event_drops, log, rules, settings, versions
from .outputs import Outputs
from .webserver import WebServer


class StartupError(Exception):
    pass


def log_config(conf):
    log.info(f"Falco version: {versions.FALCO_VERSION} ({versions.machine()})")
    log.info("Falco initialized with configuration files:")
    for path, status in conf.files:
        log.info(f"   {path} | schema validation: {status}")
    for warning in conf.warnings:
        log.info(warning)


def load_rules_or_fail(conf):
    paths = conf.rules_paths()
    if not paths:
        raise StartupError("You must specify at least one rules file/directory.")
    log.info("Loading rules from:")
    ruleset, results = rules.load_all(paths)
    for result in results:
        log.info(f"   {result.path} | schema validation: {'failed' if result.errors else 'ok'}")
    bad = [r for r in results if r.errors]
    if bad:
        raise StartupError("\n".join(r.summary() for r in bad))
    return ruleset


def check_driver(conf, stand):
    kind = conf.engine_kind()
    root = stand["sys_root"]
    if kind == "kmod":
        name = stand["kmod_name"]
        log.info("Opening 'syscall' source with Kernel module")
        if not os.path.isdir(os.path.join(root, "module", name)):
            raise StartupError(f"Unable to open the engine: kernel module '{name}' is not loaded "
                               f"({os.path.join(root, 'module', name)} does not exist). Make sure you have root "
                               f"credentials and that the {name} module is loaded.")
    elif kind == "modern_ebpf":
        log.info("Opening 'syscall' source with modern BPF probe.")
        btf = os.path.join(root, "kernel", "btf", "vmlinux")
        if not os.path.exists(btf):
            raise StartupError(f"Unable to open the engine: the modern BPF probe needs BTF ({btf} does not exist).")
        log.info(f"One ring buffer every '{conf.get('engine.modern_ebpf.cpus_for_each_buffer', 2)}' CPUs.")
    elif kind == "ebpf":
        probe = conf.get("engine.ebpf.probe", os.path.expanduser("~/.falco/falco-bpf.o"))
        log.info("Opening 'syscall' source with BPF probe. BPF probe path: " + str(probe))
        log.info("Warning: the legacy eBPF probe is deprecated and will be removed in Falco 0.44.0")
        if not os.path.isfile(str(probe)):
            raise StartupError(f"Unable to open the engine: unable to load the BPF probe: {probe}: No such file "
                               "or directory")
    elif kind == "nodriver":
        log.info("Opening 'syscall' source with no driver")
    else:
        raise StartupError(f"engine.kind '{kind}' is not supported by the falco-deploy stand-in")
    return kind


class Instance:
    """One configured run: config, rules, outputs, webserver and detectors."""

    def __init__(self, conf_path, options):
        self.stand = settings.load()
        self.conf = cfg.load(conf_path, options)
        log.configure(stderr=self.conf.get("log_stderr", True), use_syslog=self.conf.get("log_syslog", True))
        log_config(self.conf)
        log.info(f"System info: {platform.system()} version {platform.release()} {platform.version()}")
        self.ruleset = load_rules_or_fail(self.conf)
        enabled = self.ruleset.enabled_rules()
        log.info("Loaded event sources: syscall")
        log.info("Enabled event sources: syscall")
        log.info(f"{len(enabled)} rules enabled (of {len(self.ruleset.rules)} loaded)")
        self.kind = check_driver(self.conf, self.stand)
        self.outputs = Outputs(self.conf)
        self.web = None
        if self.conf.get("webserver.enabled", True):
            address = self.conf.get("webserver.listen_address", "0.0.0.0")
            port = self.conf.get("webserver.listen_port", 8765)
            threads = self.conf.get("webserver.threadiness", 0) or os.cpu_count() or 1
            try:
                self.web = WebServer(address, port, self.conf.get("webserver.k8s_healthz_endpoint", "/healthz"))
            except OSError as exc:
                raise StartupError(f"Failed to start webserver on {address}:{port}: {exc.strerror}") from None
            log.info(f"Starting health webserver with threadiness {threads}, listening on {address}:{port}")
        self.detectors = None if self.kind == "nodriver" else detectors.Detectors(self.stand, self.on_event)
        self.drops = event_drops.DropManager(self.conf, self.outputs, self.kind in ("modern_ebpf", "ebpf"))
        self.events = 0
        self.watched = self._watched_files()

    def on_event(self, rule_name, fields):
        rule = self.ruleset.rules.get(rule_name)
        if rule is None or not rule.get("enabled", True):
            return
        if self.outputs.emit(rule, fields) is not None:
            self.events += 1

    def _watched_files(self):
        paths = [p for p, _ in self.conf.files] + rules.expand_paths(self.conf.rules_paths())
        stamps = {}
        for path in paths:
            try:
                st = os.stat(path)
                stamps[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                stamps[path] = None
        return stamps

    def files_changed(self):
        return self.conf.get("watch_config_files", True) and self._watched_files() != self.watched

    def step(self):
        if self.detectors:
            self.detectors.step()
        else:
            time.sleep(0.2)

    def close(self):
        if self.detectors:
            self.detectors.close()
        if self.web:
            self.web.close()
        self.outputs.close()


HOT_RESTART_FAILURE = "Falco internal: hot restart failure"


def check_new_config(conf_path, options):
    """The dry run before a hot restart: None when the new configuration and rules load."""
    try:
        conf = cfg.load(conf_path, options)
        paths = conf.rules_paths()
        if not paths:
            return "You must specify at least one rules file/directory."
        _ruleset, results = rules.load_all(paths)
        bad = [r for r in results if r.errors]
        return "\n".join(r.summary() for r in bad) if bad else None
    except cfg.ConfigError as exc:
        return str(exc)


def run(conf_path, options, pidfile=None):
    # Signals and the file watcher's restarts queue here and are taken together: a SIGTERM that
    # arrives while a changed file triggers a restart must still stop Falco (overwritten, it
    # left systemd waiting TimeoutSec for its SIGKILL).
    pending = []

    def on_signal(signum, _frame):
        pending.append(signum)

    def take():
        """The queued requests: the first other than SIGHUP (stop), else SIGHUP (restart)."""
        n = len(pending)
        got = pending[:n]
        del pending[:n]
        return next((s for s in got if s != signal.SIGHUP), signal.SIGHUP)

    instance = None
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    signal.signal(signal.SIGUSR1, lambda _s, _f: instance is not None and instance.outputs.reopen())
    if pidfile:
        with open(pidfile, "w", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
    # Until the configuration says otherwise, log to stderr AND syslog like Falco: under the
    # units (StandardOutput=null, stderr inherits it) syslog is how errors reach the journal.
    log.configure(stderr=True, use_syslog=True)
    try:
        while True:
            try:
                instance = Instance(conf_path, options)
            except (cfg.ConfigError, StartupError) as exc:
                log.error(str(exc))
                return 1
            while True:
                ticks = 0
                while not pending:
                    instance.step()
                    if not instance.drops.step():
                        instance.close()
                        return 1
                    ticks += 1
                    if ticks % 5 == 0 and instance.files_changed():
                        log.info("A config file has been modified, Falco will restart")
                        pending.append(signal.SIGHUP)
                signum = take()
                if signum != signal.SIGHUP:
                    break
                problem = check_new_config(conf_path, options)
                if problem is None:
                    break
                log.error(f"{HOT_RESTART_FAILURE}: {problem}")
                instance.outputs.emit_internal(HOT_RESTART_FAILURE, "critical", f"{HOT_RESTART_FAILURE}: {' | '.join(l.strip() for l in problem.splitlines() if l.strip())}")
                instance.watched = instance._watched_files()
            instance.close()
            if signum == signal.SIGHUP:
                log.info("SIGHUP received, restarting...")
                continue
            log.info(f"{signal.Signals(signum).name} received, exiting...")
            log.info(f"Events detected: {instance.events}")
            return 0
    finally:
        if pidfile:
            try:
                os.unlink(pidfile)
            except OSError:
                pass
