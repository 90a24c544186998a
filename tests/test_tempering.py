"""Parallel tempering mixes a bimodal model that plain block Gibbs cannot.

Tolerances: distributions by χ² against the exact p(v), seeds Fisher-combined, pass if
p > 0.01; occupation fractions within 4 binomial standard errors; acceptance rates against
their exact equilibrium values within 0.02 (about 5 standard errors of ~50 000 correlated
proposals).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis import chi2_test, fisher_combine, integrated_autocorr_time
from rbmphys.samplers.tempering import geometric_betas

BETAS = np.geomspace(0.05, 1, 10)


def bimodal():
    """Mattis model, ±1 units, V=8, H=4: W = 0.6 ξ_v ξ_hᵀ (2.4 ξξᵀ in the {0,1} gauge),
    ground states ±ξ separated by a barrier of ~19 (in units of 1/β)."""
    g = np.random.default_rng(3)
    xi_v, xi_h = 2.0 * g.integers(0, 2, 8) - 1, 2.0 * g.integers(0, 2, 4) - 1
    return rp.SpinRBM(0.6 * np.outer(xi_v, xi_h)), xi_v


def index(v):
    """Row index of a ±1 state in rp.exact.visible_distribution's order (first unit = MSB)."""
    return (((v + 1) / 2).astype(int) * (1 << np.arange(v.shape[1])[::-1])).sum(1)


def test_state_order_matches_the_oracle():
    m, _ = bimodal()
    states, _ = rp.exact.visible_distribution(m)
    np.testing.assert_array_equal(index(states), np.arange(256))


def test_pt_matches_exact_while_gibbs_is_trapped():
    m, xi = bimodal()
    states, p = rp.exact.visible_distribution(m)
    plus, minus = p[states @ xi > 0].sum(), p[states @ xi < 0].sum()
    # exact: the s -> -s symmetry gives the two modes equal mass, just under 1/2 each
    assert plus == pytest.approx(minus, abs=1e-12) and 0.49 < plus < 0.5
    pvals, frac_pt = [], []
    for seed in (1, 2, 3):
        # independent final states of 1500 PT chains after 200 sweeps
        pt = rp.ParallelTempering(m, BETAS, 1500, rng=seed).run(200)
        pvals.append(chi2_test(np.bincount(index(pt.v), minlength=256), p)[2])
        frac_pt.append(np.mean(pt.v @ xi > 0))
        rates = pt.acceptance_rates
        assert np.all((rates >= 0) & (rates <= 1))
    assert fisher_combine(pvals) > 0.01
    # PT's mode occupation is the exact one within 4 binomial standard errors (4500 chains)
    assert abs(np.mean(frac_pt) - plus) < 4 * np.sqrt(0.25 / 4500)
    # plain Gibbs from +ξ: after 200 sweeps more than 95 % of 1500 chains are still in +ξ,
    # far from the exact 0.497
    v = rp.gibbs(m, np.tile(xi, (1500, 1)), 200, rng=4)
    assert np.mean(v @ xi > 0) > 0.95


def test_thinned_pt_samples_pass_chi2():
    m, xi = bimodal()
    states, p = rp.exact.visible_distribution(m)
    # integrated autocorrelation time of the overlap q = v·ξ/V (the slow, mode-flip
    # observable) at β = 1: PT flips modes within ~10 sweeps.  Block Gibbs essentially never
    # flips: its chains sit in one mode (a trapped chain's centred overlap only jitters, so its
    # τ would look small: count mode flips instead)
    pt = rp.ParallelTempering(m, BETAS, 50, rng=7).run(50)
    q_pt = np.array([pt.run(1).v @ xi / 8 for _ in range(2000)])
    tau_pt = integrated_autocorr_time(q_pt)
    gibbs = rp.ChainState(m, n_chains=50, rng=7).run(50)
    q_gibbs = np.array([gibbs.run(1).v @ xi / 8 for _ in range(2000)])

    def flips(q):                              # mode changes summed over the chains
        total = 0
        for x in q.T:
            s = np.sign(x[np.abs(x) > 0.5])    # only clear mode memberships
            total += int(np.sum(s[1:] != s[:-1]))
        return total
    assert 1 < tau_pt < 20
    # measured 20563 vs 0; the barrier (~19/β) makes a Gibbs flip a e^-19 event per sweep
    assert flips(q_pt) > 1000 and flips(q_gibbs) < 5
    # the convenience function: 300 chains, burn-in 100, a snapshot every 3 τ sweeps
    thin = int(np.ceil(3 * tau_pt))
    pvals = []
    for seed in (4, 5, 6):
        s = rp.parallel_tempering(m, 3000, betas=BETAS, n_chains=300, n_sweeps=100, thin=thin,
                                  rng=seed)
        assert s.shape == (3000, 8)
        pvals.append(chi2_test(np.bincount(index(s), minlength=256), p)[2])
    assert fisher_combine(pvals) > 0.01


def test_acceptance_rates_equal_their_equilibrium_values():
    # At equilibrium the replicas are independent draws of p_β(v, h), so the rate of pair
    # (r, r+1) is E[min(1, exp((β_r - β_{r+1})(E_r - E_{r+1})))] over p_{β_r} ⊗ p_{β_{r+1}}:
    # computable exactly over the 2^12 joint states.
    m, _ = bimodal()
    betas = np.array([0.2, 0.4, 0.7, 1.0])
    s = 2.0 * np.array(list(itertools.product([0, 1], repeat=12))) - 1
    E = m.energy(s[:, :8], s[:, 8:])
    w = np.exp(-betas[:, None] * (E - E.min()))
    P = w / w.sum(1, keepdims=True)
    exact = []
    dE = E[:, None] - E[None, :]
    for r in range(3):
        acc = np.minimum(1.0, np.exp(np.minimum((betas[r] - betas[r + 1]) * dE, 0.0)))
        exact.append(P[r] @ acc @ P[r + 1])
    pt = rp.ParallelTempering(m, betas, 1000, rng=8).run(50).reset_acceptance().run(100)
    np.testing.assert_allclose(pt.acceptance_rates, exact, atol=0.02)


def test_reproducible_split_and_validated():
    m, _ = bimodal()
    a = rp.parallel_tempering(m, 300, n_chains=50, n_sweeps=10, thin=2, rng=5)
    b = rp.parallel_tempering(m, 300, n_chains=50, n_sweeps=10, thin=2, rng=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (300, 8)
    # the same seed gives the same chains however the sweeps are split between calls
    p1 = rp.ParallelTempering(m, BETAS, 20, rng=9).run(7)
    p2 = rp.ParallelTempering(m, BETAS, 20, rng=9).run(3).run(4)
    np.testing.assert_array_equal(p1.replica_v, p2.replica_v)
    np.testing.assert_array_equal(p1.acceptance_rates, p2.acceptance_rates)
    # {0,1} units work the same way
    bern = rp.BernoulliRBM.random(6, 3, weight_scale=1.0, rng=0)
    v = rp.ParallelTempering(bern, geometric_betas(4, 0.2), 10, rng=1).run(5).v
    assert set(np.unique(v)) <= {0.0, 1.0}
    with pytest.raises(ValueError, match="end at 1"):
        rp.ParallelTempering(m, [0.1, 0.5], 4)
    with pytest.raises(ValueError, match="n_chains"):
        rp.ParallelTempering(m, [0.5, 1.0], 0)
    with pytest.raises(ValueError, match="v0 must hold"):
        rp.ParallelTempering(m, [0.5, 1.0], 3, v0=np.ones((2, 8)))
    with pytest.raises(ValueError, match="thin"):
        rp.parallel_tempering(m, 10, thin=0)
    with pytest.raises(TypeError, match="needs an RBM model"):
        rp.ParallelTempering(object(), [0.5, 1.0], 3)
