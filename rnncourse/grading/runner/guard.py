"""The text the grader sends to a kernel to arm and run the guard (``sandbox/guard.py``).

The guard module's source is sent and executed in a fresh namespace each time, so patching the
copy student code can import changes nothing.
"""

from __future__ import annotations

import functools
import inspect
import json
import secrets

from ..sandbox import guard as kernel_guard


@functools.cache
def guard_source() -> str:
    """The source of the kernel-side guard module."""
    return inspect.getsource(kernel_guard)


def snippet(call: str) -> str:
    """Code that runs the guard's source and then ``call`` in a namespace of their own."""
    source = guard_source() + "\n" + call + "\n"
    return (f"exec(compile({source!r}, '<rnncourse guard>', 'exec'), "
            "{'__name__': '__rnncourse_guard__', '__shell__': get_ipython()})")


def arm_code() -> str:
    """The snippet that snapshots the shell and the protected modules (run before student code)."""
    return snippet("arm(__shell__)")


def check_code(nonce: str, names) -> str:
    """The snippet that restores the snapshot and prints its tagged report."""
    return snippet(f"check(__shell__, {nonce!r}, {sorted(names)!r})")


def new_nonce() -> str:
    """A fresh secret that marks the guard's own report line."""
    return secrets.token_hex(8)


def parse_report(text: str, nonce: str) -> list[str] | None:
    """The changes the guard reported under ``nonce`` in printed ``text``, or None if no report."""
    for line in text.splitlines():
        if line.startswith(f"{kernel_guard.TAG} {nonce} "):
            return json.loads(line.split(" ", 2)[2])
    return None
