"""Alert formatting and delivery: stdout, file, syslog, program and http outputs."""
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from . import config as cfg

_FIELD = re.compile(r"%(\w+(?:\.[\w]+)+(?:\[[^\]]*\])?)")


def _now_ns():
    return time.time_ns()


def _format_time(ns, iso):
    seconds, frac = divmod(ns, 1_000_000_000)
    if iso:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{frac:09d}+0000"
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{frac:09d}"


def render(template, fields):
    used = {}

    def substitute(match):
        name = match.group(1)
        value = fields.get(name)
        used[name] = value
        return "<NA>" if value is None else str(value)

    return _FIELD.sub(substitute, template), used


class Alert:
    def __init__(self, rule, fields, hostname, internal_fields=None):
        self.ns = _now_ns()
        self.rule = rule
        self.internal = internal_fields is not None
        fields = dict(fields)
        fields.setdefault("evt.time", self.ns)
        self.message, used = render(rule["output"], fields)
        # Falco's internal alerts carry only their own fields, and their JSON output is the bare message
        self.output_fields = dict(internal_fields) if self.internal else {"evt.time": self.ns, **used}
        self.hostname = hostname

    def priority_label(self):
        return self.rule["priority"].capitalize()

    def text(self, iso):
        return f"{_format_time(self.ns, iso)}: {self.priority_label()} {self.message}"

    def json(self, conf):
        seconds, frac = divmod(self.ns, 1_000_000_000)
        body = {
            "hostname": self.hostname,
            "output_fields": self.output_fields,
            "priority": self.priority_label(),
            "rule": self.rule["name"],
            "source": self.rule.get("source", "syscall"),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{frac:09d}Z",
        }
        if conf.get("json_include_output_property", True):
            body["output"] = self.message if self.internal else self.text(conf.get("time_format_iso_8601", False))
        if conf.get("json_include_message_property", False):
            body["message"] = self.message
        if conf.get("json_include_tags_property", True):
            body["tags"] = sorted(self.rule.get("tags", []))
        return json.dumps(body, sort_keys=True)


class Outputs:
    """Delivers alerts the way the configuration asks; opened once per (re)start."""

    def __init__(self, conf):
        self.conf = conf
        self.lock = threading.Lock()
        self.file = None
        self.program = None
        self.hostname = socket.gethostname()
        self.min_rank = cfg.priority_rank(conf.min_priority())

    def wants(self, rule):
        return cfg.priority_rank(rule["priority"]) <= self.min_rank

    def emit(self, rule, fields, internal_fields=None):
        if internal_fields is None and not self.wants(rule):
            return None
        alert = Alert(rule, fields, self.hostname, internal_fields)
        line = alert.json(self.conf) if self.conf.get("json_output", False) else alert.text(
            self.conf.get("time_format_iso_8601", False))
        with self.lock:
            if self.conf.get("stdout_output.enabled", True):
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            if self.conf.get("file_output.enabled", False):
                self._write_file(line)
            if self.conf.get("syslog_output.enabled", True):
                self._syslog(alert, line)
            if self.conf.get("program_output.enabled", False):
                self._program(line)
        if self.conf.get("http_output.enabled", False):
            threading.Thread(target=self._http, args=(alert,), daemon=True).start()
        return alert

    def emit_internal(self, name, priority, message, fields=None):
        """An alert of Falco itself (a failed hot restart, event drops): every enabled output, no
        rule file, whatever the minimum priority; `fields` (strings) are its output_fields."""
        rule = {"name": name, "priority": priority, "output": message, "source": "internal", "tags": []}
        return self.emit(rule, {}, internal_fields=fields or {})

    def reopen(self):
        """SIGUSR1, as Falco: close the kept-alive file and program outputs (logrotate's postrotate)."""
        with self.lock:
            if self.file is not None:
                self.file.close()
                self.file = None

    def _write_file(self, line):
        path = self.conf.get("file_output.filename")
        keep = self.conf.get("file_output.keep_alive", False)
        try:
            if self.file is None:
                self.file = open(path, "a", encoding="utf-8")
            self.file.write(line + "\n")
            self.file.flush()
        finally:
            if not keep and self.file is not None:
                self.file.close()
                self.file = None

    def _syslog(self, alert, line):
        try:
            import syslog

            levels = {"emergency": syslog.LOG_EMERG, "alert": syslog.LOG_ALERT, "critical": syslog.LOG_CRIT,
                      "error": syslog.LOG_ERR, "warning": syslog.LOG_WARNING, "notice": syslog.LOG_NOTICE,
                      "informational": syslog.LOG_INFO, "debug": syslog.LOG_DEBUG}
            syslog.openlog("falco", syslog.LOG_PID, syslog.LOG_USER)
            syslog.syslog(levels[alert.rule["priority"]], line)
        except Exception:
            pass

    def _program(self, line):
        command = self.conf.get("program_output.program")
        keep = self.conf.get("program_output.keep_alive", False)
        if keep:
            if self.program is None or self.program.poll() is not None:
                self.program = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.PIPE, text=True)
            self.program.stdin.write(line + "\n")
            self.program.stdin.flush()
        else:
            subprocess.run(["/bin/sh", "-c", command], input=line + "\n", text=True, check=False, timeout=10)

    def _http(self, alert):
        body = alert.json(self.conf).encode()
        request = urllib.request.Request(self.conf.get("http_output.url"), data=body, method="POST", headers={
            "Content-Type": "application/json",
            "User-Agent": self.conf.get("http_output.user_agent", "falcosecurity/falco"),
        })
        try:
            urllib.request.urlopen(request, timeout=5).read()
        except Exception as exc:
            sys.stderr.write(f"http_output: failed to POST alert: {exc}\n")

    def close(self):
        with self.lock:
            if self.file is not None:
                self.file.close()
                self.file = None
            if self.program is not None:
                try:
                    self.program.stdin.close()
                    self.program.wait(timeout=5)
                except Exception:
                    pass
                self.program = None
