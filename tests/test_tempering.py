"""Parallel tempering mixes a bimodal model that plain block Gibbs cannot."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis import chi2_test, fisher_combine, ising


def bimodal():
    m, xv, xh = ising.mattis_model(8, 4, rng=3)
    return rp.SpinRBM(0.6 * m.W), xv[0]


def index(v):
    return (((v + 1) / 2).astype(int) * (1 << np.arange(v.shape[1])[::-1])).sum(1)


def test_pt_matches_exact_while_gibbs_is_trapped():
    m, xi = bimodal()
    states, p = rp.exact.visible_distribution(m)
    pvals = []
    for seed in (1, 2, 3):
        pt = rp.ParallelTempering(m, np.geomspace(0.05, 1, 10), 1500, rng=seed).run(200)
        pvals.append(chi2_test(np.bincount(index(pt.v), minlength=256), p)[2])
        rates = pt.acceptance_rates
        assert np.all((rates >= 0) & (rates <= 1))
    # χ² of 1500 independent PT chains per seed, Fisher-combined: p > 0.01
    assert fisher_combine(pvals) > 0.01
    v = rp.gibbs(m, np.tile(xi, (1500, 1)), 200, rng=4)
    # by the s -> -s symmetry the two modes carry equal mass (just under 1/2 each: states with
    # zero overlap belong to neither); Gibbs from +ξ keeps more than 95 % of chains in +ξ
    plus, minus = p[states @ xi > 0].sum(), p[states @ xi < 0].sum()
    assert plus == pytest.approx(minus, abs=1e-12) and plus > 0.49
    assert ((v @ xi) > 0).mean() > 0.95


def test_reproducible_and_validated():
    m, _ = bimodal()
    a = rp.parallel_tempering(m, 300, n_chains=50, burn_in=10, thin=2, rng=5)
    b = rp.parallel_tempering(m, 300, n_chains=50, burn_in=10, thin=2, rng=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (300, 8)
    with pytest.raises(ValueError, match="end at 1"):
        rp.ParallelTempering(m, [0.1, 0.5], 4)
    with pytest.raises(ValueError, match="n_chains"):
        rp.ParallelTempering(m, [0.5, 1.0], 0)
