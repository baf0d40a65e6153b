"""The nbgrader course on disk: its root, folders (from nbgrader's CourseDirectory), config and API."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..config import quiet_logs

CONFIG_NAME = "nbgrader_config.py"
SOURCE = "source"  # only to recognise a course root before its configuration is read


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


@dataclass(frozen=True)
class Layout:
    """The folders of one course, as ``c.CourseDirectory`` in nbgrader_config.py names them."""

    root: Path
    coursedir: object  # nbgrader.coursedir.CourseDirectory

    @classmethod
    def of(cls, root: str | os.PathLike) -> Layout:
        """The layout of the course at ``root``, read from its nbgrader_config.py."""
        from nbgrader.coursedir import CourseDirectory

        config = load_config(Path(root))
        with quiet_logs():
            return cls(Path(root).resolve(), CourseDirectory(config=config))

    def folder(self, step: str, assignment: str, student: str = ".") -> Path:
        """``{root}/{step}/{student}/{assignment}`` as nbgrader's ``format_path`` builds it."""
        directory = getattr(self.coursedir, f"{step}_directory")
        return Path(os.path.normpath(self.coursedir.format_path(directory, student, assignment)))

    def top(self, step: str) -> Path:
        """The folder of one step: source/, release/, submitted/, autograded/ or feedback/."""
        return self.root / getattr(self.coursedir, f"{step}_directory")

    def source(self, assignment: str) -> Path:
        """source/<assignment>: the instructor's version."""
        return self.folder("source", assignment)

    def release(self, assignment: str) -> Path:
        """release/<assignment>: what students receive."""
        return self.folder("release", assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        """submitted/<student>/<assignment>."""
        return self.folder("submitted", assignment, student)

    def autograded(self, student: str, assignment: str) -> Path:
        """autograded/<student>/<assignment>."""
        return self.folder("autograded", assignment, student)

    def feedback(self, student: str, assignment: str) -> Path:
        """feedback/<student>/<assignment>."""
        return self.folder("feedback", assignment, student)

    @property
    def db_url(self) -> str:
        """The gradebook's database URL."""
        return self.coursedir.db_url


def assignments(root: Path) -> list[str]:
    """The assignment names: the folders of source/ that hold a notebook, in order."""
    folders = sorted(p for p in Layout.of(root).top("source").iterdir() if p.is_dir())
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
