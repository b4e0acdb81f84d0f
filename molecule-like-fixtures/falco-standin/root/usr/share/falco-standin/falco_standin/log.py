"""Falco-style log lines: `Wed Nov 27 10:00:00 2026: message` on stderr, and syslog."""
import sys
import time

_state = {"stderr": True, "syslog": False, "syslog_open": False}


def configure(stderr=True, use_syslog=False):
    _state["stderr"] = stderr
    _state["syslog"] = use_syslog


def _syslog(message, error):
    try:
        import syslog

        if not _state["syslog_open"]:
            syslog.openlog("falco", syslog.LOG_PID, syslog.LOG_USER)
            _state["syslog_open"] = True
        syslog.syslog(syslog.LOG_ERR if error else syslog.LOG_INFO, message)
    except Exception:
        pass  # no /dev/log on lightweight hosts: syslog is best effort, as in Falco


def info(message):
    if _state["stderr"]:
        stamp = time.strftime("%a %b %d %H:%M:%S %Y")
        for line in str(message).splitlines() or [""]:
            sys.stderr.write(f"{stamp}: {line}\n")
        sys.stderr.flush()
    if _state["syslog"]:
        _syslog(message, False)


def error(message):
    """Fatal errors are printed like Falco's: `Error: ...` on stderr, regardless of log settings."""
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
    if _state["syslog"]:
        _syslog(f"Error: {message}", True)
