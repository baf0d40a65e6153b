"""The fast/full switch, seeds, a quiet notebook setup, and every environment variable's name."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import warnings
from importlib import metadata

FAST_VARIABLE = "RNNCOURSE_FAST"            # 1: small, quick runs
NBGRADER_VARIABLE = "NBGRADER_EXECUTION"    # set by nbgrader while it runs a notebook
SANDBOX_VARIABLE = "RNNCOURSE_SANDBOX"      # a grading kernel's SandboxSpec, as JSON
DATA_VARIABLE = "RNNCOURSE_DATA"            # the download cache (default ~/.keras/datasets)
MIRROR_VARIABLE = "RNNCOURSE_DATA_MIRROR"   # a mirror URL for downloads
TRUE_WORDS = {"1", "true", "yes", "on"}

# TensorFlow reads these when it is first imported; they silence its C++ log lines
# (oneDNN notice, CPU feature banner) that students cannot act on.
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def fast_mode() -> bool:
    """True for small, quick runs: RNNCOURSE_FAST=1, or whenever nbgrader executes the notebook."""
    if os.environ.get(NBGRADER_VARIABLE):
        return True
    return os.environ.get(FAST_VARIABLE, "").strip().lower() in TRUE_WORDS


def pick(fast, full):
    """Return ``fast`` in fast mode and ``full`` otherwise (epochs, sample sizes, ...)."""
    return fast if fast_mode() else full


@contextlib.contextmanager
def quiet_logs(*names: str, level: int | str = logging.ERROR):
    """Raise the named loggers (default: nbgrader's and traitlets') to ``level`` inside the block."""
    loggers = [logging.getLogger(name) for name in names or ("traitlets", "NbGraderAPI", "nbgrader")]
    previous = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(level)
    try:
        yield
    finally:
        for lg, old in zip(loggers, previous):
            lg.setLevel(old)


def quiet_tensorflow() -> None:
    """Set TensorFlow's log variables unless the user set them (call before importing it)."""
    for name, value in QUIET_TENSORFLOW.items():
        os.environ.setdefault(name, value)


def setup(seed: int = 42, *, quiet: bool = True) -> dict:
    """Fix every seed, quiet TensorFlow, and report the mode; call once at the top of a notebook."""
    if quiet:
        quiet_tensorflow()
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        pass
    try:
        import keras

        keras.utils.set_random_seed(seed)
    except ImportError:  # pragma: no cover - keras is a hard dependency
        pass
    mode = "fast" if fast_mode() else "full"
    return {"seed": seed, "mode": mode}


def versions(packages=("python", "tensorflow", "keras", "numpy", "gensim", "nbgrader",
                       "matplotlib")) -> dict:
    """Installed versions of the packages the course relies on ("missing" if absent)."""
    import platform

    found = {}
    for name in packages:
        if name == "python":
            found[name] = platform.python_version()
            continue
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            alt = {"tensorflow": "tensorflow-cpu"}.get(name)
            try:
                found[name] = metadata.version(alt) if alt else "missing"
            except metadata.PackageNotFoundError:
                found[name] = "missing"
    return found
