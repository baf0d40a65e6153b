"""Plots and measurements that the lectures use, one module per topic."""
