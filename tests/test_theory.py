"""Learning ODEs of the scalar-field RBM integrated with scipy, against closed forms."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys import theory


def test_seven_modes_are_learnt_and_the_rest_sit_at_mu2():
    K = rp.datasets.lattice_kernel((10,), 4.0)
    r = theory.gaussian_flow(K, 10, 7.0, t_max=5000, rng=0)
    kappa = np.sort(np.linalg.eigvalsh(K))
    np.testing.assert_allclose(r.eigenvalues[-1], np.minimum(kappa, 7.0), atol=1e-6)
    assert theory.n_learnable_modes(kappa, 7.0) == 7


@pytest.mark.parametrize("nh", [6, 8, 9])
def test_hidden_layer_cutoff_84_and_kl_b8(nh):
    K = rp.datasets.lattice_kernel((10,), 4.0)
    kappa = np.sort(np.linalg.eigvalsh(K))
    r = theory.gaussian_flow(K, nh, 9.0, t_max=5000, rng=1)
    np.testing.assert_allclose(r.eigenvalues[-1], theory.learnt_eigenvalues(kappa, 9.0, nh),
                               atol=1e-6)
    # KL of the trained model from the target by the general Gaussian formula vs (B7)-(B8)
    Kq = 9.0 * np.eye(10) - r.W @ r.W.T
    C = np.linalg.inv(K)
    kl = 0.5 * (np.trace(Kq @ C) - 10 - np.log(np.linalg.det(Kq @ C)))
    assert kl == pytest.approx(theory.kl_after_training(kappa, 9.0, nh), rel=1e-6)


def test_two_by_two_flow_reaches_the_fixed_points():
    for kappa, mu2, want_dth in (((0.2, 0.4), 1.0, 0.0), ((0.4, 0.2), 1.0, np.pi / 2)):
        f = theory.two_by_two_flow(kappa, mu2, t_max=4.0)
        assert f["dtheta"][-1] == pytest.approx(want_dth, abs=1e-6)
        np.testing.assert_allclose(sorted([f["lambda1"][-1], f["lambda2"][-1]]), [0.2, 0.4],
                                   atol=1e-6)
    # learnable μ² starts below κ2 and grows until both modes are learnt (bottom row of
    # Fig. 2); it ends at or just above κ_max = 0.7 (the small leftover ξ2 makes up the rest)
    f = theory.two_by_two_flow((0.2, 0.7), 0.4, t_max=40.0, learn_mu2=True)
    np.testing.assert_allclose(sorted([f["lambda1"][-1], f["lambda2"][-1]]), [0.2, 0.7],
                               atol=1e-6)
    assert 0.7 <= f["mu2"][-1] < 0.75


def test_mode_flow_agrees_with_the_matrix_flow_from_an_aligned_start():
    K = rp.datasets.lattice_kernel((6,), 1.0)
    kappa, O = np.linalg.eigh(K)
    W0 = O * 0.1                                   # aligned with the target's eigenvectors
    t = np.linspace(0, 30, 31)
    full = theory.gaussian_flow(K, 6, 6.0, t_eval=t, init=W0)
    _, lam = theory.mode_flow(kappa, 6.0, xi0=0.1, t_eval=t)
    np.testing.assert_allclose(np.sort(lam, axis=1), full.eigenvalues, atol=1e-6)


def test_validation():
    K = rp.datasets.lattice_kernel((4,), 1.0)
    with pytest.raises(ValueError, match="exactly one of"):
        theory.gaussian_flow(K, 4, 6.0, data_correlation=np.eye(4))
    with pytest.raises(ValueError, match="stability bound"):
        theory.gaussian_flow(K, 4, 0.5, init=np.eye(4))
    with pytest.raises(ValueError, match="positive definite"):
        theory.gaussian_flow(-K, 4, 6.0)
    with pytest.raises(ValueError, match="n_hidden"):
        theory.gaussian_flow(K, 5, 6.0)
    assert theory.modes_below_cutoff(np.diag([0.5, 0.05, 0.001]), 100.0) == 2


def test_learnable_mu2_mode_flow_agrees_with_the_matrix_flow():
    """The μ² equation of the mode flow (derived per mode by sympy and summed) against the full
    matrix flow (26)-(27) from an aligned start: same ODE, so agreement to the solver
    tolerance (1e-6)."""
    K = rp.datasets.lattice_kernel((6,), 1.0)
    kappa, O = np.linalg.eigh(K)
    t = np.linspace(0, 40, 21)
    full = theory.gaussian_flow(K, 6, 3.0, t_eval=t, init=O * 0.1, learn_mu2=True)
    _, lam, m2 = theory.mode_flow(kappa, 3.0, xi0=0.1, t_eval=t, learn_mu2=True)
    np.testing.assert_allclose(m2, full.mu2, atol=1e-6)
    np.testing.assert_allclose(np.sort(lam, axis=1), full.eigenvalues, atol=1e-6)
    # the symbolic μ² term is ½(1/λ − 1/κ)
    from rbmphys.symbolic import gaussian as G
    import sympy as sp
    expr, x, k = G.mode_mu2_term()
    assert sp.simplify(expr - (1 / (G.mu2 - G.s2 * x) - 1 / k) / 2) == 0


def test_mode_flow_accepts_unvisited_directions():
    # κ = ∞ (zero correlation): the coupling decays, λ → μ²
    _, lam = theory.mode_flow(np.array([1.0, np.inf]), 4.0, xi0=0.5, t_eval=[0, 50])
    np.testing.assert_allclose(lam[-1], [1.0, 4.0], atol=1e-6)
    with pytest.raises(ValueError, match="kappa"):
        theory.mode_flow(np.array([1.0, -1.0]), 4.0, t_eval=[0, 1])
