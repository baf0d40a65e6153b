"""rnncourse: helpers for a course on sequence models (no graded solutions live here)."""

from .config import fast_mode, pick, setup, versions

__version__ = "0.1.0"
__all__ = ["fast_mode", "pick", "setup", "versions", "__version__"]
