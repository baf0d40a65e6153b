"""The grading kernel's side of the sandbox: resource limits, a file tripwire, tamper checks.

``python -m rnncourse.sandbox -f CONNECTION_FILE`` starts an IPython kernel for one submission.
Before any student code runs it sets resource limits (address space, core dumps, file size),
moves into the submission's scratch folder, installs an audit hook (PEP 578) that refuses
reads outside the allowed places of the course root and any write outside the scratch folder,
and imports the modules graded tests rely on. The grader then runs ``ARM_CODE`` once (a snapshot
of the IPython shell and of those modules) and ``GUARD_CODE`` around every graded test cell
(undo and report monkeypatching). This raises the bar for casual cheating and contains
accidents; it is not a security boundary against a determined attacker (see the README).
"""

from __future__ import annotations

import json
import os
import sys

SPEC_VARIABLE = "RNNCOURSE_SANDBOX"
GUARD_TAG = "RNNCOURSE-GUARD"

# Modules whose functions and classes graded tests call; monkeypatching them is undone.
PROTECTED_MODULES = ("builtins", "numpy", "numpy.testing", "rnncourse.checks", "keras",
                     "keras.layers", "keras.utils", "keras.ops", "keras.models", "gensim.models")
# Shell attributes that decide how a cell runs and how its errors are reported.
SHELL_ATTRIBUTES = ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell",
                    "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                    "custom_exceptions", "CustomTB", "excepthook")
SHELL_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
# Names the kernel itself rebinds on every execution (stdin forwarding), never a student's doing.
REBOUND = {("builtins", "input"), ("builtins", "raw_input")}
SYS_ATTRIBUTES = ("excepthook", "displayhook", "stdout", "stderr")
PROCESS_EVENTS = {"os.fork", "os.forkpty", "os.system", "os.posix_spawn", "os.exec",
                  "os.spawn", "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg"}
PATH_EVENTS = {"open", "os.listdir", "os.scandir", "os.chdir", "glob.glob", "sqlite3.connect",
               "shutil.copyfile", "shutil.copytree", "shutil.rmtree", "os.remove", "os.rename",
               "os.truncate", "os.chmod", "os.chown", "os.mkdir", "os.rmdir", "os.utime",
               "os.link", "os.symlink", "os.walk", "os.listxattr", "os.setxattr"}
ALWAYS_WRITE_EVENTS = {"shutil.rmtree", "os.remove", "os.rename", "os.truncate", "os.chmod",
                       "os.chown", "os.mkdir", "os.rmdir", "os.utime", "os.link", "os.symlink",
                       "os.setxattr", "shutil.copytree"}
WRITABLE_DEVICES = ("/dev/null", "/dev/tty", "/dev/urandom")


def set_limits(memory_bytes: int | None, file_bytes: int | None) -> None:
    """Cap the address space and written file sizes; never write core dumps."""
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if file_bytes:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write raises OSError instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))


def make_hook(spec: dict, log_fd: int | None):
    """An audit hook that refuses protected reads, writes outside scratch and new processes."""
    scratch = os.path.realpath(spec["scratch"])
    blocked = tuple(os.path.realpath(p).rstrip("/") + "/" for p in spec.get("blocked", ()))
    allowed = tuple(os.path.realpath(p).rstrip("/") + "/" for p in spec.get("allowed", ()))
    block_processes = bool(spec.get("block_processes", True))
    realpath, fspath = os.path.realpath, os.fspath
    seen: set = set()

    def report(event: str, target: str) -> None:
        line = f"{event} {target}"
        if log_fd is not None and line not in seen and len(seen) < 200:
            seen.add(line)
            try:
                os.write(log_fd, (line + "\n").encode("utf-8", "replace"))
            except OSError:
                pass

    def protected(path: str, write: bool) -> bool:
        real = realpath(path)
        if real == scratch or real.startswith(scratch + "/"):
            return False
        if write:
            return not (real in WRITABLE_DEVICES or real.startswith("/dev/shm/"))
        real += "/"
        return real.startswith(blocked) and not real.startswith(allowed)

    def hook(event: str, args: tuple) -> None:
        if event in PROCESS_EVENTS:
            if block_processes:
                report(event, str(args[0])[:200] if args else "")
                raise PermissionError(f"starting processes is not allowed while grading ({event})")
            return
        if event not in PATH_EVENTS or not args:
            return
        target = args[0]
        if isinstance(target, int) or target is None:
            return
        try:
            path = fspath(target)
            if isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
        except TypeError:
            return
        if event == "sqlite3.connect" and path in (":memory:", ""):
            return
        if event == "os.mkdir" and os.path.lexists(path):
            return  # mkdir -p on a folder that exists (matplotlib's config dir): it fails anyway
        write = event in ALWAYS_WRITE_EVENTS
        if event == "open" and len(args) > 1:
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            write = bool((isinstance(mode, str) and any(c in mode for c in "wax+"))
                         or (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)))
        if event == "sqlite3.connect":
            write = False
        if protected(path, write):
            report(("write " if write else "read ") + event, path)
            raise PermissionError(f"access to {path} is not allowed while grading")

    return hook


def preload(names) -> None:
    """Import the modules tests rely on, so the snapshot holds their pristine state."""
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module must not stop the kernel
            pass


def main(argv=None) -> None:
    """Apply the limits and the tripwire from $RNNCOURSE_SANDBOX, then run an IPython kernel."""
    spec = json.loads(os.environ.pop(SPEC_VARIABLE, "{}") or "{}")
    log_fd = None
    if spec.get("audit_log"):
        log_fd = os.open(spec["audit_log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if spec.get("scratch"):
        os.chdir(spec["scratch"])
    set_limits(spec.get("memory_bytes"), spec.get("file_bytes"))
    if spec.get("scratch"):
        sys.addaudithook(make_hook(spec, log_fd))
    preload(["rnncourse.sandbox", *spec.get("preload", ())])  # holds the guard's snapshot
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=sys.argv[1:] if argv is None else argv)


# ---------------------------------------------------------------------------------------------
# Code the grader sends to the kernel (as text, so a patched module cannot change its logic).

ARM_CODE = r"""
def __rnncourse_arm():
    import sys
    state = {"modules": {}, "values": {}, "classes": {}, "shell": {}, "lists": {}, "sys": {}}
    shell = get_ipython()
    for name in __MODULES__:
        module = sys.modules.get(name)
        if module is None:
            continue
        state["modules"][name] = module
        values = {k: v for k, v in vars(module).items()
                  if k.strip("_") and (name, k) not in __REBOUND__}
        state["values"][name] = values
        for value in values.values():
            if isinstance(value, type) and value.__module__ != "builtins":
                state["classes"][value] = dict(vars(value))
    for name in __SHELL_ATTRIBUTES__:
        state["shell"][name] = (name in vars(shell), vars(shell).get(name))
    for name in __SHELL_LISTS__:
        state["lists"][name] = list(getattr(shell, name, []))
    state["events"] = {k: list(v) for k, v in shell.events.callbacks.items()}
    for name in __SYS_ATTRIBUTES__:
        state["sys"][name] = getattr(sys, name)
    state["trace"] = (sys.gettrace(), sys.getprofile())
    sys.modules["rnncourse.sandbox"].__dict__["_STATE"] = state
__rnncourse_arm()
del __rnncourse_arm
"""

GUARD_CODE = r"""
def __rnncourse_guard(nonce, names):
    import json, sys, types
    state = sys.modules["rnncourse.sandbox"].__dict__.get("_STATE")
    changed = []
    if state is None:
        print("__TAG__", nonce, json.dumps(["the grading state was removed"]))
        return
    shell = get_ipython()
    missing = object()
    for name, module in state["modules"].items():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
            changed.append("sys.modules[%r]" % name)
        current = vars(module)
        for key, value in state["values"][name].items():
            if current.get(key, missing) is not value:
                setattr(module, key, value)
                changed.append("%s.%s" % (name, key))
    for cls, values in state["classes"].items():
        current = dict(vars(cls))
        where = "%s.%s" % (cls.__module__, cls.__qualname__)
        for key, value in values.items():
            if current.get(key, missing) is not value:
                try:
                    setattr(cls, key, value)
                except (AttributeError, TypeError):
                    pass
                changed.append("%s.%s" % (where, key))
        for key in set(current) - set(values):
            if callable(current[key]) or isinstance(current[key], (property, staticmethod,
                                                                   classmethod)):
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
                changed.append("%s.%s" % (where, key))
    own_attributes = vars(shell)
    for key, (own, value) in state["shell"].items():
        if (key in own_attributes) != own or (own and own_attributes[key] is not value):
            if own:
                setattr(shell, key, value)
            else:
                own_attributes.pop(key, None)
            changed.append("IPython shell.%s" % key)
    for key, value in state["lists"].items():
        if list(getattr(shell, key, [])) != value:
            setattr(shell, key, list(value))
            changed.append("IPython shell.%s" % key)
    trusted = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "ipywidgets")
    for key, callbacks in shell.events.callbacks.items():
        before = state["events"].get(key, [])
        kept = [cb for cb in callbacks if cb in before
                or str(getattr(cb, "__module__", "")).startswith(trusted)]
        kept += [cb for cb in before if cb not in kept]
        if kept != list(callbacks):
            shell.events.callbacks[key] = kept
            changed.append("IPython events[%r]" % key)
    for key, value in state["sys"].items():
        if getattr(sys, key) != value:  # bound methods are rebuilt on each access
            setattr(sys, key, value)
            changed.append("sys.%s" % key)
    if (sys.gettrace(), sys.getprofile()) != state["trace"]:
        sys.settrace(state["trace"][0])
        sys.setprofile(state["trace"][1])
        changed.append("sys.settrace/setprofile")
    namespace = shell.user_ns
    for module_name in ("rnncourse.checks", "numpy.testing"):
        originals = state["values"].get(module_name, {})
        for key in names:
            if key in namespace and key in originals and namespace[key] is not originals[key]:
                namespace[key] = originals[key]
                changed.append("%s (in the notebook's namespace)" % key)
    print("__TAG__", nonce, json.dumps(changed))
__rnncourse_guard(__NONCE__, __NAMES__)
del __rnncourse_guard
"""


def arm_code() -> str:
    """The snippet that snapshots the shell and the protected modules (run before student code)."""
    return (ARM_CODE.replace("__MODULES__", repr(PROTECTED_MODULES))
            .replace("__SHELL_ATTRIBUTES__", repr(SHELL_ATTRIBUTES))
            .replace("__SHELL_LISTS__", repr(SHELL_LISTS))
            .replace("__SYS_ATTRIBUTES__", repr(SYS_ATTRIBUTES))
            .replace("__REBOUND__", repr(REBOUND)))


def guard_code(nonce: str, names) -> str:
    """The guard snippet for one call: its nonce and the check-helper names to verify."""
    return (GUARD_CODE.replace("__TAG__", GUARD_TAG).replace("__NONCE__", repr(nonce))
            .replace("__NAMES__", repr(sorted(names))))


if __name__ == "__main__":
    main()
