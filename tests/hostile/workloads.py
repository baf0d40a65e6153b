"""Stand-ins for a grading worker's unit of work, to test the pool without kernels."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Chore:
    """A task that only says how its worker should behave."""

    key: str
    die: str = ""      # "always" or "once": kill the worker process
    marker: str = ""   # a file that remembers the first death


@dataclass
class Done:
    """What a stand-in worker reports: who ran it."""

    key: str
    pid: int
    error: str = ""


def finish_or_die(task: Chore) -> Done:
    """Finish at once, or kill this worker process: always, or only the first time."""
    if task.die == "always":
        os._exit(1)
    if task.die == "once":
        marker = Path(task.marker)
        if not marker.exists():
            marker.write_text("died once")
            os._exit(1)
    return Done(task.key, os.getpid())
