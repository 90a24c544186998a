"""Pattern weights, Mattis model, Hopfield couplings (rbmphys.analysis.ising)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rbmphys.analysis import ising


def test_pattern_weights_statistics():
    # RAPID eq. (5): <W²> = 1, <W⁴> = 3 − 2/K over random patterns; 400 000 entries,
    # tolerance 5 standard errors of each moment
    K = 4
    g = np.random.default_rng(0)
    xv, xh = ising.random_patterns(K, 800, rng=g), ising.random_patterns(K, 500, rng=g)
    W = ising.pattern_weights(xv, xh).ravel()
    assert np.mean(W**2) == pytest.approx(1.0, abs=5 * np.std(W**2) / np.sqrt(W.size))
    assert np.mean(W**4) == pytest.approx(3 - 2 / K, abs=5 * np.std(W**4) / np.sqrt(W.size))


def test_mattis_weights_are_rank_one_and_unfrustrated():
    m, xv, xh = ising.mattis_model(7, 4, rng=1)
    np.testing.assert_array_equal(m.W, np.outer(xv[0], xh[0]))
    # E(ξ) = −Σ|W| = −V·H: every coupling satisfied
    assert m.energy(xv, xh)[0] == -28.0


def test_hopfield_couplings_agree():
    g = np.random.default_rng(2)
    xv, xh = ising.random_patterns(3, 6, rng=g), ising.random_patterns(3, 9, rng=g)
    W = ising.pattern_weights(xv, xh)
    # (E1) = (E2): an identity, round-off only
    np.testing.assert_allclose(ising.hopfield_couplings(W),
                               ising.hopfield_couplings_from_patterns(xv, xh), atol=1e-12)


def test_hopfield_log_p_is_normalised():
    s = np.array(list(itertools.product([-1.0, 1.0], repeat=5)))
    J = np.random.default_rng(3).normal(size=(5, 5))
    lp = ising.hopfield_log_p(J + J.T, s)
    assert np.exp(lp).sum() == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError, match="all 2\\*\\*V"):
        ising.hopfield_log_p(J, s[:5])
    with pytest.raises(ValueError, match="same number of patterns"):
        ising.pattern_weights(np.ones((2, 3)), np.ones((3, 3)))
