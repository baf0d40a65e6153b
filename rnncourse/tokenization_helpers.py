"""Unit 1's lecture imports this name: the helpers live in ``rnncourse.lectures``."""

from .lectures.plots import plot_history as plot_histories
from .lectures.tokenization import collision_share, expected_collision_share, plot_collisions

__all__ = ["collision_share", "expected_collision_share", "plot_collisions", "plot_histories"]
