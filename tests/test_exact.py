"""The exact oracle against an independent brute force over all joint states."""

from __future__ import annotations

import itertools

import numba
import numpy as np
import pytest

import rbmphys as rp
from rbmphys import exact

SEED = 7


def brute_log_z(m):
    vals = list(m.visible.values)
    vs = np.array(list(itertools.product(vals, repeat=m.n_visible)))
    hs = np.array(list(itertools.product(vals, repeat=m.n_hidden)))
    lw = vs @ m.W.astype(float) @ hs.T + (vs @ m.a)[:, None] + (hs @ m.b)[None, :]
    return float(np.logaddexp.reduce(lw.ravel())), vs, hs, lw


CASES = [(cls, V, H, s) for cls in (rp.BernoulliRBM, rp.SpinRBM)
         for V, H in ((3, 5), (7, 4), (6, 6), (1, 9), (10, 2)) for s in (0.5, 10.0)]


@pytest.mark.parametrize("cls,V,H,scale", CASES)
def test_log_partition_equals_brute_force(cls, V, H, scale):
    m = cls.random(V, H, weight_scale=scale, bias_scale=scale, rng=SEED)
    want = brute_log_z(m)[0]
    # exact sums: 1e-10 relative (round-off of at most 2^16 terms, far below)
    assert exact.log_partition(m) == pytest.approx(want, rel=1e-10)
    assert exact.log_partition_numpy(m) == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("V,H", [(11, 11), (20, 2), (4, 18), (16, 6)])
def test_kernel_matches_numpy_twin_up_to_22_units(V, H):
    for cls in (rp.BernoulliRBM, rp.SpinRBM):
        m = cls.random(V, H, weight_scale=2.0, bias_scale=1.0, rng=V * H)
        # independent summation orders: relative 1e-9 (issue's acceptance tolerance)
        assert exact.log_partition(m) == pytest.approx(exact.log_partition_numpy(m), rel=1e-9)


def test_large_hidden_layer_and_thread_invariance():
    m = rp.BernoulliRBM.random(16, 1000, weight_scale=0.3, rng=1)
    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = exact.log_partition(m)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = exact.log_partition(m)
    finally:
        numba.set_num_threads(n0)
    assert one == many                                   # fixed combination order: bitwise
    assert one == pytest.approx(exact.log_partition_numpy(m), rel=1e-12)


def test_gauge_invariance_of_log_z():
    s = rp.SpinRBM.random(5, 7, weight_scale=1.0, bias_scale=1.0, rng=2)
    b, c = rp.gauge_to_bernoulli(s)
    assert exact.log_partition(s) == pytest.approx(exact.log_partition(b) - c, rel=1e-13)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
def test_probabilities_and_expectations(cls):
    m = cls.random(5, 4, weight_scale=1.0, bias_scale=0.5, rng=3)
    log_z, vs, hs, lw = brute_log_z(m)
    P = np.exp(lw - log_z)
    states, p = exact.visible_distribution(m)
    np.testing.assert_array_equal(states, vs)
    np.testing.assert_allclose(p, P.sum(1), rtol=1e-12)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    e = exact.expectations(m)
    np.testing.assert_allclose(e["vh"], vs.T @ P @ hs, atol=1e-12)
    np.testing.assert_allclose(e["v"], P.sum(1) @ vs, atol=1e-12)
    np.testing.assert_allclose(e["h"], P.sum(0) @ hs, atol=1e-12)
    # the other enumeration branch (hidden smaller) gives the same
    t = cls(m.W.T.copy(), m.b.copy(), m.a.copy())
    e2 = exact.expectations(t)
    np.testing.assert_allclose(e2["vh"], e["vh"].T, atol=1e-12)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
@pytest.mark.parametrize("V,H", [(5, 3), (3, 6)])
def test_gradient_equals_finite_differences(cls, V, H):
    m = cls.random(V, H, weight_scale=0.7, bias_scale=0.3, rng=4)
    data = rp.gibbs(m, np.ones((12, V)) * (1.0 if cls is rp.BernoulliRBM else -1.0), 3, rng=0)
    g = exact.gradient(m, data)
    W0 = m.W.copy()
    for name in ("W", "a", "b"):
        fd = exact.finite_difference_gradient(m, data, name, h=1e-5)
        np.testing.assert_array_equal(m.W, W0)          # every perturbation undone
        # central differences: O(h²) ~ 1e-10 truncation, round-off ~ 1e-16·|LL|/h ~ 1e-10
        np.testing.assert_allclose(g[name], fd, atol=1e-8)


def test_central_differences_are_second_order_and_restore_x():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    x0 = x.copy()
    fd = exact.central_differences(lambda: float(np.sum(np.sin(x))), x, h=1e-5)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_allclose(fd, np.cos(x0), atol=1e-9)       # h²/6 ~ 2e-11, round-off 1e-11
    # O(h²): halving h divides the truncation error by 4 (a step large enough to see it)
    e1 = np.abs(exact.central_differences(lambda: float(np.sum(np.sin(x))), x, h=1e-2)
                - np.cos(x0)).max()
    e2 = np.abs(exact.central_differences(lambda: float(np.sum(np.sin(x))), x, h=5e-3)
                - np.cos(x0)).max()
    assert 3.9 < e1 / e2 < 4.1
    with pytest.raises(TypeError):
        exact.central_differences(lambda: 0.0, 1.0)


def test_kl_divergence():
    m = rp.BernoulliRBM.random(4, 3, weight_scale=1.0, rng=5)
    states, p = exact.visible_distribution(m)
    assert exact.kl_divergence((states, p), m) == pytest.approx(0.0, abs=1e-12)
    data = rp.datasets.bars(2)
    kl = exact.kl_divergence(np.vstack([data, data[:1]]), rp.BernoulliRBM.random(4, 3, rng=6))
    assert kl > 0.1
    q = np.zeros(16)
    q[[0, 5]] = [0.25, 0.75]
    want = 0.25 * np.log(0.25 / p[0]) + 0.75 * np.log(0.75 / p[5])
    assert exact.kl_divergence((states, q), m) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("V,H", [(6, 5), (16, 3), (3, 12)])
def test_mattis_ground_states(V, H):
    from rbmphys.analysis import ising
    m, xv, xh = ising.mattis_model(V, H, rng=V)
    gs = exact.ground_states(m)
    assert gs.energy == -V * H
    found = {tuple(np.r_[v, h]) for v, h in zip(gs.v, gs.h)}
    assert found == {tuple(np.r_[xv[0], xh[0]]), tuple(-np.r_[xv[0], xh[0]])}


def test_ground_states_brute_force_and_degeneracy():
    m = rp.BernoulliRBM.random(5, 4, weight_scale=1.0, bias_scale=1.0, rng=8)
    log_z, vs, hs, lw = brute_log_z(m)
    gs = exact.ground_states(m)
    assert gs.energy == pytest.approx(-lw.max(), abs=1e-12)
    i, j = np.unravel_index(np.argmax(lw), lw.shape)
    np.testing.assert_array_equal(gs.v[0], vs[i])
    zero = rp.SpinRBM(np.zeros((2, 3)))                   # every state is a ground state
    assert len(exact.ground_states(zero)) == 32
    with pytest.raises(ValueError, match="degenerate ground states"):
        exact.ground_states(rp.SpinRBM(np.zeros((4, 9))), max_states=100)


def test_errors():
    big = rp.BernoulliRBM.random(30, 40, rng=0)
    with pytest.raises(ValueError, match="too many to enumerate.*rbmphys.ais"):
        exact.log_partition(big)
    m = rp.BernoulliRBM.random(4, 3, rng=0)
    with pytest.raises(ValueError, match="only 0 and 1"):
        exact.log_likelihood(m, -np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 4\)"):
        exact.log_likelihood(m, np.ones((2, 5)))
    with pytest.raises(TypeError, match="needs an RBM model"):
        exact.log_partition("model")
    with pytest.raises(ValueError, match="limit 20"):
        exact.visible_distribution(rp.BernoulliRBM.random(21, 2, rng=0))
    with pytest.raises(ValueError, match="sum to 1"):
        exact.kl_divergence((exact.all_states(4), np.ones(16)), m)


def _chunked_joint_brute_force(m):
    """ln Z over all 2^(V+H) joint states, in chunks of visible states (no analytic sums)."""
    vals = list(m.visible.values)
    hs = np.array(list(itertools.product(vals, repeat=m.n_hidden)))
    vs = np.array(list(itertools.product(vals, repeat=m.n_visible)))
    parts = []
    for i in range(0, len(vs), 2048):
        v = vs[i:i + 2048]
        lw = v @ m.W @ hs.T + (v @ m.a)[:, None] + (hs @ m.b)[None, :]
        parts.append(np.logaddexp.reduce(lw, axis=None))
    return float(np.logaddexp.reduce(parts))


@pytest.mark.parametrize("cls,V,H", [(rp.BernoulliRBM, 11, 11), (rp.SpinRBM, 12, 10),
                                     (rp.BernoulliRBM, 20, 2), (rp.SpinRBM, 3, 19)])
def test_brute_force_up_to_22_units_with_weights_of_scale_10(cls, V, H):
    m = cls.random(V, H, weight_scale=10.0, bias_scale=1.0, rng=V + H)
    # 4 million joint states summed without any analytic step: relative 1e-9 (issue 3)
    assert exact.log_partition(m) == pytest.approx(_chunked_joint_brute_force(m), rel=1e-9)
