"""Unit 2's assignment accepts correct answers written with other libraries than NumPy."""

from __future__ import annotations

import pytest
from assignment_runner import run_until_test

UNIT = "02-embeddings"
SCIPY_COSINE = (
    "from scipy.spatial import distance\n\n\n"
    "def cosine_similarity(u, v):\n"
    "    return float(1 - distance.cosine(u, v))\n"
)


@pytest.mark.slow
def test_scipy_cosine_is_not_taken_for_a_gensim_query():
    """scipy's distance.cosine is not gensim's KeyedVectors.distance: the whole test passes."""
    run_until_test(UNIT, {"cosine_similarity": SCIPY_COSINE}, "test_cosine_similarity", public=False)


@pytest.mark.slow
def test_a_gensim_query_is_caught_by_the_public_test():
    gensim = "def cosine_similarity(u, v):\n    return float(vectors.cosine_similarities(u, [v])[0])\n"
    with pytest.raises(AssertionError, match="calls a gensim query method"):
        run_until_test(UNIT, {"cosine_similarity": gensim}, "test_cosine_similarity")
