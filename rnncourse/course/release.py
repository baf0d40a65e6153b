"""Regenerate release/ (the student versions) from source/ with nbgrader."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..config import quiet_logs
from .layout import CONFIG_NAME, CourseError, Layout, nbgrader_api, resolve_assignments, run_api


def generate(root: Path, names=(), into: Path | None = None) -> list[Path]:
    """Generate the student version of each assignment; return the released folders.

    With ``into``, the source is copied to a scratch course there first, so the real
    release/ and gradebook are left untouched (used by ``rnncourse check``).
    """
    root = Path(root)
    names = resolve_assignments(root, names)
    course = root if into is None else scratch_course(root, Path(into))
    layout = Layout.of(course)
    api = nbgrader_api(course)
    released = []
    for name in names:
        target = layout.release(name)
        if target.exists():
            shutil.rmtree(target)
        with quiet_logs():
            run_api(api.generate_assignment(name), f"Generating the release of {name}")
        if not target.is_dir():
            raise CourseError(f"nbgrader reported success but wrote nothing to {target}")
        released.append(target)
    return released


def scratch_course(root: Path, into: Path) -> Path:
    """Copy the course's configuration and source/ into ``into`` (a fresh course root)."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / CONFIG_NAME, into / CONFIG_NAME)
    source = Layout.of(root).top("source")
    shutil.copytree(source, into / source.relative_to(Path(root).resolve()), dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return into
