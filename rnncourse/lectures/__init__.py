"""Plots and measurements the lectures use, one module per topic (no graded answers live here)."""
