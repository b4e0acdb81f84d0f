"""Reading process details from /proc for alert fields."""
import os
import pwd


def _read(path, binary=False):
    try:
        with open(path, "rb" if binary else "r") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def comm(pid):
    text = _read(f"/proc/{pid}/comm")
    return text.strip() if text is not None else None


def status(pid):
    text = _read(f"/proc/{pid}/status") or ""
    values = {}
    for line in text.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            values[key] = value.strip()
    return values


def user_name(uid):
    try:
        return pwd.getpwuid(int(uid)).pw_name
    except (KeyError, ValueError):
        return "<NA>"


def fields(pid):
    """Falco field values describing process `pid` (missing ones are left out -> <NA>)."""
    result = {"proc.pid": pid}
    name = comm(pid)
    if name is None:
        return result
    result["proc.name"] = name
    raw = _read(f"/proc/{pid}/cmdline", binary=True)
    if raw:
        args = [a.decode(errors="replace") for a in raw.rstrip(b"\0").split(b"\0")]
        result["proc.cmdline"] = " ".join([name] + args[1:])
        result["proc.args"] = " ".join(args[1:])
    for key, link in (("proc.exepath", "exe"), ("proc.cwd", "cwd")):
        try:
            result[key] = os.readlink(f"/proc/{pid}/{link}")
        except OSError:
            pass
    st = status(pid)
    ppid = st.get("PPid")
    if ppid and ppid != "0":
        result["proc.ppid"] = int(ppid)
        parent = comm(ppid)
        if parent is not None:
            result["proc.pname"] = parent
    uid = (st.get("Uid") or "").split()
    if uid:
        result["user.uid"] = int(uid[0])
        result["user.name"] = user_name(uid[0])
        result["user.loginuid"] = -1
    try:
        tty = os.readlink(f"/proc/{pid}/fd/0")
        result["proc.tty"] = 34816 if tty.startswith("/dev/pts") else 0
    except OSError:
        result["proc.tty"] = 0
    return result


def pids():
    return [int(n) for n in os.listdir("/proc") if n.isdigit()]


def opener_of(path):
    """Best-effort: a process that currently has `path` open (inotify does not say who opened it)."""
    real = os.path.realpath(path)
    me = os.getpid()
    for pid in pids():
        if pid == me:
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == real:
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None
