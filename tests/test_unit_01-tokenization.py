"""Unit 1 (tokenization): lecture helpers, and hidden tests that name each typical mistake."""

from __future__ import annotations

import runpy

import numpy as np
import pytest

from rnncourse.nb import cell_text, read_notebook
from rnncourse.tokenization_helpers import collision_share, expected_collision_share

UNIT = "01-tokenization"


def test_collision_share_counts_tokens_in_shared_buckets():
    assert collision_share([0, 1, 2, 3]) == 0.0
    assert collision_share([5, 5, 1, 2]) == 0.5
    assert collision_share([7, 7, 7]) == 1.0
    assert collision_share([]) == 0.0


def test_expected_collision_share_matches_a_simulation():
    rng = np.random.default_rng(0)
    n, dim = 500, 5000
    simulated = np.mean([collision_share(rng.integers(0, dim, n)) for _ in range(200)])
    assert abs(simulated - expected_collision_share(n, dim)) < 0.01
    assert expected_collision_share(1, 10) == 0.0


def test_lecture_gives_no_answer_away(root):
    nb = read_notebook(root / "source" / UNIT / "lecture.ipynb")
    text = "\n".join(cell_text(c) for c in nb["cells"])
    for answer in ("def standardize", "def tokenize", "def ngrams", "def build_vocabulary",
                   "def texts_to_sequences", "def pad_sequences", "def one_hot", "def multi_hot",
                   "def hash_token", "16777619", "2166136261"):
        assert answer not in text, answer


def _cells(root):
    """(grade_id or None, code) of every code cell of the source assignment."""
    nb = read_notebook(root / "source" / UNIT / "assignment.ipynb")
    return [(c.get("metadata", {}).get("nbgrader", {}).get("grade_id"), cell_text(c))
            for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.fixture(scope="module")
def reference(root):
    """The namespace after running every code cell of the source assignment (reference answers)."""
    namespace = {"__name__": "__main__"}
    for _, text in _cells(root):
        exec(compile(text, "<assignment>", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.slow
def test_each_mistake_fails_its_own_test_cell_with_a_message(root, reference):
    from rnncourse.checks import CheckFailed

    mistakes = runpy.run_path(str(root / "tests" / "mistakes" / f"{UNIT}.py"))["MISTAKES"]
    tests = {grade_id: text for grade_id, text in _cells(root) if grade_id}
    for name, mistake in mistakes.items():
        namespace = dict(reference)
        for wrong in mistake["cells"].values():
            exec(compile(wrong, f"<{name}>", "exec"), namespace)  # noqa: S102
        for grade_id in mistake["cells"]:
            with pytest.raises(CheckFailed) as failure:
                exec(compile(tests[f"test_{grade_id}"], f"<test_{grade_id}>", "exec"),  # noqa: S102
                     namespace)
            message = str(failure.value)
            assert "expected:" in message and "got:" in message, (name, message)
