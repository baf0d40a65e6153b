"""Start JupyterLab as a student (release/, Validate button) or an instructor (root, Formgrader)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .layout import CourseError, Layout, path_with_environment

CONFIG_FOLDER = "jupyter-config"  # one Jupyter configuration folder per role
ROLES = ("student", "instructor")


def lab_folder(root: Path, role: str) -> Path:
    """The folder JupyterLab serves: release/ for a student, the course root for an instructor."""
    return Layout.of(root).top("release") if role == "student" else Path(root)


def lab_environment(root: Path, role: str, base: dict | None = None) -> dict:
    """Environment variables for JupyterLab of ``role``: its config folder first, our kernel."""
    if role not in ROLES:
        raise CourseError(f"Unknown role {role!r}; expected one of {', '.join(ROLES)}.")
    env = dict(os.environ if base is None else base)
    config = Path(root).resolve() / CONFIG_FOLDER / role
    if not config.is_dir():
        raise CourseError(f"Missing Jupyter configuration folder {config}.")
    # JUPYTER_CONFIG_PATH comes before the user's and the environment's configuration, so the
    # role decides which nbgrader extensions load; the user's own settings still apply otherwise.
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(config), env.get("JUPYTER_CONFIG_PATH")) if p)
    # The python3 kernel of this environment (rnncourse, quiet TensorFlow) wins over a user's own.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    # Formgrader runs ``alembic`` by name, also when started as .venv/bin/rnncourse unactivated.
    env["PATH"] = path_with_environment(env.get("PATH", ""))
    return env


def lab_command(folder: Path, port: int = 8888, extra=()) -> list[str]:
    """The command line starting JupyterLab of this environment on ``folder``."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={Path(folder).resolve()}",
            f"--port={port}", *extra]


def run_lab(args) -> int:
    """Replace this process by JupyterLab for a student or an instructor."""
    role = "instructor" if args.instructor else "student"
    folder = lab_folder(args.root, role)
    if not folder.is_dir():
        raise CourseError(f"{folder} does not exist; run `rnncourse release` first.")
    env = lab_environment(args.root, role)
    extra = [a for a in args.jupyter_args if a != "--"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        extra = ["--allow-root", *extra]  # containers often run as root
    command = lab_command(folder, args.port, extra)
    print(f"JupyterLab for the {role} on {folder}", file=sys.stderr)
    os.chdir(folder)
    if os.name == "posix":
        os.execve(command[0], command, env)  # Ctrl-C then reaches JupyterLab itself
    return subprocess.call(command, env=env)


def register(sub) -> None:
    """Add the ``lab`` command to the ``rnncourse`` command line."""
    lab = sub.add_parser("lab", help="JupyterLab: release/ for students, or --instructor")
    lab.add_argument("--instructor", action="store_true",
                     help="serve the course root with Formgrader and Create Assignment")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("jupyter_args", nargs="*", help="more options for jupyter lab (after --)")
    lab.set_defaults(func=run_lab, needs_root=True)
