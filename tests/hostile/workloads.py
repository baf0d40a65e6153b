"""Stand-ins for a grading worker's unit of work, to test the pool without kernels."""

from __future__ import annotations

import os
from pathlib import Path


def finish_or_die(task: dict) -> dict:
    """Finish at once, or kill this worker process: always, or only the first time."""
    how = task.get("die")
    if how == "always":
        os._exit(1)
    if how == "once":
        marker = Path(task["marker"])
        if not marker.exists():
            marker.write_text("died once")
            os._exit(1)
    return {"key": task["key"], "seconds": 0.0, "pid": os.getpid()}
