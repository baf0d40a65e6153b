"""Every unit with typical mistakes: the reference passes every test, each mistake fails the
PUBLIC part of its test cell with a message naming the slip, and every mistake is declared fully.

A mistake whose entry has a "hidden" key (the reason) is caught by the hidden tests only: a
multiple-choice answer, whose public test would give the answer away.
"""

from __future__ import annotations

import pytest
from assignment_runner import code_cells, declared_mistakes, public_part, run_reference, run_until_test, units

UNITS = units()
MISTAKES = [(unit, name) for unit in UNITS for name in sorted(declared_mistakes(unit))]


def test_units_declare_mistakes():
    assert UNITS, "tests/mistakes/ holds no unit"


@pytest.mark.parametrize("unit", UNITS)
def test_every_mistake_is_declared_fully(unit):
    """Each mistake has why/cells/fails/says; its cells are answer cells; fails is a test cell."""
    cells = code_cells(unit)
    answers = {c.grade_id for c in cells if c.kind == "answer"}
    tests = {c.grade_id: c for c in cells if c.kind == "test"}
    declared = declared_mistakes(unit)
    assert declared, f"tests/mistakes/{unit}.py declares no mistake"
    for name, mistake in declared.items():
        assert set(mistake) >= {"why", "cells", "fails", "says"}, (name, sorted(mistake))
        assert mistake["cells"] and set(mistake["cells"]) <= answers, (name, sorted(answers))
        assert mistake["fails"] in tests, f"{name}: {mistake['fails']!r} is not a test cell"
        assert mistake["says"].strip(), f"{name}: empty 'says'"
        assert "hidden" not in mistake or mistake["fails"] == "test_knowledge_check", (
            f"{name}: only a multiple-choice answer may be caught by hidden tests alone")
        public = public_part(tests[mistake["fails"]].text)
        assert public.strip(), f"{name}: the test cell {mistake['fails']} has no public part"


def test_public_part_drops_only_the_hidden_region():
    text = "a = 1\n### BEGIN HIDDEN TESTS\nsecret = 2\n### END HIDDEN TESTS\nb = 3\n"
    assert public_part(text) == "a = 1\nb = 3\n"
    assert public_part("x = 1\n") == "x = 1\n"


@pytest.mark.slow
@pytest.mark.parametrize("unit", UNITS)
def test_reference_passes_every_test_cell(unit):
    """The reference answers pass every test cell, hidden tests included."""
    run_reference(unit)


@pytest.mark.slow
@pytest.mark.parametrize(("unit", "name"), MISTAKES, ids=[f"{u}:{n}" for u, n in MISTAKES])
def test_mistake_fails_its_public_test_naming_the_slip(unit, name):
    """Before submission, the visible test of the 'fails' cell catches the mistake and says so."""
    mistake = declared_mistakes(unit)[name]
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any failure, judged by its message
        run_until_test(unit, mistake["cells"], mistake["fails"], public="hidden" not in mistake)
    message = str(caught.value)
    assert mistake["says"] in message, (
        f"{unit}:{name} failed {mistake['fails']} without saying {mistake['says']!r}:\n{message}")
