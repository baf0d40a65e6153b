"""Plots and measurements the lectures use, one module per topic."""
