"""Grading check helpers: pass quietly, fail with expected/got/hint."""

import numpy as np
import pytest

from rnncourse.checks import CheckFailed, check_close, check_equal, check_shape, check_true, check_type


def test_passing_checks_are_silent():
    check_equal([1, 2], [1, 2])
    check_shape(np.zeros((2, 3)), (2, 3))
    check_close(np.ones(3), np.ones(3) + 1e-7)
    check_true(True, "never shown")
    check_type(3, int)


def test_equal_names_first_difference():
    with pytest.raises(CheckFailed, match=r"differs first at index 2") as info:
        check_equal([1, 2, 3], [1, 2, 4], "sequence", hint="look at the end")
    assert "expected: 4" in str(info.value) and "got:      3" in str(info.value)
    assert "hint: look at the end" in str(info.value)


def test_equal_reports_length():
    with pytest.raises(CheckFailed, match="wrong length"):
        check_equal([1, 2], [1, 2, 3])


def test_close_reports_shape_then_worst_element():
    with pytest.raises(CheckFailed, match=r"wrong shape"):
        check_close(np.zeros((2, 3)), np.zeros((3, 2)))
    got = np.zeros((2, 2))
    got[1, 0] = 0.5
    with pytest.raises(CheckFailed, match=r"at index \(1, 0\)"):
        check_close(got, np.zeros((2, 2)))


def test_close_rejects_nan_and_non_numbers():
    with pytest.raises(CheckFailed, match="NaN"):
        check_close([np.nan], [0.0])
    with pytest.raises(CheckFailed, match="not numeric"):
        check_close(["a"], [0.0])


def test_type_and_true():
    with pytest.raises(CheckFailed, match="wrong type"):
        check_type(3.0, int, "count")
    with pytest.raises(CheckFailed, match="custom message"):
        check_true(False, "custom message")


def test_failures_are_assertion_errors():
    assert issubclass(CheckFailed, AssertionError)


def test_check_gradient_accepts_the_true_gradient():
    from rnncourse.checks import check_gradient

    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    check_gradient(lambda v: float(np.sum(np.tanh(v) ** 2)), x, 2 * np.tanh(x) * (1 - np.tanh(x) ** 2))


def test_check_gradient_names_the_first_wrong_entry_and_its_error():
    from rnncourse.checks import CheckFailed, check_gradient

    x = np.array([1.0, 2.0, 3.0])
    wrong = 2 * x
    wrong[1] += 0.5
    with pytest.raises(CheckFailed) as failure:
        check_gradient(lambda v: float(np.sum(v ** 2)), x, wrong, "dx", hint="2 x")
    message = str(failure.value)
    assert "dx does not match the finite-difference gradient at index (1,)" in message
    assert "relative error" in message and "1 of 3 entries wrong" in message
    assert "4 (numerical)" in message and "4.5 (yours)" in message and "hint: 2 x" in message


def test_check_gradient_checks_the_shape_first():
    from rnncourse.checks import CheckFailed, check_gradient

    with pytest.raises(CheckFailed, match="wrong shape"):
        check_gradient(lambda v: float(np.sum(v)), np.zeros(3), np.zeros(4), "g")
