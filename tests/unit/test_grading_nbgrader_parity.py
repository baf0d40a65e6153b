"""Quick checks of what makes `rnncourse grade` a drop-in for `nbgrader autograde` (no kernels)."""

from __future__ import annotations

import warnings

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rnncourse.course.layout import CourseError, Layout, environment_on_path
from rnncourse.grading.feedback import HideHiddenTests
from rnncourse.grading.files import valid_nbformat
from rnncourse.grading.gradebook import notebook_names
from rnncourse.grading.limits import imported_packages, preload_for
from rnncourse.grading.repair import Skeleton

HIDDEN = "assert squares(11)[-1] == 121, 'squares(11) is wrong'"


def graded_notebook():
    """An autograded notebook: an answer, a test with hidden lines and output, a snooping cell."""
    test = new_code_cell(f"assert squares(1) == [1]\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n"
                         "### END HIDDEN TESTS\n",
                         metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                "grade_id": "test_squares", "points": 1}})
    test.outputs = [new_output("stream", name="stdout", text=f"checking {HIDDEN}\n"),
                    new_output("error", ename="AssertionError", evalue="squares(11) is wrong",
                               traceback=[f"----> 3 {HIDDEN}", "AssertionError: squares(11) is wrong"])]
    snoop = new_code_cell("print(In)")
    snoop.outputs = [new_output("stream", name="stdout", text=repr(["x", HIDDEN]) + "\n")]
    nb = new_notebook(cells=[new_markdown_cell("# Squares"), new_code_cell("def squares(n): ..."),
                             test, snoop])
    nb.metadata["rnncourse"] = {"notes": ["failed: test_squares", "answer <b>edited</b>"]}
    return nb


def test_hidden_tests_leave_nbgrader_s_feedback():
    nb, _ = HideHiddenTests().preprocess(graded_notebook(), {})
    text = nbformat.writes(nb)
    assert "squares(11)[-1]" not in text
    assert "BEGIN HIDDEN TESTS" not in text
    test = nb.cells[3]
    assert test.source.strip() == "assert squares(1) == [1]"
    assert [o.output_type for o in test.outputs] == ["error"]
    assert test.outputs[0].traceback == ["AssertionError: squares(11) is wrong"]
    assert nb.cells[4].outputs[0].text.strip() == "[hidden]"
    assert "failed: test_squares" in nb.cells[0].source
    assert "&lt;b&gt;edited&lt;/b&gt;" in nb.cells[0].source


def test_autograded_notebooks_become_valid_nbformat():
    nb = graded_notebook()
    nb.nbformat_minor = 0
    nb.cells[2]["id"] = nb.cells[1]["id"]  # a duplicated id, as a copied cell brings
    valid_nbformat(nb)
    nbformat.validate(nb)
    assert nb.nbformat_minor >= 5


def test_preload_is_what_the_notebooks_import():
    candidates = ("numpy", "numpy.testing", "rnncourse.checks", "keras")
    plain = Skeleton({"cells": [{"cell_type": "code", "source": "a = 1\n%timeit a\n"}]})
    course = Skeleton({"cells": [{"cell_type": "code", "source": "import rnncourse\n"}]},
                      locked={"test": "from numpy.testing import assert_allclose\n"})
    assert preload_for(candidates, [plain]) == ()
    assert preload_for(candidates, [course]) == candidates  # rnncourse.setup() seeds Keras
    assert imported_packages(["from . import x\nimport os.path as p\n"]) == {"os"}


def course_with(tmp_path, released: list[str], known: list[str]) -> Layout:
    """A scratch course whose release/ps1 holds ``released`` and whose gradebook ``known``."""
    from nbgrader.api import Gradebook

    environment_on_path()  # nbgrader runs alembic by name when it creates a gradebook
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    for folder, names in (("source", ["p1"]), ("release", released)):
        (tmp_path / folder / "ps1").mkdir(parents=True, exist_ok=True)
        for name in names:
            nbformat.write(new_notebook(), tmp_path / folder / "ps1" / f"{name}.ipynb")
    layout = Layout.of(tmp_path)
    with warnings.catch_warnings(), Gradebook(layout.db_url) as gradebook:
        warnings.simplefilter("ignore")
        gradebook.update_or_create_assignment("ps1")
        for name in known:
            gradebook.update_or_create_notebook(name, "ps1")
    return layout


def test_a_missing_release_says_what_exists(tmp_path):
    layout = course_with(tmp_path, [], ["p1"])
    expected = r"holds no notebook \(source/ps1/ has p1.ipynb\).*rnncourse release ps1"
    with pytest.raises(CourseError, match=expected):
        notebook_names(layout, "ps1")


def test_a_name_mismatch_says_what_was_expected(tmp_path):
    layout = course_with(tmp_path, ["p1"], ["problem1"])
    expected = "release/ps1/ has p1.ipynb but the gradebook expects problem1.ipynb"
    with pytest.raises(CourseError, match=expected):
        notebook_names(layout, "ps1")


def test_any_notebook_names_several_per_assignment(tmp_path):
    layout = course_with(tmp_path, ["p2", "p1"], ["p1", "p2"])
    assert notebook_names(layout, "ps1") == ["p1", "p2"]
