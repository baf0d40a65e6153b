"""Unit 6: its datasets, lecture helpers, and the Reber acceptor the assignment's tests rely on."""

from __future__ import annotations

import json
import re
import socket

import numpy as np
import pytest

from rnncourse import data
from rnncourse.data import shakespeare
from rnncourse.lectures import generation

UNIT = "06-generation"
MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


def read_notebook(path):
    """A notebook as a dict."""
    return json.loads(path.read_text(encoding="utf-8"))


def cell_text(cell):
    """A cell's source as one string."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def solutions(nb):
    """grade_id -> reference code of every code answer cell (solution markers removed)."""
    return {c["metadata"]["nbgrader"]["grade_id"]:
            "\n".join(line for line in cell_text(c).splitlines() if not MARKER.match(line))
            for c in nb["cells"]
            if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")}


@pytest.fixture(scope="module")
def assignment(root):
    """The source assignment: cell texts by grade_id and the reference answers."""
    nb = read_notebook(root / "source" / UNIT / "assignment.ipynb")
    cells = {c["metadata"]["nbgrader"]["grade_id"]: cell_text(c) for c in nb["cells"]}
    return cells, solutions(nb)


@pytest.fixture(scope="module")
def reber(assignment):
    """The setup cell's acceptor with the reference generators, run in one namespace."""
    cells, reference = assignment
    namespace = {}
    exec(cells["setup"], namespace)  # noqa: S102 - course code, not user input
    exec(reference["reber"], namespace)  # noqa: S102
    exec(reference["corrupt"], namespace)  # noqa: S102
    return namespace


# ---------------------------------------------------------------- data
def test_census_names_counts_and_splits(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: pytest.fail("network"))
    first = data.load_names("first")
    assert len(first) == 5163 and first == sorted(set(first))
    assert all(re.fullmatch("[a-z]+", name) for name in first)
    assert len(data.load_names("male")) == 1219 and len(data.load_names("female")) == 4275
    assert len(data.load_names("last")) == 88799
    parts = [set(data.load_names("first", split, seed=3)) for split in ("train", "val", "test")]
    assert sum(map(len, parts)) == len(first) and set().union(*parts) == set(first)
    assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])
    assert data.load_names("first", "val", seed=3) != data.load_names("first", "val", seed=4)
    freq = data.name_frequencies("first")
    assert freq["james"] >= 3.318 and freq["mary"] > 2  # james is in both lists
    with pytest.raises(ValueError, match="valid"):
        data.load_names("middle")


def test_shakespeare_extract_is_clean_plain_text():
    text = data.load_shakespeare()
    assert len(text) == 797757
    assert text.startswith("BERNARDO:\nWho's there?")
    assert not re.search(r"[*_#\[\]\\]", text), "markdown left in the extract"
    assert len(set(text)) == 63
    macbeth = data.load_shakespeare("macbeth")
    assert "Fair is foul, and foul is fair" in macbeth and macbeth in text
    with pytest.raises(ValueError, match="valid"):
        data.load_shakespeare("the-tempest")
    assert data.record("shakespeare").status() == "installed"
    assert data.record("names").status() == "installed"


def test_markdown_to_text_drops_directions_and_names_speakers():
    markdown = ("# Play\n\n## ACT I\n\n_Enter two Witches, with\nAttendants_\n\n"
                "**First Witch**  \nWhen shall we three meet again  \n_\\[Aside]_  \n"
                "In thunder, _softly_ lightning?\n\n_Exeunt_\n\n**ALL**  \nFair is foul.\n")
    assert shakespeare.markdown_to_text(markdown) == (
        "First Witch:\nWhen shall we three meet again\nIn thunder, lightning?\n\n"
        "ALL:\nFair is foul.\n\n")


# ---------------------------------------------------------------- lecture helpers
def test_encoded_names_shift_by_one_and_decode():
    alphabet = generation.name_alphabet(["emma", "bob"])
    inputs, targets = generation.encode_names(["emma", "bob"], alphabet)
    assert inputs.shape == targets.shape == (2, 5)
    assert inputs[0, 0] == generation.BOUNDARY and targets[0, 3 + 1] == generation.BOUNDARY
    np.testing.assert_array_equal(inputs[0, 1:5], targets[0, :4])
    assert targets[1, 4] == generation.PAD
    assert generation.decode_ids(targets[0], alphabet) == "emma"
    assert generation.decode_ids(inputs[1, 1:], alphabet) == "bob"


def test_text_streams_continue_row_by_row():
    ids = np.arange(1000)
    x, y = generation.text_streams(ids, batch_size=4, window=10)
    assert x.shape == y.shape and x.shape[1] == 10 and len(x) % 4 == 0
    np.testing.assert_array_equal(y, x + 1)  # targets are the next ids
    for k in range(len(x) // 4 - 1):
        for row in range(4):
            assert x[(k + 1) * 4 + row, 0] == x[k * 4 + row, -1] + 1  # the stream goes on


def test_distinct_ngrams():
    assert generation.distinct_ngrams(["abab"], 2) == pytest.approx(2 / 3)
    assert generation.distinct_ngrams(["abc", "def"], 2) == 1.0
    assert generation.distinct_ngrams(["a"], 2) == 0.0


def test_history_is_in_order_and_ends_with_the_transformer():
    years = [year for year, _, _ in generation.HISTORY]
    assert years == sorted(years)
    assert generation.HISTORY[-1][0] == 2017 and "Transformer" in generation.HISTORY[-1][1]
    assert any(year == 1997 and "LSTM" in what for year, what, _ in generation.HISTORY)


# ---------------------------------------------------------------- the Reber acceptor
def _all_reber_strings(max_len):
    """Every Reber string up to max_len letters, by a walk over the automaton of the exercise."""
    arrows = {0: [("B", 1)], 1: [("T", 2), ("P", 3)], 2: [("S", 2), ("X", 4)],
              3: [("T", 3), ("V", 5)], 4: [("X", 3), ("S", 6)], 5: [("P", 4), ("V", 6)],
              6: [("E", None)]}
    found, frontier = [], [("", 0)]
    while frontier:
        grown = []
        for text, state in frontier:
            for letter, nxt in arrows[state]:
                if nxt is None:
                    found.append(text + letter)
                elif len(text) + 1 < max_len:
                    grown.append((text + letter, nxt))
        frontier = grown
    return found


def test_acceptor_agrees_with_the_automaton(reber):
    strings = _all_reber_strings(14)
    assert len(strings) > 200
    assert all(reber["ACCEPT"].fullmatch(s) for s in strings)
    rng = np.random.default_rng(0)  # random letter strings: accepted only if the automaton makes them
    shown = set(strings)
    for _ in range(3000):
        s = "B" + "".join(rng.choice(list("TPSXV"), size=int(rng.integers(2, 12)))) + "E"
        assert bool(reber["ACCEPT"].fullmatch(s)) == (s in shown)


def test_one_substitution_always_breaks_an_embedded_string(reber):
    """The exercise text promises it; corrupt() relies on it."""
    accept = reber["ACCEPT_EMBEDDED"]
    for inner in _all_reber_strings(12):
        for side in "TP":
            s = "B" + side + inner + side + "E"
            assert accept.fullmatch(s)
            for i, old in enumerate(s):
                for new in "BEPSTVX".replace(old, ""):
                    assert not accept.fullmatch(s[:i] + new + s[i + 1:]), (s, i, new)


def test_reference_generators_and_the_tests_own_sampler(reber, assignment):
    cells, _ = assignment
    rng = np.random.default_rng(1)
    assert all(reber["ACCEPT_EMBEDDED"].fullmatch(reber["embedded_reber_string"](rng))
               for _ in range(500))
    assert not any(reber["ACCEPT_EMBEDDED"].fullmatch(
        reber["corrupt"](reber["embedded_reber_string"](rng), rng)) for _ in range(500))
    test = cells["test_reber_classifier"]
    exec(test[test.index("def fresh_reber_set"):test.index("def accuracy_on_fresh_strings")],
         reber)  # noqa: S102
    x, y = reber["fresh_reber_set"](400, 2)  # asserts its own strings against the acceptor
    assert x.shape[0] == 400 and y.mean() == 0.5


def test_lecture_defines_no_answer_of_the_assignment(root, assignment):
    _, reference = assignment
    answers = {name for code in reference.values()
               for name in re.findall(r"^def (\w+)", code, re.M)}
    lecture = read_notebook(root / "source" / UNIT / "lecture.ipynb")
    defined = {name for c in lecture["cells"] if c["cell_type"] == "code"
               for name in re.findall(r"^def (\w+)", cell_text(c), re.M)}
    assert answers and not answers & defined


def test_paired_verdict_needs_every_seed():
    assert generation.paired_verdict([1.0, 1.1], [1.2, 1.3], "A", "B").startswith(
        "A beats B on every one of 2 seeds (by 0.200 to 0.200")
    assert generation.paired_verdict([1.4], [1.2], "A", "B") == (
        "B beats A on the only seed (by 0.200 nats/char lower)")
    assert "tie" in generation.paired_verdict([1.0, 1.3], [1.2, 1.2], "A", "B")
