"""Reciprocal space (Toledo-Marin et al. eqs. (14)-(28), derived in the book's appendix A.6-A.8),
checked against exact enumeration."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis import reciprocal as R


def _model(N=7, M=4, scale=0.8, seed=0):
    return rp.BernoulliRBM.random(N, M, weight_scale=scale, bias_scale=0.5, rng=seed)


def test_energy_in_reciprocal_variables_equals_the_energy_for_every_state():
    m = _model()
    rm = R.ReciprocalModes.of(m)
    V = rp.exact.all_states(7)
    Hs = rp.exact.all_states(4)
    v = np.repeat(V, len(Hs), axis=0)
    h = np.tile(Hs, (len(V), 1))
    # identity: orthogonal changes of variable, round-off only (1e-10)
    np.testing.assert_allclose(rm.energy(rm.x(v), rm.y(h)), m.energy(v, h), atol=1e-10)
    # rotated form (19) equals (16) mode by mode
    x, y = rm.x(v), rm.y(h)
    u, w = rm.rotate(x, y)
    np.testing.assert_allclose(rm.energy_uw(u, w), rm.mode_energies(x, y), atol=1e-10)
    xb, yb = rm.unrotate(u, w)
    np.testing.assert_allclose(xb, x[:, :4], atol=1e-12)
    np.testing.assert_allclose(yb, y[:, :4], atol=1e-12)


def test_saddle_point_gradient_hessian_and_energy():
    rm = R.ReciprocalModes.of(_model())
    xs, ys, eps = rm.saddle_points()
    # ∂E_α/∂x = −(σy + ã), ∂E_α/∂y = −(σx + b̃) vanish at the saddle
    np.testing.assert_allclose(rm.sigma * ys + rm.a_t[:4], 0, atol=1e-12)
    np.testing.assert_allclose(rm.sigma * xs + rm.b_t[:4], 0, atol=1e-12)
    np.testing.assert_allclose(rm.mode_energies(xs, ys), eps, atol=1e-12)
    # the Hessian of E_α is [[0, −σ], [−σ, 0]]: eigenvalues ±σ, by central differences
    h = 1e-4
    for k in range(4):
        def E(x, y):
            xx, yy = xs.copy(), ys.copy()
            xx[k], yy[k] = x, y
            return rm.mode_energies(xx, yy)[k]
        exy = (E(xs[k] + h, ys[k] + h) - E(xs[k] + h, ys[k] - h) - E(xs[k] - h, ys[k] + h)
               + E(xs[k] - h, ys[k] - h)) / (4 * h * h)
        assert exy == pytest.approx(-rm.sigma[k], abs=1e-6)


def test_high_temperature_moments_are_exact_under_the_uniform_measure():
    rm = R.ReciprocalModes.of(_model(N=8, M=5))
    V = rp.exact.all_states(8)
    x = rm.x(V)
    mx, _ = rm.high_temperature_means()
    np.testing.assert_allclose(x.mean(0), mx, atol=1e-12)
    np.testing.assert_allclose(np.cov(x.T, bias=True), np.eye(8) / 4, atol=1e-12)
    # kurtosis 3 − 2Σ U⁴ exactly (fourth cumulant of a bit: −1/8)
    from scipy import stats
    np.testing.assert_allclose(stats.kurtosis(x, axis=0, fisher=False),
                               R.reciprocal_kurtosis(rm.U), atol=1e-10)


@pytest.mark.parametrize("N,M", [(6, 4), (4, 6), (5, 5)])
def test_relaxed_partition_at_zero_couplings_and_its_two_forms(N, M):
    g = np.random.default_rng(1)
    a, b = g.normal(0, 0.3, N), g.normal(0, 0.3, M)
    m = rp.BernoulliRBM(np.zeros((N, M)), a, b)
    r = R.relaxed_log_partition(m)
    # W = 0: each bit replaced by N(½, ¼): ln E e^{a v} = a/2 + a²/8 per unit
    want = (N + M) * np.log(2) + np.sum(a / 2 + a**2 / 8) + np.sum(b / 2 + b**2 / 8)
    assert r.log_z == pytest.approx(want, abs=1e-12)
    # with couplings: the general 2-d Gaussian integral equals the saddle/rotated form
    m = rp.BernoulliRBM(g.normal(0, 0.4, (N, M)), a, b)
    r = R.relaxed_log_partition(m, beta=0.7)
    rm = R.ReciprocalModes.of(m)
    mu, mw = rm.constraint_minima()
    _, _, eps = rm.saddle_points()
    assert len(r.paired) == len(rm.sigma) == min(N, M)
    c = 0.7 * rm.sigma
    lu = -0.5 * np.log(1 - c / 4) + 0.5 * c * mu**2 / (1 - c / 4)
    lw = -0.5 * np.log(1 + c / 4) - 0.5 * c * mw**2 / (1 + c / 4)
    np.testing.assert_allclose(r.paired, -0.7 * eps + lu + lw, atol=1e-10)


def test_relaxation_error_is_fourth_order_and_diverges_at_sigma_4():
    g = np.random.default_rng(3)
    # zero biases: with biases the W = 0 error (ln cosh(a/2) vs a²/8, O(a⁴)) and mixed a²W²
    # terms mask the pure W⁴ law
    W0, a, b = g.normal(size=(8, 6)), np.zeros(8), np.zeros(6)
    errs = []
    scales = np.array([0.02, 0.04])
    for s in scales:
        m = rp.BernoulliRBM(s * W0, a, b)
        errs.append(abs(R.relaxed_log_partition(m).log_z - rp.exact.log_partition(m)))
    slope = np.log(errs[1] / errs[0]) / np.log(2)
    assert slope == pytest.approx(4, abs=0.3)
    m = rp.BernoulliRBM(W0 * 4.5 / np.linalg.svd(W0, compute_uv=False)[0], a, b)
    r = R.relaxed_log_partition(m)
    assert r.n_diverging == 1 and np.isinf(r.log_z)


def test_bad_input():
    with pytest.raises(TypeError, match="binary RBM"):
        R.ReciprocalModes.of(np.zeros((3, 3)))
    with pytest.raises(TypeError, match="0,1"):
        R.ReciprocalModes.of(rp.GaussianRBM(np.zeros((3, 2)), 1.0))
    with pytest.raises(ValueError, match="beta"):
        R.relaxed_log_partition(_model(), beta=0)


def test_spin_models_are_mapped_to_their_bernoulli_form():
    s = rp.SpinRBM.random(5, 3, weight_scale=0.3, rng=2)
    rm = R.ReciprocalModes.of(s)
    np.testing.assert_allclose(rm.sigma, np.linalg.svd(4 * s.W, compute_uv=False), rtol=1e-12)
