"""The nbgrader course on disk: its root, assignments, configuration and API."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"
SOURCE = "source"
RELEASE = "release"


class CourseError(RuntimeError):
    """Something about the course directory is wrong; the message says what and how to fix it."""


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The nearest folder at or above ``start`` holding nbgrader_config.py and source/."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file() and (folder / SOURCE).is_dir():
            return folder
    raise CourseError(
        f"No course found at or above {here}: expected {CONFIG_NAME} and a {SOURCE}/ folder. "
        "Run the command from the course root or pass --root."
    )


def assignments(root: Path) -> list[str]:
    """The assignment names: the folders of source/ that hold a notebook, in order."""
    folders = sorted(p for p in (Path(root) / SOURCE).iterdir() if p.is_dir())
    return [p.name for p in folders if any(p.glob("*.ipynb"))]


def resolve_assignments(root: Path, names) -> list[str]:
    """Check requested assignment names (all when empty) against source/."""
    known = assignments(root)
    if not names:
        return known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CourseError(f"Unknown assignment(s): {', '.join(unknown)}. Known: {', '.join(known)}")
    return list(names)


def notebooks(folder: Path) -> list[Path]:
    """The notebooks of one assignment folder, sorted by name."""
    return sorted(Path(folder).glob("*.ipynb"))


def load_config(root: Path):
    """The course's nbgrader configuration, with its root pinned to ``root``."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    config.CourseDirectory.root = str(Path(root).resolve())
    return config


@contextlib.contextmanager
def quiet_logs(level=logging.ERROR):
    """Silence nbgrader's and traitlets' INFO chatter inside the block."""
    loggers = [logging.getLogger(name) for name in ("traitlets", "NbGraderAPI", "nbgrader")]
    previous = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(level)
    try:
        yield
    finally:
        for lg, old in zip(loggers, previous):
            lg.setLevel(old)


def path_with_environment(path: str) -> str:
    """``path`` with this environment's bin/ first: nbgrader runs ``alembic`` from it by name."""
    bin_dir = os.path.dirname(sys.executable)
    parts = [p for p in path.split(os.pathsep) if p and p != bin_dir]
    return os.pathsep.join([bin_dir, *parts])


def environment_on_path() -> None:
    """Put this environment's bin/ first on this process's PATH."""
    os.environ["PATH"] = path_with_environment(os.environ.get("PATH", ""))


def nbgrader_api(root: Path, **overrides):
    """An in-process ``NbGraderAPI`` for the course at ``root`` (one process, many calls)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    environment_on_path()
    config = load_config(root)
    for section, values in overrides.items():
        for key, value in values.items():
            setattr(getattr(config, section), key, value)
    config.NbGraderAPI.log_level = "ERROR"
    with quiet_logs():
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)


def run_api(result: dict, what: str) -> dict:
    """Raise a readable CourseError when an NbGraderAPI call reports failure."""
    if not result.get("success"):
        log = (result.get("log") or "").strip().splitlines()[-15:]
        error = (result.get("error") or "").strip().splitlines()[-5:]
        raise CourseError(f"{what} failed:\n" + "\n".join(log + error))
    return result
