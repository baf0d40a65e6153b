"""Unit 1's lecture helpers: the share of tokens that collide under hashing."""

from __future__ import annotations

import numpy as np

from rnncourse.tokenization_helpers import collision_share, expected_collision_share


def test_collision_share_counts_tokens_in_shared_buckets():
    assert collision_share([0, 1, 2, 3]) == 0.0
    assert collision_share([5, 5, 1, 2]) == 0.5
    assert collision_share([7, 7, 7]) == 1.0
    assert collision_share([]) == 0.0


def test_expected_collision_share_matches_a_simulation():
    rng = np.random.default_rng(0)
    n, dim = 500, 5000
    simulated = np.mean([collision_share(rng.integers(0, dim, n)) for _ in range(200)])
    assert abs(simulated - expected_collision_share(n, dim)) < 0.01
    assert expected_collision_share(1, 10) == 0.0
