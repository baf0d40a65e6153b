"""Check helpers for autograded tests: each failure says what was expected, what came, and a hint."""

from __future__ import annotations

import numpy as np


class CheckFailed(AssertionError):
    """A graded check failed; the message is meant for the student."""


def _fail(what: str, expected, got, hint: str | None) -> None:
    lines = [f"{what}", f"  expected: {expected}", f"  got:      {got}"]
    if hint:
        lines.append(f"  hint: {hint}")
    raise CheckFailed("\n".join(lines))


def _short(value, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_type(value, types, name: str = "value", hint: str | None = None) -> None:
    """Fail unless ``value`` is an instance of ``types``."""
    if not isinstance(value, types):
        names = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
        _fail(f"{name} has the wrong type", names, type(value).__name__, hint)


def check_equal(got, expected, name: str = "value", hint: str | None = None) -> None:
    """Fail unless ``got == expected``; for sequences, name the first differing position."""
    if got == expected:
        return
    if isinstance(got, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(got) != len(expected):
            _fail(f"{name} has the wrong length", len(expected), len(got), hint)
        for i, (g, e) in enumerate(zip(got, expected)):
            if g != e:
                _fail(f"{name} differs first at index {i}", _short(e), _short(g), hint)
    _fail(f"{name} is wrong", _short(expected), _short(got), hint)


def check_shape(got, expected_shape, name: str = "array", hint: str | None = None) -> None:
    """Fail unless ``np.shape(got)`` equals ``expected_shape``."""
    shape = tuple(np.shape(got))
    if shape != tuple(expected_shape):
        _fail(f"{name} has the wrong shape", tuple(expected_shape), shape, hint)


def check_close(got, expected, name: str = "array", hint: str | None = None,
                atol: float = 1e-5, rtol: float = 1e-4) -> None:
    """Fail unless arrays match in shape and value; report the worst element and its error."""
    try:
        got_array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} is not numeric", "an array of numbers", _short(got), hint)
    expected_array = np.asarray(expected, dtype=np.float64)
    check_shape(got_array, expected_array.shape, name, hint)
    if not np.all(np.isfinite(got_array)):
        _fail(f"{name} contains NaN or infinity", "finite numbers", "NaN/inf present", hint)
    error = np.abs(got_array - expected_array)
    bound = atol + rtol * np.abs(expected_array)
    if np.all(error <= bound):
        return
    worst = np.unravel_index(np.argmax(error - bound), error.shape) if error.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if worst else ""
    _fail(
        f"{name} differs{where} (max abs error {error.max():.3g})",
        f"{expected_array[worst]:.6g}",
        f"{got_array[worst]:.6g}",
        hint,
    )


def check_true(condition, message: str, hint: str | None = None) -> None:
    """Fail with ``message`` (and a hint) unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message + (f"\n  hint: {hint}" if hint else ""))


def numerical_gradient(f, x, eps: float = 1e-6) -> np.ndarray:
    """Centred finite differences of the scalar function ``f`` at ``x`` (float64, same shape)."""
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        saved = point[index]
        point[index] = saved + eps
        plus = float(f(point.copy()))
        point[index] = saved - eps
        minus = float(f(point.copy()))
        point[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def check_gradient(f, x, analytic_grad, name: str = "gradient", hint: str | None = None,
                   eps: float = 1e-6, tolerance: float = 1e-5) -> None:
    """Compare ``analytic_grad`` with finite differences of the scalar ``f`` at ``x`` (CS224N's
    gradcheck): fail at the first index whose relative error |a - n| / max(1, |a|, |n|) exceeds
    ``tolerance``, naming it. ``f`` takes an array shaped like ``x`` and returns a number."""
    point = np.array(x, dtype=np.float64)
    try:
        analytic = np.asarray(analytic_grad, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} is not numeric", "an array of numbers", _short(analytic_grad), hint)
    check_shape(analytic, point.shape, name, hint)
    if not np.all(np.isfinite(analytic)):
        _fail(f"{name} contains NaN or infinity", "finite numbers", "NaN/inf present", hint)
    numerical = numerical_gradient(f, point, eps)
    error = np.abs(analytic - numerical) / np.maximum(1.0, np.maximum(np.abs(analytic),
                                                                       np.abs(numerical)))
    bad = np.argwhere(error > tolerance)
    if len(bad) == 0:
        return
    first = tuple(int(i) for i in bad[0])
    where = f" at index {first}" if first else ""
    _fail(f"{name} does not match the finite-difference gradient{where} "
          f"(relative error {error[first]:.2g}; {len(bad)} of {error.size} entries wrong)",
          f"{numerical[first]:.6g} (numerical)", f"{analytic[first]:.6g} (yours)", hint)
