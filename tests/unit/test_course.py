"""The course as committed: packaging consistency, clean sources, release in sync, nothing leaked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from rnncourse.course.layout import assignments, notebooks
from rnncourse.course.lint import check, leaks, source_outputs
from rnncourse.nb import read_notebook, secret_lines

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    """The bare, normalised distribution name of a requirement string."""
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_every_runtime_dependency():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    text = (ROOT / "environment.yml").read_text()
    listed = {_name(line.split("-", 1)[1].split("#")[0].strip().strip('"'))
              for line in text.splitlines() if re.match(r"^\s*-\s+\S", line)}
    missing = wanted - listed
    assert not missing, f"environment.yml does not name: {sorted(missing)}"
    assert "- -e ." in text, "environment.yml must install rnncourse itself (pip: - -e .)"


def test_every_unit_has_a_lecture_and_an_assignment():
    units = assignments(ROOT)
    assert units and units[0] == "00-orientation"
    for unit in units:
        names = {p.name for p in notebooks(ROOT / "source" / unit)}
        assert {"lecture.ipynb", "assignment.ipynb"} <= names, unit


@pytest.mark.parametrize("path", sorted((ROOT / "source").glob("*/*.ipynb")), ids=lambda p: str(
    p.relative_to(ROOT / "source")))
def test_source_notebooks_carry_no_outputs_and_name_python3(path):
    assert source_outputs(path) == []
    assert read_notebook(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_release_is_in_sync_and_reveals_nothing():
    problems = check(ROOT, execute=False)
    assert problems == [], "\n".join(problems)


def test_released_notebooks_hold_no_marker_or_solution_line():
    for unit in assignments(ROOT):
        for source_nb in notebooks(ROOT / "source" / unit):
            released = ROOT / "release" / unit / source_nb.name
            assert released.exists(), f"{released} missing: run `rnncourse release {unit}`"
            assert leaks(source_nb, released) == []


def test_leak_detector_bites(tmp_path):
    source = read_notebook(ROOT / "source" / "00-orientation" / "assignment.ipynb")
    secret = sorted(secret_lines(source))
    assert secret, "the orientation assignment should have solution/hidden-test lines"
    released = read_notebook(ROOT / "release" / "00-orientation" / "assignment.ipynb")
    released["cells"][-1]["source"] = secret[0] + "\n"
    import json

    leaked = tmp_path / "assignment.ipynb"
    leaked.write_text(json.dumps(released))
    problems = leaks(ROOT / "source" / "00-orientation" / "assignment.ipynb", leaked)
    assert any("reveals" in p for p in problems)


def test_command_line_runs_as_a_module_and_explains_errors(tmp_path):
    run = subprocess.run([sys.executable, "-m", "rnncourse", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "release" in run.stdout and "grade" in run.stdout
    run = subprocess.run([sys.executable, "-m", "rnncourse", "--root", str(ROOT), "release", "99-nope"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Unknown assignment(s): 99-nope" in run.stderr
    run = subprocess.run([sys.executable, "-m", "rnncourse", "check"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert run.returncode == 2 and "No course found" in run.stderr


def test_lab_puts_this_environment_first_on_path():
    """Formgrader runs `alembic` by name: the lab's PATH must start with this environment's bin/."""
    import os

    from rnncourse.course.lab import lab_environment

    bin_dir = os.path.dirname(sys.executable)
    for role in ("student", "instructor"):
        env = lab_environment(ROOT, role, base={"PATH": f"/usr/bin{os.pathsep}{bin_dir}"})
        assert env["PATH"].split(os.pathsep) == [bin_dir, "/usr/bin"], env["PATH"]
        assert env["JUPYTER_CONFIG_PATH"].startswith(str(ROOT / "jupyter-config" / role))
