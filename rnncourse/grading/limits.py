"""The limits of one grading kernel: ``c.Limits`` in nbgrader_config.py, ``Limits`` here."""

from __future__ import annotations

import os
from dataclasses import dataclass

CONFIG_SECTION = "Limits"


@dataclass
class Limits:
    """Per-submission limits; every one is on by default and set in nbgrader_config.py."""

    cell_timeout: float = 120.0        # seconds per cell, then interrupt (and kill if stuck)
    notebook_timeout: float = 900.0    # seconds for the whole notebook
    memory_mb: int = 4096              # address space of the kernel (RLIMIT_AS)
    output_kb: int = 64                # printed output kept per cell
    file_mb: int = 256                 # largest file the kernel may write
    max_restarts: int = 2              # fresh kernels after a death or a stuck cell
    startup_timeout: float = 120.0     # seconds for a kernel to answer
    interrupt_grace: float = 5.0       # seconds a cell gets to stop after an interrupt
    block_processes: bool = True       # refuse fork/exec/subprocess inside the kernel
    preload: tuple = ("numpy", "numpy.testing", "rnncourse.checks", "keras")

    @classmethod
    def from_config(cls, config, **overrides) -> Limits:
        """Limits from the course's nbgrader config (``c.Limits.*``, ``c.Execute.timeout``)."""
        values = {}
        if "Execute" in config and "timeout" in config.Execute:
            values["cell_timeout"] = float(config.Execute.timeout)
        if CONFIG_SECTION in config:
            section = config[CONFIG_SECTION]
            values.update({key: section[key] for key in cls.__dataclass_fields__ if key in section})
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "preload" in values:
            values["preload"] = tuple(values["preload"])
        return cls(**values)


def default_jobs() -> int:
    """Workers that suit this machine: one per core, at most 4 (a grading kernel holds ~0.6 GB)."""
    return max(1, min(os.cpu_count() or 1, 4))


# A package whose import brings others with it: the course's setup() seeds Keras.
IMPLIED_IMPORTS = {"rnncourse": ("keras",), "tensorflow": ("keras",)}


def imported_packages(sources) -> set[str]:
    """Top-level packages that the given code imports (magics and shell lines are skipped)."""
    import ast

    found = set()
    for source in sources:
        code = "\n".join(line for line in source.splitlines()
                         if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    for name in list(found):
        found |= set(IMPLIED_IMPORTS.get(name, ()))
    return found


def preload_for(candidates, skeletons) -> tuple:
    """The modules of ``candidates`` that an assignment's notebooks import (release and hidden
    tests), so a grading kernel pays only for what the notebook would load anyway."""
    from ..nb import cell_text

    sources = [cell_text(c) for s in skeletons for c in s.release.get("cells", [])
               if c.get("cell_type") == "code"]
    sources += [text for s in skeletons for text in s.locked.values()]
    used = imported_packages(sources)
    return tuple(name for name in candidates if name.split(".")[0] in used)
