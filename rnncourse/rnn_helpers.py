"""Unit 3's lecture imports this name: the helpers live in ``rnncourse.lectures``."""

from .lectures.plots import plot_history
from .lectures.rnn import draw_io_patterns, draw_unrolled, plot_gradient_norms

__all__ = ["draw_io_patterns", "draw_unrolled", "plot_gradient_norms", "plot_history"]
