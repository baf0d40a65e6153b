"""Start an IPython kernel confined by the spec in $RNNCOURSE_SANDBOX.

Before any student code runs: resource limits (address space, core dumps, file size), a move
into the submission's scratch folder, the audit hook of ``hook.py``, and the import of the
modules graded tests rely on (so the guard's snapshot holds their pristine state).
"""

from __future__ import annotations

import os
import sys

from ...config import SANDBOX_VARIABLE
from ..protocol import SandboxSpec
from .hook import make_hook


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
    spec = SandboxSpec.from_json(os.environ.pop(SANDBOX_VARIABLE, ""))
    log_fd = None
    if spec.audit_log:
        log_fd = os.open(spec.audit_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if spec.scratch:
        os.chdir(spec.scratch)
    set_limits(spec.memory_bytes, spec.file_bytes)
    if spec.scratch:
        sys.addaudithook(make_hook(spec, log_fd))
    preload([__package__, *spec.preload])  # the package holds the guard's snapshot
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=sys.argv[1:] if argv is None else argv)
