"""Block Gibbs sampling: reproducibility, NumPy-twin equality, and stationarity (χ² vs exact p(v))."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

import rbmphys as rp
from rbmphys.kernels import reference as R
from rbmphys.kernels._rng import derive_key

SEED = 424242


def exact_p_visible(model):
    s = np.array(list(itertools.product([0.0, 1.0], repeat=model.n_visible)))
    if model.visible.lo < 0:
        s = 2 * s - 1
    logw = -model.free_energy(s)
    return s, np.exp(logw - np.logaddexp.reduce(logw))


def state_index(v, units):
    bits = v if units == "bernoulli" else (v + 1) / 2
    return (bits.astype(np.int64) * (1 << np.arange(v.shape[1])[::-1])).sum(axis=1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_same_seed_same_chains_any_split(dtype):
    m = rp.BernoulliRBM.random(7, 5, weight_scale=1.0, bias_scale=0.5, rng=1, dtype=dtype)
    a = rp.ChainState(m, n_chains=9, rng=SEED).run(6)
    b = rp.ChainState(m, n_chains=9, rng=SEED).run(2).run(4)
    np.testing.assert_array_equal(a.v, b.v)
    np.testing.assert_array_equal(a.h, b.h)
    assert a.v.dtype == dtype
    c = rp.ChainState(m, n_chains=9, rng=SEED + 1).run(6)
    assert not np.array_equal(a.v, c.v)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_sweep_equals_the_numpy_twin(cls, dtype):
    m = cls.random(6, 4, weight_scale=1.0, bias_scale=1.0, rng=3, dtype=dtype)
    st = rp.ChainState(m, n_chains=11, rng=SEED, beta=0.7)
    v0 = st.v.copy()
    st.run(1)
    lo = m.visible.lo
    g = 0.7 * m.visible.gain
    h = R.sample_layer(np.dot(v0, m.W), m.b, g, lo, derive_key(st.key, 0, 0))
    v = R.sample_layer(np.dot(h, m.W.T), m.a, g, lo, derive_key(st.key, 0, 1))
    np.testing.assert_array_equal(st.h, h)
    np.testing.assert_array_equal(st.v, v)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
def test_gibbs_samples_follow_exact_p_v(cls):
    """χ² of the visible histogram against exact p(v), 3 seeds combined with Fisher's method.

    Each of 40 000 chains contributes one sample after 40 sweeps; the model's mixing time is a
    few sweeps (weights of scale 0.7), so the samples are independent draws from p(v).
    """
    m = cls.random(5, 3, weight_scale=0.7, bias_scale=0.5, rng=11)
    states, p = exact_p_visible(m)
    pvalues = []
    for seed in (1, 2, 3):
        v = rp.gibbs(m, np.repeat(states[:1], 40_000, 0), n_sweeps=40, rng=seed)
        counts = np.bincount(state_index(v, m.visible.name), minlength=len(p))
        assert (40_000 * p).min() > 5          # χ² validity
        pvalues.append(stats.chisquare(counts, 40_000 * p).pvalue)
    assert stats.combine_pvalues(pvalues, method="fisher").pvalue > 0.01
    # and the test has power: the same samples reject a slightly wrong distribution
    q = p * np.exp(0.1 * np.arange(len(p)) / len(p))
    q /= q.sum()
    assert stats.chisquare(counts, 40_000 * q).pvalue < 1e-3


def test_input_validation():
    m = rp.BernoulliRBM.random(4, 3, rng=0)
    with pytest.raises(ValueError, match="only 0 and 1"):
        rp.gibbs(m, np.full((2, 4), -1.0))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 4\)"):
        rp.gibbs(m, np.zeros((2, 5)))
    with pytest.raises(ValueError, match="n_sweeps"):
        rp.ChainState(m, n_chains=2, rng=0).run(-1)
    with pytest.raises(ValueError, match="beta"):
        rp.ChainState(m, n_chains=2, rng=0, beta=-1.0)
    with pytest.raises(ValueError, match="either v0 .* or n_chains"):
        rp.ChainState(m)
