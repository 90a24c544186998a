"""Tests for mutants that survived the second round of mutation runs (``benchmarks/mutation/
run.py``, sessions accumulated over seeds): each test pins down the behaviour the mutant
changed, by a boundary value, a closed form or an exact enumeration."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp


# ------------------------------------------------------------------ models/_patterns.py
def test_pattern_weights_many_patterns_equal_rows():
    # `xv.shape[0] != xh.shape[0]` -> `is not`: two equal ints >= 257 are distinct objects in
    # CPython, so K = 300 equal pattern counts were refused.  Eq. (5) against an explicit sum
    # over the K patterns (exact in float64 up to summation order: rel 1e-12).
    from rbmphys.models import pattern_weights
    rs = np.random.default_rng(7)
    K, V, H = 300, 3, 2
    xv = rs.choice([-1.0, 1.0], size=(K, V))
    xh = rs.choice([-1.0, 1.0], size=(K, H))
    want = sum(np.outer(xv[k], xh[k]) for k in range(K)) / np.sqrt(K)
    np.testing.assert_allclose(pattern_weights(xv, xh), want, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="same number of patterns"):
        pattern_weights(xv, xh[:-1])


def test_random_pattern_pair_accepts_one_hidden_unit():
    # `check_int(n_hidden, "n_hidden", 1)` -> minimum 2 refused H = 1 (the Mattis/Hopfield
    # case with a single hidden unit); 0 must still be refused
    from rbmphys.models import random_pattern_pair
    xv, xh = random_pattern_pair(2, 3, 1, rng=5)
    assert xv.shape == (2, 3) and xh.shape == (2, 1)
    assert set(np.unique(np.concatenate([xv.ravel(), xh.ravel()]))) <= {-1.0, 1.0}
    with pytest.raises(ValueError, match="n_hidden"):
        random_pattern_pair(2, 3, 0, rng=5)
