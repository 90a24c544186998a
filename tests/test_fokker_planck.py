"""Fokker–Planck / Langevin machinery of Chapter 7 and the symmetry tools of Chapter 8."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import rbmphys as rp
from rbmphys.analysis import symmetry as S
from rbmphys.kernels._langevin import langevin_run, langevin_run_np
from rbmphys.symbolic import fokker_planck as F


def test_langevin_kernel_equals_its_numpy_twin_bit_for_bit():
    coef = np.array([[0.0, 2.0, 0.0, 0.0], [0.1, -1.0, 0.3, 1.0]])
    z0 = np.random.default_rng(0).normal(size=(7, 2))
    a = langevin_run(z0, coef, np.array([0.3, -0.1]), 0.01, 60, 4, 12345)
    b = langevin_run_np(z0, coef, np.array([0.3, -0.1]), 0.01, 60, 4, 12345)
    assert np.array_equal(a, b)


def test_langevin_walkers_do_not_depend_on_how_many_run_together():
    z0 = np.random.default_rng(1).normal(size=(10, 1))
    full = rp.samplers.langevin([[0.0, 1.5]], z0, dt=0.01, n_steps=50, rng=3)
    # walker r's noise depends only on (key, step, r): the first 4 alone give the same paths
    part = rp.samplers.langevin([[0.0, 1.5]], z0[:4], dt=0.01, n_steps=50, rng=3)
    assert np.array_equal(full[:, :4], part)


def test_langevin_bad_input():
    with pytest.raises(ValueError, match="coordinates"):
        rp.samplers.langevin([[0.0, 1.0]], np.zeros((3, 2)), dt=0.1, n_steps=2)
    with pytest.raises(ValueError, match="dt"):
        rp.samplers.langevin([[0.0, 1.0]], np.zeros((3, 1)), dt=0.0, n_steps=2)


def test_symbolic_identities_and_curvatures():
    assert F.similarity_identity(2) == 0 and F.stationary_identity(1) == 0
    gu, gw = F.mode_curvatures()
    assert sp.simplify(gu - (4 - F.beta * F.sigma)) == 0
    assert sp.simplify(gw - (4 + F.beta * F.sigma)) == 0
    np.testing.assert_allclose(F.relaxation_rates([0.5, 6.0]), [[3.5, 4.5], [-2.0, 10.0]])
    K11, K111, K1111, (k2, k3, k4) = F.legendre_coefficients()
    assert sp.simplify(K1111 - (3 * k3**2 / k2**5 - k4 / k2**4)) == 0
    z, sig, k, a = F.landau_minima()
    assert sp.simplify(z - sp.sqrt((sig - k) / a)) == 0


@pytest.mark.parametrize("gamma", [0.5, 2.0, 7.5])
def test_discretised_spectra_of_a_harmonic_mode(gamma):
    L = 12 / np.sqrt(gamma)
    fp = rp.theory.fokker_planck_spectrum(lambda z: gamma * z**2 / 2, L, 4000, 4)
    sc = rp.theory.schrodinger_spectrum(lambda z: gamma * z, lambda z: gamma + 0 * z, L, 4000, 4)
    np.testing.assert_allclose(fp, gamma * np.arange(4), atol=2e-4 * gamma)   # O(h²)
    np.testing.assert_allclose(sc, gamma * np.arange(4), atol=2e-4 * gamma)


def test_rotations_preserve_singular_values_and_prior():
    g = np.random.default_rng(2)
    W = g.normal(0, 0.1, (12, 5))
    for side, n in (("visible", 12), ("hidden", 5)):
        for conj in (False, True):
            Wr = S.rotate_singular_vectors(W, S.random_rotation(n, g), side=side,
                                           conjugate=conj)
            np.testing.assert_allclose(np.linalg.svd(Wr, compute_uv=False),
                                       np.linalg.svd(W, compute_uv=False), atol=1e-12)
    with pytest.raises(ValueError, match="side"):
        S.rotate_singular_vectors(W, np.eye(12), side="both")
    assert S.js_divergence(W, W) == 0.0


def test_constraint_force_inverts_the_cumulant_derivative():
    c = np.random.default_rng(4).normal(size=15)
    for z in (-0.7, 0.05, 1.2):
        t = S.constraint_force(c, z)
        assert 0.5 * np.sum(c * np.tanh(0.5 * t * c)) == pytest.approx(z, abs=1e-13)
    with pytest.raises(ValueError, match="outside"):
        S.constraint_force(c, 0.5 * np.abs(c).sum())
    k2 = 0.25 * np.sum(c**2)
    assert S.ordered_minimum(c, 0.9 / k2) == 0.0 and S.ordered_minimum(c, 1.5 / k2) > 0
