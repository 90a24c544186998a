"""Chapter 3 claims: Gaussian fields on a bipartite graph (Aarts, Lucini, Park, Secs. II, V).

Each claim measures the library (``GaussianRBM``, the Gaussian units and block Gibbs, the
lattice kernels and exact solutions) against an independent oracle: the joint Gaussian's
block-precision algebra, Monte Carlo with capped standard errors, closed-form spectra.
"""

from __future__ import annotations

import numpy as np

from ...models import GaussianRBM
from .._registry import Measurement, claim, nanmax as _nanmax

SEED = 303
_ROUND = "identity: float64 round-off"


def joint_precision(model):
    r"""The precision matrix of the joint Gaussian :math:`p(\phi, h)` read off the action
    :math:`S = \tfrac12\mu^2\phi^2 + (h-\eta)^2/2\sigma_h^2 - \phi^TWh`:
    :math:`\begin{pmatrix}\mu^2\mathbb 1 & -W\\ -W^T & \mathbb 1/\sigma_h^2\end{pmatrix}`
    (independent of the library's marginalisation)."""
    W = model.W.astype(np.float64)
    V, H = W.shape
    return np.block([[model.mu2 * np.eye(V), -W], [-W.T, np.eye(H) / model.sigma_h2]])


def _models(quick):
    g = np.random.default_rng(SEED)
    out = []
    for V, H in ([(4, 3), (6, 6)] if quick else [(4, 3), (6, 6), (10, 4), (8, 12)]):
        W = g.normal(0.0, 0.5, (V, H))
        mu2 = 1.3 * np.linalg.norm(W, 2) ** 2 * 0.8 + 0.5
        out.append(GaussianRBM(W, mu2, sigma_h2=0.8, eta=g.normal(0, 0.5, H)))
    return out


@claim("ch03.marginal_covariance", chapter=3,
       title="the visible marginal of the scalar-field RBM has covariance K⁻¹, K = μ²1 − σ_h²WWᵀ",
       source="AartsLuciniPark2024 eqs. (9), (11)")
def _cov(quick):
    worst = 0.0
    for m in _models(quick):
        P = joint_precision(m)
        V = m.n_visible
        cov_joint = np.linalg.inv(P)[:V, :V]          # marginal of a Gaussian: a sub-block
        worst = _nanmax(worst, float(np.max(np.abs(m.marginal_covariance() - cov_joint))))
    return Measurement(0.0, worst, 1e-10, _ROUND + " (matrix inverses of condition < 1e3)")


@claim("ch03.marginal_mean", chapter=3, title="... and mean K⁻¹J with the source J = Wη",
       source="AartsLuciniPark2024 eq. (9)")
def _mean(quick):
    worst = 0.0
    for m in _models(quick):
        P = joint_precision(m)
        V = m.n_visible
        lin = np.concatenate([np.zeros(V), m.eta / m.sigma_h2])   # linear term of -S
        worst = _nanmax(worst, float(np.max(np.abs(m.marginal_mean() - np.linalg.solve(P, lin)[:V]))))
    return Measurement(0.0, worst, 1e-10, _ROUND)


@claim("ch03.log_partition", chapter=3,
       title="ln Z of the scalar-field RBM = the joint Gaussian integral",
       source="AartsLuciniPark2024 eqs. (2), (9)")
def _logz(quick):
    worst = 0.0
    for m in _models(quick):
        P = joint_precision(m)
        lin = np.concatenate([np.zeros(m.n_visible), m.eta / m.sigma_h2])
        n = len(P)
        # ∫ e^{-x^T P x/2 + lin·x - η²/2σ²} = (2π)^{n/2} det(P)^{-1/2} e^{lin^T P^{-1} lin/2 - ...}
        brute = (0.5 * n * np.log(2 * np.pi) - 0.5 * np.linalg.slogdet(P)[1]
                 + 0.5 * lin @ np.linalg.solve(P, lin) - m.eta @ m.eta / (2 * m.sigma_h2))
        worst = _nanmax(worst, abs(m.log_partition() - brute))
    return Measurement(0.0, worst, 1e-10, _ROUND)


def gibbs_covariance_error(quick, seed=SEED):
    """(max |sample covariance − K⁻¹| in standard errors, max standard error) of block Gibbs
    chains of the 1D free-field RBM (Cholesky solution), one sample per chain."""
    import rbmphys as rp
    K = rp.datasets.lattice_kernel((6,), 1.0)
    W = rp.datasets.rbm_weights_from_kernel(K, 6.0, 1.0, "symmetric")
    m = rp.GaussianRBM(W, 6.0)
    n = 20_000 if quick else 100_000
    v = rp.gibbs(m, np.zeros((n, 6)), n_sweeps=60, rng=seed)
    C = np.linalg.inv(K)
    cov = v.T @ v / n                                  # zero-mean field
    se = np.sqrt((np.outer(np.diag(C), np.diag(C)) + C**2) / n)
    return float(np.max(np.abs(cov - C) / se)), float(se.max())


@claim("ch03.gibbs_covariance", chapter=3,
       title="block Gibbs with Gaussian units reproduces ⟨φφᵀ⟩ = K⁻¹ of a lattice field",
       source="AartsLuciniPark2024 eq. (11); Box–Muller on the counter RNG")
def _gibbs(quick):
    z, se = gibbs_covariance_error(quick)
    return Measurement(0.0, z, 4.5, "max over the 21 independent entries of |cov − K⁻¹| in "
                       "standard errors of a sample covariance, √((C_ii C_jj + C_ij²)/n); "
                       "4.5 SE: exceeded by chance with probability 1e-4", "le",
                       stderr=se, max_stderr=0.01)


@claim("ch03.lattice_1d", chapter=3,
       title="1D lattice, N_v = 10, m² = 4: κ = m² + 2 − 2cos(2πk/N_v)",
       source="AartsLuciniPark2024 eqs. (77)-(79)")
def _l1(quick):
    import rbmphys as rp
    got = np.sort(np.linalg.eigvalsh(rp.datasets.lattice_kernel((10,), 4.0)))
    want = np.sort(4.0 + 2 - 2 * np.cos(2 * np.pi * np.arange(10) / 10))
    return Measurement(0.0, float(np.max(np.abs(got - want))), 1e-12, _ROUND,
                       details={"kappa": got})


@claim("ch03.lattice_2d_degeneracies", chapter=3,
       title="2D 4×4 lattice, m² = 4: eigenvalues {4:1, 6:4, 8:6, 10:4, 12:1}",
       source="AartsLuciniPark2024 eqs. (82)-(83)")
def _l2(quick):
    import rbmphys as rp
    ev = np.round(np.linalg.eigvalsh(rp.datasets.lattice_kernel((4, 4), 4.0)), 8)
    vals, counts = np.unique(ev, return_counts=True)
    got = {float(v): int(c) for v, c in zip(vals, counts)}
    want = {4.0: 1, 6.0: 4, 8.0: 6, 10.0: 4, 12.0: 1}
    return Measurement(str(want), str(got), 0, "exact: eigenvalues rounded to 1e-8", "eq")


@claim("ch03.exact_solutions", chapter=3,
       title="Cholesky and symmetric W solve μ²1 − σ_h²WWᵀ = K_φ exactly",
       source="AartsLuciniPark2024 eqs. (13)-(16)")
def _exact(quick):
    import rbmphys as rp
    worst = 0.0
    for shape, m2, mu2 in (((10,), 4.0, 9.0), ((4, 4), 4.0, 16.0)):
        K = rp.datasets.lattice_kernel(shape, m2)
        for kind in ("cholesky", "symmetric"):
            W = rp.datasets.rbm_weights_from_kernel(K, mu2, 1.0, kind)
            worst = _nanmax(worst, float(np.max(np.abs(GaussianRBM(W, mu2).precision() - K))))
    return Measurement(0.0, worst, 1e-10, _ROUND)


@claim("ch03.rotation_freedom", chapter=3,
       title="W → WO (O orthogonal) changes the couplings but not p(φ)",
       source="AartsLuciniPark2024 eqs. (17)-(18)")
def _rot(quick):
    import rbmphys as rp
    K = rp.datasets.lattice_kernel((8,), 2.0)
    W = rp.datasets.rbm_weights_from_kernel(K, 9.0, 1.0, "cholesky")
    worst, moved = 0.0, 0.0
    for s in range(3):
        O = rp.datasets.random_rotation(8, rng=SEED + s)
        a, b = GaussianRBM(W, 9.0), GaussianRBM(W @ O, 9.0)
        phi = rp.datasets.sample_free_field(K, 50, rng=s)
        worst = _nanmax(worst, float(np.max(np.abs(a.free_energy(phi) - b.free_energy(phi)))))
        moved = max(moved, float(np.max(np.abs(W @ O - W))))
    return Measurement(0.0, worst, 1e-10, _ROUND + " (free energies of 50 field "
                       "configurations; the couplings themselves change by up to "
                       f"{moved:.2f})", details={"max_coupling_change": moved})


@claim("ch03.gaussian_bernoulli_log_z", chapter=3,
       title="Gaussian visible, ±1 hidden: exact ln Z (hidden states enumerated, field "
             "integrated) = numerical quadrature",
       source="AartsLuciniPark2024 eq. (91) (ln cosh interactions)")
def _gb(quick):
    from scipy import integrate
    import rbmphys as rp
    W = np.array([[0.7, -0.4, 0.3]])
    m = rp.GaussianBernoulliRBM(W, mu2=1.5, a=[0.2], b=[0.1, 0.0, -0.3])
    # e^{-F(φ)} = e^{-μ²φ²/2 + aφ} Π_a 2cosh(b_a + W_a φ), integrated over φ by quad
    f = lambda x: np.exp(-m.free_energy(np.array([[x]]))[0])     # noqa: E731
    val, err = integrate.quad(f, -40, 40, epsabs=1e-13, epsrel=1e-13)
    got = rp.exact.log_partition(m)
    return Measurement(float(np.log(val)), got, 1e-9, "quadrature error ~1e-12 relative",
                       "abs")
