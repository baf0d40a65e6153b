"""Train a model over several seeds, report mean and spread, and flag runs stuck at the majority class."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Run:
    """One training run: its seed, the restored model's scores, and whether it failed to train."""

    seed: int
    val_accuracy: float
    test_accuracy: float
    epochs: int
    seconds: float
    failed: bool = False
    model: object = field(default=None, repr=False)


def stuck_at_majority(predicted, labels, tolerance: float = 0.01, one_class: float = 0.98) -> bool:
    """True when predictions are (nearly) all one class, or no better than always answering the
    most frequent label (accuracy within ``tolerance`` of that share): the model did not train."""
    predicted, labels = np.asarray(predicted).ravel(), np.asarray(labels).ravel()
    if len(labels) == 0:
        return False
    _, label_counts = np.unique(labels, return_counts=True)
    _, predicted_counts = np.unique(predicted, return_counts=True)
    majority = label_counts.max() / len(labels)
    accuracy = float(np.mean(predicted == labels))
    return predicted_counts.max() / len(predicted) >= one_class or accuracy <= majority + tolerance


def classes(probabilities) -> np.ndarray:
    """Predicted classes: argmax of (n, k) probabilities, or p > 0.5 for (n,) or (n, 1) ones."""
    probabilities = np.asarray(probabilities)
    if probabilities.ndim == 2 and probabilities.shape[1] > 1:
        return probabilities.argmax(axis=1)
    return (probabilities.reshape(-1) > 0.5).astype(int)


def train_classifier(build: Callable[[], object], fit: Callable[[object], object], data: dict,
                     seed: int, set_seed: Callable[[int], object]) -> Run:
    """Seed, build and fit one classifier; score the model fit() leaves (e.g. the restored best
    epoch) on data["val"] and data["test"] ((x, y) pairs); flag it when stuck at the majority."""
    set_seed(seed)
    model = build()
    begin = time.perf_counter()
    history = fit(model)
    seconds = time.perf_counter() - begin
    scores = {}
    for split in ("val", "test"):
        x, y = data[split]
        scores[split] = (classes(model.predict(x, verbose=0)), np.asarray(y))
    accuracy = {split: float(np.mean(p == y)) for split, (p, y) in scores.items()}
    failed = stuck_at_majority(*scores["val"]) or stuck_at_majority(*scores["test"])
    return Run(seed, accuracy["val"], accuracy["test"], len(getattr(history, "epoch", [])), seconds,
               failed, model)


def over_seeds(run: Callable[[int], Run], seeds) -> list[Run]:
    """run(seed) for every seed, in order."""
    return [run(int(seed)) for seed in seeds]


def summary(name: str, runs: list[Run]) -> str:
    """One line per run, then the mean and spread of the runs that trained; failed runs named."""
    lines = []
    for r in runs:
        state = "FAILED: stuck at the majority class" if r.failed else "trained"
        lines.append(f"  seed {r.seed}: {r.epochs} epochs, {r.seconds:.0f} s, validation "
                     f"{r.val_accuracy:.3f}, test {r.test_accuracy:.3f} ({state})")
    good = [r.test_accuracy for r in runs if not r.failed]
    if good:
        spread = float(np.std(good)) if len(good) > 1 else 0.0
        lines.append(f"{name}: test accuracy {np.mean(good):.3f} ± {spread:.3f} (mean ± std over "
                     f"{len(good)} run(s) that trained, min {min(good):.3f}, max {max(good):.3f})")
    else:
        lines.append(f"{name}: no run trained")
    failed = [r.seed for r in runs if r.failed]
    if failed:
        lines.append(f"{name}: {len(failed)} of {len(runs)} run(s) failed to train "
                     f"(seeds {', '.join(map(str, failed))}); they are left out of the mean")
    return "\n".join(lines)


def trained(runs: list[Run]) -> list[float]:
    """Test accuracies of the runs that trained."""
    return [r.test_accuracy for r in runs if not r.failed]


def compare(name_a: str, a: list[float], name_b: str, b: list[float]) -> str:
    """A verdict that survives a reseed: A beats B only when every run of A beats every run of B;
    otherwise the ranges overlap and it is a tie."""
    if not a or not b:
        return f"no verdict: {name_a if not a else name_b} has no run that trained"
    if min(a) > max(b):
        return f"{name_a} beats {name_b} on every seed ({min(a):.3f} > {max(b):.3f})"
    if min(b) > max(a):
        return f"{name_b} beats {name_a} on every seed ({min(b):.3f} > {max(a):.3f})"
    return (f"a tie: the runs overlap ({name_a} {min(a):.3f}-{max(a):.3f}, "
            f"{name_b} {min(b):.3f}-{max(b):.3f})")
