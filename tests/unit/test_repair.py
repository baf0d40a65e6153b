"""Each repair step on a three-cell notebook built in memory (locked setup, answer, test)."""

from __future__ import annotations

import copy
import json

import nbformat.v4 as v4
import pytest

from rnncourse.grading.repair import MAX_NOTEBOOK_MB, Skeleton, prepare, read
from rnncourse.nb import cell_text, grade_id

HIDDEN = "### BEGIN HIDDEN TESTS\nassert f(2) == 3\n### END HIDDEN TESTS\n"


def meta(name, **flags):
    """nbgrader metadata of a cell."""
    return {"nbgrader": {"grade_id": name, "schema_version": 3, "grade": False, "solution": False,
                         "locked": False, **flags}}


def release() -> dict:
    """The released notebook: locked setup, an answer stub, a public test."""
    nb = v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                  "language": "python"}})
    nb.cells = [
        v4.new_code_cell("import math", metadata=meta("setup", locked=True)),
        v4.new_code_cell("def f(x):\n    raise NotImplementedError()", metadata=meta("f", solution=True)),
        v4.new_code_cell("assert f(1) == 2\n", metadata=meta("test_f", grade=True, locked=True,
                                                            points=1)),
    ]
    return nb


@pytest.fixture
def skeleton() -> Skeleton:
    """What the grader trusts: the release and the gradebook's full locked sources."""
    return Skeleton(release(), locked={"setup": "import math", "test_f": "assert f(1) == 2\n" + HIDDEN},
                    points={"test_f": 1})


def answered(code="def f(x):\n    return x + 1") -> dict:
    """A submission: the release with the answer filled in."""
    nb = release()
    nb.cells[1].source = code
    return nb


def ids(prepared) -> list:
    return [grade_id(c) for c in prepared.nb["cells"]]


def test_an_honest_submission_keeps_its_answer_and_gets_the_hidden_tests(skeleton):
    prepared = prepare(answered(), skeleton)
    assert prepared.notes == []
    assert ids(prepared) == ["setup", "f", "test_f"]
    assert cell_text(prepared.nb["cells"][1]) == "def f(x):\n    return x + 1"
    assert "assert f(2) == 3" in cell_text(prepared.nb["cells"][2])


def test_an_edited_test_is_restored(skeleton):
    nb = answered()
    nb.cells[2].source = "pass"
    prepared = prepare(nb, skeleton)
    assert cell_text(prepared.nb["cells"][2]).startswith("assert f(1) == 2")
    assert prepared.notes == ["test cell test_f was edited; the original was restored"]


def test_an_edited_locked_cell_is_restored(skeleton):
    nb = answered()
    nb.cells[0].source = "import os"
    prepared = prepare(nb, skeleton)
    assert cell_text(prepared.nb["cells"][0]) == "import math"
    assert prepared.notes == ["locked cell setup was edited; the original was restored"]


def test_a_deleted_test_comes_back_in_its_place(skeleton):
    nb = answered()
    del nb.cells[2]
    prepared = prepare(nb, skeleton)
    assert ids(prepared) == ["setup", "f", "test_f"]
    assert prepared.notes == ["cell test_f was deleted; the original was restored"]


def test_a_deleted_answer_comes_back_unanswered(skeleton):
    nb = answered()
    del nb.cells[1]
    prepared = prepare(nb, skeleton)
    assert ids(prepared) == ["setup", "f", "test_f"]
    assert "NotImplementedError" in cell_text(prepared.nb["cells"][1])
    assert prepared.notes == ["answer cell f was deleted; graded as unanswered"]


def test_a_duplicated_answer_is_graded_once_and_a_duplicated_test_removed(skeleton):
    nb = answered()
    nb.cells.insert(2, copy.deepcopy(nb.cells[1]))
    nb.cells.append(copy.deepcopy(nb.cells[-1]))
    prepared = prepare(nb, skeleton)
    assert ids(prepared) == ["setup", "f", None, "test_f"]
    assert prepared.notes == [
        "answer cell f appears twice; the first copy is graded, the second runs as an ordinary cell",
        "cell test_f appears twice; the copy was removed"]


def test_an_unknown_grade_id_earns_nothing(skeleton):
    nb = answered()
    nb.cells.append(v4.new_code_cell("x = 1", metadata=meta("bonus", grade=True, points=5)))
    prepared = prepare(nb, skeleton)
    assert ids(prepared) == ["setup", "f", "test_f", None]
    assert prepared.nb["cells"][3]["metadata"] == {}
    assert prepared.notes == ["a cell claims the unknown grade id 'bonus'; it runs as an ordinary "
                              "cell and earns nothing"]


def test_an_answer_turned_into_markdown_is_graded_as_code(skeleton):
    nb = answered()
    nb.cells[1] = v4.new_markdown_cell("def f(x):\n    return x + 1", metadata=meta("f", solution=True))
    prepared = prepare(nb, skeleton)
    assert prepared.nb["cells"][1]["cell_type"] == "code"
    assert prepared.notes == ["answer cell f was changed to markdown; graded as code"]


def test_a_foreign_kernel_is_replaced_by_the_course_kernel(skeleton):
    nb = answered()
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    prepared = prepare(nb, skeleton)
    assert prepared.nb["metadata"]["kernelspec"]["name"] == "python3"
    assert prepared.notes == ["the notebook named the kernel 'ir'; it was graded with the course's "
                              "python3 kernel"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\xff\xfe", "not UTF-8"),
    (b'{"cells": [', "not valid JSON (line 1"),
    (b'{"metadata": {}}', "not a Jupyter notebook"),
    (b" " * ((MAX_NOTEBOOK_MB << 20) + 1), f"larger than {MAX_NOTEBOOK_MB} MB"),
])
def test_unreadable_files_are_refused_with_a_reason(data, reason):
    nb, error = read(data)
    assert nb is None and reason in error


def test_a_cell_nbformat_cannot_read_makes_the_file_unreadable():
    raw = json.loads(json.dumps(answered()))
    raw["cells"].append({"source": "no type"})
    nb, error = read(json.dumps(raw).encode())
    assert nb is None and error.startswith("the notebook could not be read (")


def test_a_readable_file_is_parsed_as_nbformat_4():
    nb, error = read(json.dumps(answered()).encode())
    assert not error
    assert nb.nbformat == 4 and [grade_id(c) for c in nb.cells] == ["setup", "f", "test_f"]
