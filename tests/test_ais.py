"""AIS and reverse AIS against the exact ln Z of enumerable models.

Tolerance policy: every Monte Carlo estimate within 3 of its own delta-method standard errors
(plus 1e-3 nats where stated: the standard error is itself estimated from ~200 heavy-tailed
weights and can come out a few times too small); identities at 1e-10.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from scipy.special import logsumexp

import rbmphys as rp
from rbmphys.kernels import reference_anneal as RA
from rbmphys.kernels._anneal import ais_step
from rbmphys.models import gauge_to_bernoulli
from rbmphys.samplers.ais import base_rate_bias, default_betas, ll_bracket


def brute_log_z(m):
    """ln Z = logsumexp_v(-F(v)) over all 2^V visible states (V <= 14), independent of
    rbmphys.exact."""
    bits = np.array(list(itertools.product([0, 1], repeat=m.n_visible)), dtype=np.float64)
    states = bits if m.visible.lo == 0 else 2 * bits - 1
    return float(logsumexp(-m.free_energy(states))), states


def exact_samples(m, n, seed):
    log_z, states = brute_log_z(m)
    p = np.exp(-m.free_energy(states) - log_z)
    return states[np.random.default_rng(seed).choice(len(p), n, p=p / p.sum())]


CASES = [  # (class, V, H, weight scale, base rate from data, model seed, dtype)
    (rp.BernoulliRBM, 12, 16, 1.0, False, 0, np.float64),
    (rp.BernoulliRBM, 12, 16, 0.5, True, 0, np.float64),
    (rp.BernoulliRBM, 8, 20, 0.8, True, 5, np.float64),
    (rp.BernoulliRBM, 10, 6, 1.0, False, 6, np.float64),        # H < V
    (rp.BernoulliRBM, 12, 16, 0.7, True, 7, np.float32),
    (rp.SpinRBM, 12, 16, 0.3, False, 0, np.float64),            # ±1: W_01 = 4 W_spin
    (rp.SpinRBM, 9, 7, 0.25, True, 8, np.float64),
]


@pytest.mark.parametrize("cls,V,H,scale,use_data,seed,dtype", CASES)
def test_ais_and_reverse_ais_bracket_exact_log_z(cls, V, H, scale, use_data, seed, dtype):
    m = cls.random(V, H, weight_scale=scale, bias_scale=0.3, rng=seed, dtype=dtype)
    exact, _ = brute_log_z(m)
    # the two oracles agree (float64 sums; float32 parameters are exact in float64)
    assert rp.exact.log_partition(m) == pytest.approx(exact, abs=1e-10)
    data = exact_samples(m, 400, seed + 1)
    fwd = rp.ais(m, n_chains=200, n_betas=3000, rng=seed + 2, data=data if use_data else None)
    rev = rp.reverse_ais(m, data, n_betas=3000, rng=seed + 3, n_chains=200)
    assert (fwd.direction, rev.direction) == ("forward", "reverse")
    assert fwd.n_chains == rev.n_chains == 200 and fwd.n_betas == 3000
    for r in (fwd, rev):
        assert r.stderr < 0.1
        assert abs(r.log_z - exact) < 3 * r.stderr + 1e-3
    # one-sided forms of the same statement (the biases' directions)
    assert fwd.log_z <= exact + 3 * fwd.stderr + 1e-3
    assert rev.log_z >= exact - 3 * rev.stderr - 1e-3
    lo, hi = ll_bracket(m, data, fwd, rev)
    true_ll = rp.exact.log_likelihood(m, data)
    # the bracket holds within the two estimates' standard errors
    assert lo - 3 * rev.stderr - 1e-3 <= true_ll <= hi + 3 * fwd.stderr + 1e-3
    assert hi - lo < 6 * (fwd.stderr + rev.stderr) + 2e-3


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_bias_direction_of_single_chain_estimates(direction):
    # Jensen: E[ln w] <= ln E[w].  Forward: E[ln w] <= ln(Z/Z_A), so ln Z_A + mean(ln w) lies
    # below ln Z; reverse: E[ln w_rev] <= ln(Z_A/Z), so ln Z_A - mean(ln w_rev) lies above.
    # The gap (a KL divergence between forward and backward paths) is large on a short
    # schedule: require it to exceed 5 standard errors of mean(ln w).
    m = rp.BernoulliRBM.random(10, 12, weight_scale=1.0, bias_scale=0.3, rng=11)
    exact, _ = brute_log_z(m)
    if direction == "forward":
        r = rp.ais(m, n_chains=8000, n_betas=20, rng=12)
        single = r.log_z_base + r.log_weights
    else:
        r = rp.reverse_ais(m, exact_samples(m, 8000, 13), n_betas=20, rng=14)
        single = r.log_z_base - r.log_weights
    sem = single.std(ddof=1) / np.sqrt(len(single))
    gap = exact - single.mean() if direction == "forward" else single.mean() - exact
    assert gap > 5 * sem
    # the n-chain estimate sits between the single-chain average and (within 3 SE) the truth
    if direction == "forward":
        assert single.mean() < r.log_z < exact + 3 * r.stderr
    else:
        assert exact - 3 * r.stderr < r.log_z < single.mean()


def test_zero_weights_give_the_exact_answer():
    # every chain carries the same weight sum_j softplus(b_j) - H ln 2: exact up to round-off
    m = rp.BernoulliRBM(np.zeros((6, 5)), a=np.linspace(-1, 1, 6), b=np.linspace(0, 2, 5))
    r = rp.ais(m, n_chains=10, n_betas=50, rng=0)
    assert r.log_z == pytest.approx(rp.exact.log_partition(m), abs=1e-10)
    assert r.stderr < 1e-12
    # ±1 units: ln Z = sum ln 2cosh(a) + sum ln 2cosh(b) in closed form
    s = rp.SpinRBM(np.zeros((6, 5)), a=np.linspace(-1, 1, 6), b=np.linspace(0, 2, 5))
    closed = np.log(2 * np.cosh(s.a)).sum() + np.log(2 * np.cosh(s.b)).sum()
    assert rp.ais(s, n_chains=10, n_betas=50, rng=0).log_z == pytest.approx(closed, abs=1e-10)
    # reverse, with the model's own visible bias as base (the default would take the data's)
    rv = rp.reverse_ais(s, np.ones((4, 6)), n_betas=50, rng=1, base=gauge_to_bernoulli(s)[0].a)
    assert rv.log_z == pytest.approx(closed, abs=1e-10) and rv.stderr < 1e-12


def test_spin_model_is_annealed_in_its_bernoulli_gauge():
    # same key, same path: ln Z_spin = ln Z_01 - c to round-off (gauge constant of Chapter 1)
    s = rp.SpinRBM.random(7, 5, weight_scale=0.4, bias_scale=0.2, rng=3)
    bern, c = gauge_to_bernoulli(s)
    rs = rp.ais(s, n_chains=20, n_betas=100, rng=9)
    rb = rp.ais(bern, n_chains=20, n_betas=100, rng=9)
    np.testing.assert_allclose(rs.log_weights, rb.log_weights, rtol=0, atol=1e-12)
    assert rs.log_z == pytest.approx(rb.log_z - c, abs=1e-10)
    assert rs.log_z_base == pytest.approx(rb.log_z_base - c, abs=1e-10)


def test_log_likelihood_identity_and_bracket_order():
    m = rp.BernoulliRBM.random(8, 6, weight_scale=0.5, rng=1)
    data = exact_samples(m, 50, 2)
    fwd = rp.ais(m, n_chains=10, n_betas=100, rng=3)
    rev = rp.reverse_ais(m, data, n_betas=100, rng=4)
    exact = rp.exact.log_partition(m)
    # with the exact ln Z inserted, the result's log-likelihood is the exact one (identity)
    assert dataclasses.replace(fwd, log_z=exact).log_likelihood(data) == pytest.approx(
        rp.exact.log_likelihood(m, data), abs=1e-10)
    assert fwd.log_likelihood(m, data) == fwd.log_likelihood(data)       # old argument order
    lo, hi = ll_bracket(m, data, fwd, rev)
    assert lo == rev.log_likelihood(data) and hi == fwd.log_likelihood(data)
    with pytest.raises(ValueError, match="forward AIS result, reverse"):
        ll_bracket(m, data, rev, fwd)
    assert 1.0 <= fwd.effective_sample_size <= fwd.n_chains


def test_base_rate_is_the_logit_of_the_smoothed_marginal():
    data = np.array([[1, 0, 1], [1, 0, 0], [1, 1, 0]])
    p = (data.sum(0) + 1) / (3 + 2)
    np.testing.assert_allclose(base_rate_bias(data), np.log(p / (1 - p)), atol=1e-12)
    assert base_rate_bias(np.ones((10**6, 2)))[0] == pytest.approx(np.log(999.0), abs=1e-9)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kernel_matches_numpy_twin(dtype):
    rng = np.random.default_rng(0)
    pre = rng.normal(0, 20, (13, 600)).astype(dtype)   # large fields; H > 256: several blocks
    b = rng.normal(0, 1, 600).astype(dtype)
    v = (rng.random((13, 37)) < 0.5).astype(dtype)     # V not a multiple of 8
    da = rng.normal(0, 1, 37)
    logw = np.zeros(13)
    h = np.empty_like(pre)
    ais_step(pre, b, v, da, 0.3, 0.31, 99, h, logw)
    dlogw, h_ref = RA.ais_step(pre, b, v, da, 0.3, 0.31, 99)
    np.testing.assert_array_equal(h, h_ref)
    # product-of-ratios vs sum of logaddexp: the kernel's exponentials have relative error
    # < 1e-11 (exp64s), so each of the 600 log-ratios may be off by 2e-11: |Δ| < 1.2e-8
    np.testing.assert_allclose(logw, dlogw, rtol=0, atol=1.2e-8)


def test_kernel_hidden_sample_has_the_logistic_law():
    # p(h=1) = sigma(beta1 x), both signs of x (the two branches of the kernel's threshold)
    x = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
    n = 40000
    pre = np.tile(x, (n, 1))
    h = np.empty_like(pre)
    ais_step(pre, np.zeros(5), np.zeros((n, 1)), np.zeros(1), 0.2, 0.9, 5, h, np.zeros(n))
    p = 1 / (1 + np.exp(-0.9 * x))
    # binomial: 5 standard errors
    assert np.all(np.abs(h.mean(0) - p) < 5 * np.sqrt(p * (1 - p) / n))


def test_schedule_validation_and_reproducibility():
    b = default_betas(1000)
    assert len(b) == 1000 and b[0] == 0 and b[-1] == 1 and np.all(np.diff(b) > 0)
    b = default_betas(14500)     # the original schedule, point for point
    assert ((b < 0.5).sum(), ((b >= 0.5) & (b < 0.9)).sum(), (b >= 0.9).sum()) == (500, 4000,
                                                                                   10000)
    m = rp.BernoulliRBM.random(5, 4, rng=0)
    with pytest.raises(ValueError, match="strictly from 0 to 1"):
        rp.ais(m, betas=[0, 0.5, 0.4, 1])
    with pytest.raises(ValueError, match="n_chains"):
        rp.ais(m, n_chains=1)
    with pytest.raises(ValueError, match="n_betas"):
        rp.ais(m, n_betas=2)
    with pytest.raises(ValueError, match="only 0 and 1"):
        rp.reverse_ais(m, -np.ones((3, 5)))
    with pytest.raises(ValueError, match="exceeds"):
        rp.reverse_ais(m, np.ones((3, 5)), n_chains=4)
    with pytest.raises(ValueError, match="base visible bias"):
        rp.ais(m, base=np.zeros(3))
    with pytest.raises(TypeError, match="needs an RBM model"):
        rp.ais("not a model")
    r1 = rp.ais(m, n_chains=5, n_betas=20, rng=4)
    r2 = rp.ais(m, n_chains=5, n_betas=20, rng=4)
    np.testing.assert_array_equal(r1.log_weights, r2.log_weights)
    # a custom schedule equal to the default gives the same run
    r3 = rp.ais(m, n_chains=5, betas=default_betas(20), rng=4)
    np.testing.assert_array_equal(r1.log_weights, r3.log_weights)
