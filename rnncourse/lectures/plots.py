"""Plots several lectures share: learning curves, and a score's mean over seeds with its range."""

from __future__ import annotations


def plot_history(histories, metric: str = "accuracy", ax=None, baseline: float | None = None,
                 title: str | None = None):
    """Curves of ``metric`` by epoch for one Keras History, or for named ones {name: History}.

    A name may map to a list of Histories (reruns with other seeds): the first is drawn bold,
    the others thin. When the history also holds ``val_<metric>``, training is dashed and
    validation solid. ``baseline`` draws the majority-class accuracy as a grey line.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    named = histories if isinstance(histories, dict) else {None: histories}
    for index, (name, runs) in enumerate(named.items()):
        runs = runs if isinstance(runs, list) else [runs]
        for rerun, history in enumerate(runs):
            values = history.history
            epochs = range(1, len(values[metric]) + 1)
            validation = values.get(f"val_{metric}")
            style = {"color": f"C{index}", "lw": 1.5 if rerun == 0 else 0.8,
                     "alpha": 1.0 if rerun == 0 else 0.5}
            train_label = "train" if validation is not None else name
            if name is not None and validation is not None:
                train_label = f"{name} (train)"
            ax.plot(epochs, values[metric], ls="--" if validation is not None else "-",
                    label=train_label if rerun == 0 else None, **style)
            if validation is not None:
                label = "validation" if name is None else f"{name} (validation)"
                ax.plot(epochs, validation, marker="o", ms=3, label=label if rerun == 0 else None,
                        **style)
    if baseline is not None:
        ax.axhline(baseline, color="0.5", ls="--", lw=1, label="majority class")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " "))
    ax.legend(loc="best", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def mean_with_range(ax, x, scores, label=None, **style):
    """One line: the mean over seeds at each x, with a band from the lowest to the highest seed.

    scores is (seeds, len(x)); returns the line.
    """
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    line, = ax.plot(x, scores.mean(axis=0), marker="o", label=label, **style)
    ax.fill_between(x, scores.min(axis=0), scores.max(axis=0), color=line.get_color(), alpha=0.2)
    return line
