"""An audit hook (PEP 578) that refuses protected reads, writes outside scratch and new processes.

Everything the hook consults is bound when it is made (closures over frozen sets and the
functions it calls), so rebinding names in this module or in ``os`` later does not weaken it.
"""

from __future__ import annotations

import os

from ..protocol import SandboxSpec

PROCESS_EVENTS = frozenset({"os.fork", "os.forkpty", "os.system", "os.posix_spawn", "os.exec",
                            "os.spawn", "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg"})
PATH_EVENTS = frozenset({
    "open", "os.listdir", "os.scandir", "os.chdir", "glob.glob", "sqlite3.connect",
    "shutil.copyfile", "shutil.copytree", "shutil.rmtree", "os.remove", "os.rename", "os.truncate",
    "os.chmod", "os.chown", "os.mkdir", "os.rmdir", "os.utime", "os.link", "os.symlink", "os.walk",
    "os.listxattr", "os.setxattr"})
ALWAYS_WRITE_EVENTS = frozenset({
    "shutil.rmtree", "os.remove", "os.rename", "os.truncate", "os.chmod", "os.chown", "os.mkdir",
    "os.rmdir", "os.utime", "os.link", "os.symlink", "os.setxattr", "shutil.copytree"})
WRITABLE_DEVICES = ("/dev/null", "/dev/tty", "/dev/urandom")
MAX_LOGGED = 200  # distinct refusals written to the audit log


def make_hook(spec: SandboxSpec, log_fd: int | None):
    """The audit hook for ``spec``; refusals raise PermissionError and are logged to ``log_fd``."""
    scratch = os.path.realpath(spec.scratch)
    blocked = tuple(os.path.realpath(p).rstrip("/") + "/" for p in spec.blocked)
    allowed = tuple(os.path.realpath(p).rstrip("/") + "/" for p in spec.allowed)
    block_processes = bool(spec.block_processes)
    process_events, path_events, write_events = PROCESS_EVENTS, PATH_EVENTS, ALWAYS_WRITE_EVENTS
    devices, max_logged = WRITABLE_DEVICES, MAX_LOGGED
    realpath, fspath, lexists, write_fd = os.path.realpath, os.fspath, os.path.lexists, os.write
    write_flags = os.O_WRONLY | os.O_RDWR
    seen: set = set()

    def report(event: str, target: str) -> None:
        line = f"{event} {target}"
        if log_fd is not None and line not in seen and len(seen) < max_logged:
            seen.add(line)
            try:
                write_fd(log_fd, (line + "\n").encode("utf-8", "replace"))
            except OSError:
                pass

    def path_of(event: str, args: tuple) -> str | None:
        """The path a path event concerns, or None when there is nothing to check."""
        if event not in path_events or not args:
            return None
        target = args[0]
        if isinstance(target, int) or target is None:
            return None
        try:
            path = fspath(target)
        except TypeError:
            return None
        if isinstance(path, bytes):
            path = path.decode("utf-8", "replace")
        if event == "sqlite3.connect" and path in (":memory:", ""):
            return None
        if event == "os.mkdir" and lexists(path):
            return None  # mkdir -p on a folder that exists (matplotlib's config dir): fails anyway
        return path

    def is_write(event: str, args: tuple) -> bool:
        """Whether a path event may change files (``open`` decides by its mode and flags)."""
        if event == "open" and len(args) > 1:
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            return bool((isinstance(mode, str) and any(c in mode for c in "wax+"))
                        or (isinstance(flags, int) and flags & write_flags))
        return event in write_events

    def protected(path: str, write: bool) -> bool:
        real = realpath(path)
        if real == scratch or real.startswith(scratch + "/"):
            return False
        if write:
            return not (real in devices or real.startswith("/dev/shm/"))
        real += "/"
        return real.startswith(blocked) and not real.startswith(allowed)

    def hook(event: str, args: tuple) -> None:
        if event in process_events:
            if block_processes:
                report(event, str(args[0])[:200] if args else "")
                raise PermissionError(f"starting processes is not allowed while grading ({event})")
            return
        path = path_of(event, args)
        if path is None:
            return
        write = is_write(event, args) and event != "sqlite3.connect"
        if protected(path, write):
            report(("write " if write else "read ") + event, path)
            raise PermissionError(f"access to {path} is not allowed while grading")

    return hook
