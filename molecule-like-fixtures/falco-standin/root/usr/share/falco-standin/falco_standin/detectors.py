"""The two real event sources of the stand-in.

* inotify (via ctypes) on the sensitive file (default /etc/shadow): every IN_OPEN raises
  the rule "Read sensitive file untrusted".
* a /proc poller: a process whose comm becomes a shell (bash, sh, dash, zsh, ...) raises
  "Run shell untrusted", unless its parent is sshd (an SSH login shell) or this Falco.

An alert is only produced if a rule of that name is loaded and enabled, and it uses that
rule's priority, output template and tags, so rule files and overrides behave as in Falco.
"""
import ctypes
import ctypes.util
import os
import select
import struct
import time

from . import procinfo

SENSITIVE_FILE_RULE = "Read sensitive file untrusted"
SHELL_RULE = "Run shell untrusted"
SHELLS = {"bash", "sh", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash", "mksh"}
SHELL_PARENTS_IGNORED = {"sshd"}

IN_ACCESS, IN_OPEN = 0x1, 0x20
IN_ATTRIB, IN_DELETE_SELF, IN_MOVE_SELF, IN_IGNORED = 0x4, 0x400, 0x800, 0x8000
_EVENT = struct.Struct("iIII")


class Inotify:
    def __init__(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.watch = -1

    def add(self, path):
        wd = self._add(self.fd, os.fsencode(path), IN_OPEN | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        self.watch = wd
        return wd >= 0

    def read(self):
        try:
            data = os.read(self.fd, 64 * 1024)
        except BlockingIOError:
            return []
        events, offset = [], 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            events.append((wd, mask))
            offset += _EVENT.size + length
        return events

    def close(self):
        os.close(self.fd)


class Detectors:
    def __init__(self, settings, emit):
        self.emit = emit
        self.path = settings["shadow_path"]
        self.poll = max(settings["poll_ms"], 20) / 1000.0
        self.inotify = Inotify()
        self.watching = self.inotify.add(self.path)
        self.seen = {}  # pid -> (first seen monotonic time, comm)
        self.alerted = set()
        self.me = os.getpid()
        for pid in procinfo.pids():  # processes already running are not new
            self.seen[pid] = (0.0, procinfo.comm(pid))
            self.alerted.add(pid)

    def step(self, timeout=None):
        """Wait up to one poll period for file events, then scan /proc once."""
        ready, _, _ = select.select([self.inotify.fd], [], [], self.poll if timeout is None else timeout)
        if ready:
            for _wd, mask in self.inotify.read():
                if mask & IN_OPEN:
                    self._sensitive_open()
                if mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED):
                    self.watching = False
        if not self.watching and os.path.exists(self.path):
            self.watching = self.inotify.add(self.path)  # the file was replaced (e.g. by passwd)
        self._scan_processes()

    def _sensitive_open(self):
        pid = procinfo.opener_of(self.path)
        fields = procinfo.fields(pid) if pid else {}
        fields.update({"fd.name": self.path, "fd.filename": os.path.basename(self.path),
                       "fd.directory": os.path.dirname(self.path), "evt.type": "openat",
                       "evt.arg.flags": "O_RDONLY", "container.id": "host", "container.name": "host"})
        self.emit(SENSITIVE_FILE_RULE, fields)

    def _scan_processes(self):
        now = time.monotonic()
        current = set(procinfo.pids())
        for pid in list(self.seen):
            if pid not in current:
                del self.seen[pid]
                self.alerted.discard(pid)
        for pid in current:
            if pid in self.alerted:
                continue
            first, _ = self.seen.get(pid, (now, None))
            name = procinfo.comm(pid)
            self.seen[pid] = (first, name)
            if name in SHELLS:
                self.alerted.add(pid)
                self._shell(pid)
            elif now - first > 2.0:
                self.alerted.add(pid)  # exec happens right after fork; stop re-reading old processes

    def _shell(self, pid):
        fields = procinfo.fields(pid)
        if fields.get("proc.pname") in SHELL_PARENTS_IGNORED or fields.get("proc.ppid") == self.me:
            return
        fields.update({"evt.type": "execve", "container.id": "host", "container.name": "host"})
        self.emit(SHELL_RULE, fields)

    def close(self):
        self.inotify.close()
