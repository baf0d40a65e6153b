"""Lint the course: release/ in sync with source/, nothing secret released, tests that bite."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..config import quiet_logs
from ..nb import MARKERS, cell_text, is_graded, read_notebook, secret_lines
from .layout import Layout, load_config, notebooks, resolve_assignments


def source_outputs(path: Path) -> list[str]:
    """Problems: code cells of a source notebook that carry outputs or execution counts."""
    nb = read_notebook(path)
    bad = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
           and (c.get("outputs") or c.get("execution_count") is not None)]
    return [f"{path}: cells {bad} carry outputs (clear them before committing)"] if bad else []


def leaks(source_nb: Path, released_nb: Path) -> list[str]:
    """Problems: markers or secret lines of the source that appear in the released notebook."""
    released = read_notebook(released_nb)
    texts = [cell_text(c) for c in released["cells"]]
    problems = []
    for marker in MARKERS:
        if any(marker in t for t in texts):
            problems.append(f"{released_nb}: contains the marker '{marker}'")
    released_lines = {line.strip() for t in texts for line in t.splitlines()}
    for line in sorted(secret_lines(read_notebook(source_nb)) & released_lines):
        problems.append(f"{released_nb}: reveals a solution/hidden-test line: {line!r}")
    return problems


def normalized(path: Path) -> str:
    """A notebook's JSON in a canonical form, for comparing a release with a regeneration."""
    return json.dumps(read_notebook(path), sort_keys=True, indent=1)


def release_in_sync(root: Path, name: str, regenerated: Path) -> list[str]:
    """Problems: differences between release/NAME and what nbgrader generates from source now."""
    committed = Layout.of(root).release(name)
    if not committed.is_dir():
        return [f"{committed} is missing: run `rnncourse release {name}`"]
    fresh = {p.relative_to(regenerated) for p in regenerated.rglob("*") if p.is_file()}
    have = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
            and ".ipynb_checkpoints" not in p.parts}
    problems = [f"{committed / p}: missing from release/" for p in sorted(fresh - have)]
    problems += [f"{committed / p}: not generated from source/ (stale file)"
                 for p in sorted(have - fresh)]
    for rel in sorted(fresh & have):
        a, b = committed / rel, regenerated / rel
        same = (normalized(a) == normalized(b)) if rel.suffix == ".ipynb" else (
            a.read_bytes() == b.read_bytes())
        if not same:
            problems.append(f"{a}: out of date with source/ (run `rnncourse release {name}`)")
    return problems


def validate(root: Path, path: Path, invert: bool) -> list[str]:
    """Problems from nbgrader's validator: failing tests in a source, passing ones in a release."""
    from nbgrader.validator import Validator

    config = load_config(root)
    config.Validator.invert = invert
    with quiet_logs():
        results = Validator(config=config).validate(str(path))
    problems = []
    for kind in ("changed", "type_changed"):
        for cell in results.get(kind, []):
            problems.append(f"{path}: locked cell was modified: {cell['source'][:60]!r}")
    if invert:
        for cell in results.get("passed", []):
            first = cell["source"].splitlines()[0] if cell["source"] else ""
            problems.append(f"{path}: a test passes on the blank release: {first!r}")
    else:
        for cell in results.get("failed", []):
            error = cell.get("raw_error", "").strip().splitlines()[-1:] or [""]
            problems.append(f"{path}: the reference solution fails a test: {error[0]}")
    return problems


def check(root: Path, names=(), execute: bool = True, progress=None) -> list[str]:
    """All problems found in the course (an empty list means everything is in order)."""
    from .release import generate

    root = Path(root)
    names = resolve_assignments(root, names)
    layout = Layout.of(root)
    problems: list[str] = []
    for name in names:
        for nb in notebooks(layout.source(name)):
            problems += source_outputs(nb)
    with tempfile.TemporaryDirectory(prefix="rnncourse-check-") as scratch:
        generate(root, names, into=Path(scratch))
        copy = Layout.of(scratch)
        for name in names:
            fresh = copy.release(name)
            problems += release_in_sync(root, name, fresh)
            for source_nb in notebooks(layout.source(name)):
                released_nb = layout.release(name) / source_nb.name
                if released_nb.exists():
                    problems += leaks(source_nb, released_nb)
                if not execute or not is_graded(read_notebook(source_nb)):
                    continue
                if progress:
                    progress(f"validating {name}/{source_nb.name}")
                problems += validate(Path(scratch), copy.source(name) / source_nb.name, invert=False)
                problems += validate(Path(scratch), fresh / source_nb.name, invert=True)
    return problems
