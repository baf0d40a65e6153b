"""Unit 3: the hidden tests catch each typical mistake, with a message that names the bug."""

from __future__ import annotations

import pytest

from rnncourse.course.sample import mistakes, solutions
from rnncourse.nb import cell_text, read_notebook

UNIT = "03-simple-rnn"

# mistake -> (the test cell that must fail, a phrase its message must contain; None: any error)
EXPECTED = {
    "h-prev-times-W": ("test_rnn_cell_forward", "only the input term remains"),
    "forgot-bias": ("test_rnn_cell_forward", "your bias term is wrong"),
    "pre-activation": ("test_rnn_cell_forward", "pre-activation"),
    "wrong-time-axis": ("test_rnn_forward", None),
    "states-time-first": ("test_rnn_forward", "wrong shape"),
    "last-state-only": ("test_rnn_forward", "wrong shape"),
    "param-count-no-recurrent": ("test_simple_rnn_param_count", "simple_rnn_param_count(20, 5)"),
    "no-tanh-derivative": ("test_rnn_cell_backward", "tanh derivative is missing"),
    "tanh-derivative-of-h-prev": ("test_rnn_cell_backward", "from rnn_cell_backward"),
    "last-step-weights-only": ("test_rnn_backward", "add up the gradients of all steps"),
    "stack-without-sequences": ("test_many_to_one_model", "return_sequences=True"),
    "linear-output": ("test_many_to_one_model", "probabilities"),
    "clipping-cures-it": ("test_knowledge_check", "does not describe"),
}


@pytest.fixture(scope="module")
def unit(root):
    """The source notebook's cells by grade_id, its setup code, and the reference answers."""
    nb = read_notebook(root / "source" / UNIT / "assignment.ipynb")
    cells = {c["metadata"]["nbgrader"]["grade_id"]: cell_text(c) for c in nb["cells"]
             if "nbgrader" in c.get("metadata", {})}
    return cells, solutions(nb), mistakes(root / "tests" / "mistakes", UNIT)


def run_test_cell(cells, answers, test_id):
    """Execute the setup cell, every answer, then one test cell (hidden checks included)."""
    namespace = {}
    exec(cells["setup"], namespace)  # noqa: S102 - course code, not user input
    for code in answers.values():
        exec(code, namespace)  # noqa: S102
    exec(cells[test_id], namespace)  # noqa: S102


def test_every_mistake_is_listed(unit):
    """Each declared mistake has an expected failing test here, and no more."""
    _, _, declared = unit
    assert set(declared) == set(EXPECTED)


@pytest.mark.slow
def test_reference_passes_every_test_cell(unit):
    """The reference passes every graded cell, hidden checks included."""
    cells, reference, _ = unit
    for test_id in {test for test, _ in EXPECTED.values()}:
        run_test_cell(cells, reference, test_id)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_mistake_fails_with_a_message_naming_it(unit, name):
    """Each mistake fails its test cell, and the message points at the bug."""
    cells, reference, declared = unit
    test_id, phrase = EXPECTED[name]
    with pytest.raises(Exception) as caught:
        run_test_cell(cells, {**reference, **declared[name]["cells"]}, test_id)
    if phrase is not None:
        assert phrase in str(caught.value), str(caught.value)
