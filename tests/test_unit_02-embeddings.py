"""Unit 2: the hidden tests catch each typical mistake, with a message that names the bug."""

from __future__ import annotations

import pytest

from rnncourse.course.sample import mistakes, solutions
from rnncourse.nb import cell_text, read_notebook

UNIT = "02-embeddings"

# mistake -> (the test cell that must fail, a phrase its message must contain)
EXPECTED = {
    "dot-not-cosine": ("test_cosine_similarity", "divide the dot product by the lengths"),
    "own-neighbour": ("test_most_similar", "among its own neighbours"),
    "rank-by-dot": ("test_most_similar", "rank by cosine similarity"),
    "analogy-keeps-inputs": ("test_analogy", "three input words left out"),
    "matrix-off-by-one": ("test_embedding_matrix", "row i holds the vector of vocabulary[i]"),
    "negative-is-positive": ("test_skipgram_pairs", "equal the positive context"),
    "negative-is-padding": ("test_skipgram_pairs", "is the padding id 0"),
    "sgns-sign": ("test_sgns_loss_and_grads", "log sigmoid(-n_i.v)"),
    "meaning-not-vectors": ("test_sentence_vector", "the vectors put sentence A closer"),
}


@pytest.fixture(scope="module")
def unit(root):
    """Cells by grade_id, reference answers, declared mistakes, and the setup cell's namespace."""
    nb = read_notebook(root / "source" / UNIT / "assignment.ipynb")
    cells = {c["metadata"]["nbgrader"]["grade_id"]: cell_text(c) for c in nb["cells"]
             if "nbgrader" in c.get("metadata", {})}
    written = {c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
               if c["cell_type"] == "markdown" and "nbgrader" in c.get("metadata", {})}
    code_answers = {k: v for k, v in solutions(nb).items() if k not in written}
    return cells, code_answers, mistakes(root / "tests" / "mistakes", UNIT)


@pytest.fixture(scope="module")
def setup_namespace(unit):
    """Run the setup cell once (it loads GloVe) and the fixed sentences cell."""
    cells, _, _ = unit
    namespace = {}
    exec(cells["setup"], namespace)  # noqa: S102 - course code, not user input
    exec(cells["sentences"], namespace)  # noqa: S102
    return namespace


def run_test_cell(cells, namespace, answers, test_id):
    """Execute every answer in a copy of the setup namespace, then one test cell."""
    namespace = dict(namespace)
    for code in answers.values():
        exec(code, namespace)  # noqa: S102
    exec(cells[test_id], namespace)  # noqa: S102


def test_every_mistake_is_listed(unit):
    """Each declared mistake has an expected failing test here, and no more."""
    _, _, declared = unit
    assert set(declared) == set(EXPECTED)


@pytest.mark.slow
def test_reference_passes_every_test_cell(unit, setup_namespace):
    """The reference passes every graded code cell, hidden checks included."""
    cells, reference, _ = unit
    for test_id in sorted(c for c in cells if c.startswith("test_")):
        run_test_cell(cells, setup_namespace, reference, test_id)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_mistake_fails_with_a_message_naming_it(unit, setup_namespace, name):
    """Each mistake fails its test cell, and the message points at the bug."""
    cells, reference, declared = unit
    test_id, phrase = EXPECTED[name]
    with pytest.raises(Exception) as caught:
        run_test_cell(cells, setup_namespace, {**reference, **declared[name]["cells"]}, test_id)
    assert phrase in str(caught.value), str(caught.value)
