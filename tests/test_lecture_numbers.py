"""Every figure a lecture's prose states was printed by a cell above it, in a recorded full-mode run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rnncourse.course.numbers import check_lecture, figures, prose, unprinted
from rnncourse.course.record import RECORDINGS, code_hash

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "source").glob("*/lecture.ipynb"))

# Figures a lecture may state without printing them, each with its reason. Keep this short.
ALLOWED: dict[str, set[str]] = {}


def test_prose_ignores_code_math_references_and_citations():
    text = ("In unit 3 (Cho et al., 2014) we saw `Dense(64)` and $W_{128}$; see "
            "[the paper](https://arxiv.org/abs/1409.0473). Accuracy 0.74 on 3 seeds.")
    assert [f.text for f in figures(prose(text))] == ["0.74", "3"]


@pytest.mark.parametrize("stated, printed, ok", [
    ("0.74", "accuracy 0.7391", True),          # rounded to the prose's decimals
    ("nearly 18,000", "ratio 17893.2", True),    # rounded to the prose's significant digits
    ("73.9 %", "0.7391", True),                  # a share printed as a fraction
    ("6 billion", "6,000,000,000 tokens", True),
    ("0.75", "accuracy 0.7391", False),
    ("18,000", "ratio 17893.2", False),          # not hedged: an integer must be printed as stated
    ("160 numbers", "158 parameters", False),
    ("784 pixels", "28 x 28", False),
    ("6 billion", "reported by Pennington et al.: 840 billion", False),
])
def test_a_stated_figure_needs_a_printed_one(stated, printed, ok):
    assert (unprinted(stated, printed) == []) is ok


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.parent.name)
def test_every_figure_in_the_prose_was_printed_above(path):
    unit = path.parent.name
    recording_path = ROOT / RECORDINGS / f"{unit}.json"
    assert recording_path.is_file(), f"no full-mode recording of {unit}: run `make record UNIT={unit}`"
    recording = json.loads(recording_path.read_text(encoding="utf-8"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert recording["mode"] == "full"
    assert recording["code_sha256"] == code_hash(nb), \
        f"the recording of {unit} is stale (a code cell changed): run `make record UNIT={unit}`"
    problems = check_lecture(nb, recording, ALLOWED.get(unit, set()))
    assert not problems, f"{unit}: figures the prose states but no cell above printed:\n" + \
        "\n".join(problems)
