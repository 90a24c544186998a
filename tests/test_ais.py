"""AIS and reverse AIS against the exact ln Z of enumerable models."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.kernels import reference_anneal as RA
from rbmphys.kernels._anneal import ais_hidden
from rbmphys.samplers.ais import default_betas, ll_bracket


def exact_samples(m, n, seed):
    states, p = rp.exact.visible_distribution(m)
    return states[np.random.default_rng(seed).choice(len(p), n, p=p)]


@pytest.mark.parametrize("cls,scale,use_data", [(rp.BernoulliRBM, 1.0, False),
                                                (rp.BernoulliRBM, 0.5, True),
                                                (rp.SpinRBM, 0.3, False)])
def test_ais_and_reverse_ais_bracket_exact_log_z(cls, scale, use_data):
    m = cls.random(12, 16, weight_scale=scale, bias_scale=0.3, rng=0)
    exact = rp.exact.log_partition(m)
    data = exact_samples(m, 500, 1)
    fwd = rp.ais(m, n_chains=200, n_betas=3000, rng=2, data=data if use_data else None)
    rev = rp.reverse_ais(m, data, n_betas=3000, rng=3)
    # Monte Carlo: each estimate within 3 of its standard errors (+1e-3 for the SE's own error)
    for r in (fwd, rev):
        assert abs(r.log_z - exact) < 3 * r.stderr + 1e-3
        assert r.stderr < 0.1
    assert fwd.log_z <= exact + 3 * fwd.stderr and rev.log_z >= exact - 3 * rev.stderr - 1e-3
    lo, hi = ll_bracket(m, data, fwd, rev)
    true_ll = rp.exact.log_likelihood(m, data)
    assert lo - 3 * rev.stderr - 1e-3 <= true_ll <= hi + 3 * fwd.stderr


def test_zero_weights_give_the_exact_answer():
    m = rp.BernoulliRBM(np.zeros((6, 5)), a=np.linspace(-1, 1, 6), b=np.linspace(0, 2, 5))
    r = rp.ais(m, n_chains=10, n_betas=50, rng=0)
    # every weight is identical: the estimate is exact up to round-off
    assert r.log_z == pytest.approx(rp.exact.log_partition(m), abs=1e-10)
    assert r.stderr < 1e-12


def test_kernel_matches_numpy_twin():
    rng = np.random.default_rng(0)
    pre = rng.normal(0, 20, (13, 600))          # large fields: more than one 256-block
    b = rng.normal(0, 1, 600)
    logw = np.zeros(13)
    h = np.empty_like(pre)
    ais_hidden(pre, b, 0.3, 0.31, 99, h, logw)
    dlogw, h_ref = RA.ais_hidden(pre, b, 0.3, 0.31, 99)
    np.testing.assert_array_equal(h, h_ref)
    np.testing.assert_allclose(logw, dlogw, rtol=1e-12, atol=1e-9)   # product vs sum of logs


def test_schedule_and_validation():
    b = default_betas(1000)
    assert len(b) == 1000 and b[0] == 0 and b[-1] == 1 and np.all(np.diff(b) > 0)
    m = rp.BernoulliRBM.random(5, 4, rng=0)
    with pytest.raises(ValueError, match="strictly from 0 to 1"):
        rp.ais(m, betas=[0, 0.5, 0.4, 1])
    with pytest.raises(ValueError, match="n_chains"):
        rp.ais(m, n_chains=1)
    with pytest.raises(ValueError, match="only 0 and 1"):
        rp.reverse_ais(m, -np.ones((3, 5)))
    r1 = rp.ais(m, n_chains=5, n_betas=20, rng=4)
    r2 = rp.ais(m, n_chains=5, n_betas=20, rng=4)
    np.testing.assert_array_equal(r1.log_weights, r2.log_weights)
