"""Unit 2's lecture imports this name: the helpers live in ``rnncourse.lectures``."""

from .lectures.embeddings import analogy_sample, pca_2d, plot_pairs
from .lectures.embeddings import evaluate_vectors as evaluate
from .lectures.plots import plot_history as plot_histories

__all__ = ["analogy_sample", "evaluate", "pca_2d", "plot_histories", "plot_pairs"]
