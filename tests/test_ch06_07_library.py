"""Edge cases and conventions of the Chapter 6-7 library code that the ledger does not reach:
sign conventions, guards, values outside a support, result fields, the numba kernel's thinning
and centre (found by mutation testing: mutants of these lines survived the claims)."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis import random_matrix as RM
from rbmphys.analysis import reciprocal as R


def _model(N=6, M=4, seed=3):
    return rp.BernoulliRBM.random(N, M, weight_scale=0.9, bias_scale=0.6, rng=seed)


# --------------------------------------------------------------------------- reciprocal
def test_sign_convention_makes_the_high_temperature_means_non_negative():
    # the documented convention of ReciprocalModes.of: every paired U column sums to ≥ 0,
    # and U, V stay orthogonal with W = U Σ Vᵀ (the sign flip acts on both)
    for seed in range(6):
        m = _model(seed=seed)
        rm = R.ReciprocalModes.of(m)
        K = rm.n_modes
        assert np.all(rm.high_temperature_means()[0][:K] >= 0)
        np.testing.assert_allclose(rm.U[:, :K] * rm.sigma @ rm.V[:, :K].T, m.W, atol=1e-12)
        np.testing.assert_allclose(rm.U.T @ rm.U, np.eye(6), atol=1e-12)
        np.testing.assert_allclose(rm.a_t, rm.U.T @ m.a, atol=1e-12)
        np.testing.assert_allclose(rm.b_t, rm.V.T @ m.b, atol=1e-12)
        assert (rm.n_visible, rm.n_hidden, K) == (6, 4, 4)


def test_relaxed_partition_fields_add_up_and_mark_diverging_modes():
    m = _model()
    r = R.relaxed_log_partition(m, beta=0.7)
    assert r.log_z == pytest.approx(r.entropy + r.paired.sum() + r.unpaired + r.offset,
                                    abs=1e-12)
    assert r.entropy == pytest.approx(10 * np.log(2.0), abs=1e-15)
    assert r.offset == 0.0 and r.n_diverging == 0
    np.testing.assert_allclose(r.beta_sigma, 0.7 * R.ReciprocalModes.of(m).sigma, rtol=1e-15)
    # two modes beyond βσ = 4: both marked, their terms infinite, the rest finite
    W = np.linalg.svd(np.random.default_rng(0).normal(size=(6, 4)), full_matrices=False)
    big = rp.BernoulliRBM(W[0] @ np.diag([9.0, 8.5, 2.0, 1.0]) @ W[2], m.a, m.b)
    r = R.relaxed_log_partition(big, beta=0.5)
    assert r.n_diverging == 2 and np.isinf(r.log_z)
    assert np.isinf(r.paired[:2]).all() and np.isfinite(r.paired[2:]).all()
    with pytest.raises(ValueError, match="s2"):
        R.relaxed_log_partition(m, s2=0.0)
    # exactly at the threshold βσ s² = 1 the Gaussian integral diverges
    edge = rp.BernoulliRBM(W[0] @ np.diag([4.0, 1.0, 1.0, 1.0]) @ W[2], m.a, m.b)
    assert R.relaxed_log_partition(edge).n_diverging == 1


def test_spin_offset_is_minus_beta_c():
    s = rp.SpinRBM.random(5, 3, weight_scale=0.3, bias_scale=0.4, rng=4)
    c = s.bernoulli_form()[3]
    assert c != 0
    assert R.relaxed_log_partition(s, beta=1.3).offset == pytest.approx(-1.3 * c, rel=1e-14)


def test_saddle_of_a_zero_singular_value_is_not_finite():
    W = np.zeros((3, 2))
    W[0, 0] = 1.0
    rm = R.ReciprocalModes.of(rp.BernoulliRBM(W, np.ones(3), np.ones(2)))
    xs, ys, eps = rm.saddle_points()
    assert np.isfinite(xs[0]) and not np.isfinite(xs[1]) and not np.isfinite(eps[1])
    # the relaxed Z stays finite at σ = 0 (the 2D Gaussian form needs no saddle)
    assert np.isfinite(R.relaxed_log_partition(rp.BernoulliRBM(W, np.ones(3), np.ones(2))).log_z)


def test_reciprocal_kurtosis_normalises_the_columns():
    U = np.linalg.qr(np.random.default_rng(5).normal(size=(7, 7)))[0]
    k = R.reciprocal_kurtosis(U)
    np.testing.assert_allclose(R.reciprocal_kurtosis(U * np.arange(1, 8)), k, atol=1e-13)
    np.testing.assert_allclose(R.reciprocal_kurtosis(np.eye(4)), np.full(4, 1.0), atol=1e-15)


# ------------------------------------------------------------------------ random matrices
def test_marchenko_pastur_outside_its_support():
    mp = RM.marchenko_pastur(300, 100, 0.05)
    lo, hi = mp.lo, mp.hi
    assert mp.a == lo and mp.b == hi and mp.q == pytest.approx(100 * 0.05**2)
    assert float(mp.pdf(0.5 * lo)) == 0.0 and float(mp.pdf(1.5 * hi)) == 0.0
    assert float(mp.cdf(0.5 * lo)) == 0.0 and float(mp.cdf(1.5 * hi)) == 1.0
    assert float(mp.pdf(0.5 * (lo + hi))) > 0
    assert (mp.n, mp.m, mp.sigma_w) == (300, 100, 0.05)
    # one row: still a valid law (edges σ_W|1 ± √M|)
    one = RM.marchenko_pastur(1, 9, 0.5)
    assert (one.lo, one.hi) == pytest.approx((1.0, 2.0))
    col = RM.marchenko_pastur(9, 1, 0.5)                  # one column: the same edges
    assert (col.lo, col.hi, col.q) == pytest.approx((1.0, 2.0, 0.25))
    with pytest.raises((TypeError, ValueError), match="m"):
        RM.marchenko_pastur(5, 0, 1.0)


def test_random_singular_values_shape_and_scale():
    sv = RM.random_singular_values(60, 20, 0.1, n_samples=3, rng=0)
    assert sv.shape == (3, 20) and np.all(np.diff(sv, axis=1) <= 0)
    # Σσ² = ‖W‖_F², expectation NMσ_W² = 12 per sample (relative sd √(2/1200) ≈ 4 %)
    assert np.mean(np.sum(sv**2, axis=1)) == pytest.approx(12.0, rel=0.1)
    assert not np.array_equal(sv[0], sv[1])


# ----------------------------------------------------------------------- Langevin kernel
def test_langevin_thinning_records_every_thin_th_step():
    from rbmphys.kernels._langevin import langevin_run
    z0 = np.random.default_rng(2).normal(size=(5, 2))
    coef = np.array([[0.2, 1.0, 0.0], [-0.1, 2.0, 0.5]])
    c = np.array([0.3, -0.4])
    every = langevin_run(z0, coef, c, 0.01, 12, 1, 99)
    thin = langevin_run(z0, coef, c, 0.01, 12, 4, 99)
    assert thin.shape == (3, 5, 2)
    np.testing.assert_array_equal(thin, every[3::4])
    np.testing.assert_array_equal(z0, np.random.default_rng(2).normal(size=(5, 2)))  # untouched


def test_langevin_without_noise_is_gradient_descent_about_the_centre():
    # drift only: one Euler step is z − Δt Φ'(z − c) exactly; the noise has zero mean and
    # variance 2Δt per step, so averaging many walkers isolates the drift
    from rbmphys.kernels._langevin import langevin_run
    coef = np.array([[0.5, -0.3, 0.2, 0.1]])
    c, dt, z = np.array([0.7]), 0.02, np.full((200000, 1), 1.1)
    out = langevin_run(z, coef, c, dt, 1, 1, 5)[0]
    x = 1.1 - 0.7
    want = 1.1 - dt * (0.5 - 0.3 * x + 0.2 * x**2 + 0.1 * x**3)
    se = np.sqrt(2 * dt / 200000)
    assert abs(out.mean() - want) < 5 * se
    assert out.var() == pytest.approx(2 * dt, rel=0.02)            # √(2Δt) noise: sd 0.3 %


# ------------------------------------------------------------- 1D spectra (theory module)
@pytest.mark.parametrize("which", ["fokker_planck", "schrodinger"])
def test_spectrum_defaults_are_six_rates_on_a_box_centred_at_zero(which):
    # the documented defaults (k = 6, centre 0): a harmonic well of curvature Γ = 2 in a box
    # tight enough (±2.5 widths) for its walls to matter, so a shifted box would show
    from rbmphys.theory import fokker_planck_spectrum, schrodinger_spectrum
    g, L = 2.0, 2.5 / np.sqrt(2.0)
    if which == "fokker_planck":
        f = lambda *a, **k: fokker_planck_spectrum(lambda z: g * z**2 / 2, *a, **k)  # noqa
    else:
        f = lambda *a, **k: schrodinger_spectrum(lambda z: g * z, lambda z: g + 0 * z,  # noqa
                                                 *a, **k)
    default = f(L, 2000)
    assert default.shape == (6,)
    np.testing.assert_array_equal(default, f(L, 2000, 6, 0.0))
    assert np.max(np.abs(f(L, 2000, 6, 0.3) - default)) > 1e-3      # the box matters here
    wide = f(12.0 / np.sqrt(g), 4000)
    np.testing.assert_allclose(wide, g * np.arange(6), atol=2e-3)   # nΓ, O(h²) ~ 1e-4


def test_coarse_fokker_planck_grid_equals_the_dense_master_equation():
    # detailed balance with e^{-Φ} holds on any grid: the stationary mode has rate 0 to
    # round-off even with 13 points; the rates equal those of the dense rate matrix
    from rbmphys.theory import fokker_planck_spectrum
    phi = lambda z: z**4 / 4 - 0.7 * z**2 + 0.3 * z          # noqa: E731
    ev = fokker_planck_spectrum(phi, 2.5, 13, 3)
    assert abs(ev[0]) < 1e-12 and ev[1] > 0.1
    # the same master equation as a dense rate matrix (hops h⁻²e^{−ΔΦ/2}), not symmetrised
    z = np.linspace(-2.5, 2.5, 13)
    h, p = z[1] - z[0], phi(z)
    Q = np.zeros((13, 13))
    for i in range(12):
        Q[i, i + 1] = np.exp(-(p[i + 1] - p[i]) / 2) / h**2
        Q[i + 1, i] = np.exp(-(p[i] - p[i + 1]) / 2) / h**2
    Q -= np.diag(Q.sum(1))
    np.testing.assert_allclose(ev, np.sort(-np.linalg.eigvals(Q).real)[:3], atol=1e-10)
