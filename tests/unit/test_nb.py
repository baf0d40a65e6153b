"""One home for what a notebook cell is: its text, its nbgrader role, its secret lines."""

from __future__ import annotations

from rnncourse.nb import cell_text, is_answer, is_graded, is_test, secret_lines


def cell(source, cell_type="code", **nbgrader):
    return {"cell_type": cell_type, "source": source, "metadata": {"nbgrader": nbgrader} if nbgrader else {}}


def test_cell_text_joins_a_list_of_lines():
    assert cell_text(cell(["a = 1\n", "b = 2"])) == "a = 1\nb = 2"
    assert cell_text(cell("a = 1")) == "a = 1"


def test_roles_of_cells():
    answer = cell("x = 1", solution=True, grade_id="x")
    test = cell("assert x", grade=True, locked=True, grade_id="t", points=1)
    written = cell("text", cell_type="markdown", grade=True, solution=True, grade_id="w", points=2)
    assert (is_answer(answer), is_test(answer)) == (True, False)
    assert (is_answer(test), is_test(test)) == (False, True)
    assert (is_answer(written), is_test(written)) == (True, False)
    assert not is_test({"cell_type": "code", "source": "", "metadata": {"nbgrader": "garbage"}})
    assert is_graded({"cells": [answer, test]}) and not is_graded({"cells": [answer]})


def test_secret_lines_are_long_lines_only_inside_secret_regions():
    source = {"cells": [
        cell("def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    pass\n    ### END SOLUTION\n"),
        cell("assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(5) == 6\nassert f(1) == 2\n"
             "### END HIDDEN TESTS\n"),
    ]}
    # "pass" is too short to count; "assert f(1) == 2" is public (outside the region)
    assert secret_lines(source) == {"return x + 1", "assert f(5) == 6"}
