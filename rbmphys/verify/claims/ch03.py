"""Chapter 3 claims: Gaussian fields on a bipartite graph (Aarts, Lucini, Park, Secs. II, V).

Each claim measures the library (``GaussianRBM``, the Gaussian units and block Gibbs, the
lattice kernels and exact solutions) against an independent oracle: the joint Gaussian's
block-precision algebra, Monte Carlo with capped standard errors, closed-form spectra.
"""

from __future__ import annotations

import numpy as np

import rbmphys as rp

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


@claim("ch03.marginal_covariance",
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


@claim("ch03.marginal_mean", title="... and mean K⁻¹J with the source J = Wη",
       source="AartsLuciniPark2024 eq. (9)")
def _mean(quick):
    worst = 0.0
    for m in _models(quick):
        P = joint_precision(m)
        V = m.n_visible
        lin = np.concatenate([np.zeros(V), m.eta / m.sigma_h2])   # linear term of -S
        worst = _nanmax(worst, float(np.max(np.abs(m.marginal_mean() - np.linalg.solve(P, lin)[:V]))))
    return Measurement(0.0, worst, 1e-10, _ROUND)


@claim("ch03.log_partition",
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
    K = rp.datasets.lattice_kernel((6,), 1.0)
    W = rp.datasets.rbm_weights_from_kernel(K, 6.0, 1.0, "symmetric")
    m = rp.GaussianRBM(W, 6.0)
    n = 20_000 if quick else 100_000
    v = rp.gibbs(m, np.zeros((n, 6)), n_sweeps=60, rng=seed)
    C = np.linalg.inv(K)
    cov = v.T @ v / n                                  # zero-mean field
    se = np.sqrt((np.outer(np.diag(C), np.diag(C)) + C**2) / n)
    return float(np.max(np.abs(cov - C) / se)), float(se.max())


@claim("ch03.gibbs_covariance",
       title="block Gibbs with Gaussian units reproduces ⟨φφᵀ⟩ = K⁻¹ of a lattice field",
       source="AartsLuciniPark2024 eq. (11); Box–Muller on the counter RNG")
def _gibbs(quick):
    z, se = gibbs_covariance_error(quick)
    return Measurement(0.0, z, 4.5, "max over the 21 independent entries of |cov − K⁻¹| in "
                       "standard errors of a sample covariance, √((C_ii C_jj + C_ij²)/n); "
                       "4.5 SE: exceeded by chance with probability 1e-4", "le",
                       stderr=se, max_stderr=0.01)


@claim("ch03.lattice_1d",
       title="1D lattice, N_v = 10, m² = 4: κ = m² + 2 − 2cos(2πk/N_v)",
       source="AartsLuciniPark2024 eqs. (77)-(79)")
def _l1(quick):
    got = np.sort(np.linalg.eigvalsh(rp.datasets.lattice_kernel((10,), 4.0)))
    want = rp.datasets.lattice_spectrum((10,), 4.0)        # the closed form (79)
    return Measurement(0.0, float(np.max(np.abs(got - want))), 1e-12, _ROUND,
                       details={"kappa": got})


@claim("ch03.lattice_2d_degeneracies",
       title="2D 4×4 lattice, m² = 4: eigenvalues {4:1, 6:4, 8:6, 10:4, 12:1}",
       source="AartsLuciniPark2024 eqs. (82)-(83)")
def _l2(quick):
    ev = np.round(np.linalg.eigvalsh(rp.datasets.lattice_kernel((4, 4), 4.0)), 8)
    vals, counts = np.unique(ev, return_counts=True)
    got = {float(v): int(c) for v, c in zip(vals, counts)}
    want = {4.0: 1, 6.0: 4, 8.0: 6, 10.0: 4, 12.0: 1}
    return Measurement(str(want), str(got), 0, "exact: eigenvalues rounded to 1e-8", "eq")


@claim("ch03.exact_solutions",
       title="Cholesky and symmetric W solve μ²1 − σ_h²WWᵀ = K_φ exactly",
       source="AartsLuciniPark2024 eqs. (13)-(16)")
def _exact(quick):
    worst = 0.0
    for shape, m2, mu2 in (((10,), 4.0, 9.0), ((4, 4), 4.0, 16.0)):
        K = rp.datasets.lattice_kernel(shape, m2)
        for kind in ("cholesky", "symmetric"):
            W = rp.datasets.rbm_weights_from_kernel(K, mu2, 1.0, kind)
            worst = _nanmax(worst, float(np.max(np.abs(GaussianRBM(W, mu2).precision() - K))))
    return Measurement(0.0, worst, 1e-10, _ROUND)


@claim("ch03.rotation_freedom",
       title="W → WO (O orthogonal) changes the couplings but not p(φ)",
       source="AartsLuciniPark2024 eqs. (17)-(18)")
def _rot(quick):
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


@claim("ch03.gaussian_bernoulli_log_z",
       title="Gaussian visible, ±1 hidden: exact ln Z (hidden states enumerated, field "
             "integrated) = numerical quadrature",
       source="AartsLuciniPark2024 eq. (91) (ln cosh interactions)")
def _gb(quick):
    from scipy import integrate
    W = np.array([[0.7, -0.4, 0.3]])
    m = rp.GaussianBernoulliRBM(W, mu2=1.5, a=[0.2], b=[0.1, 0.0, -0.3])
    # e^{-F(φ)} = e^{-μ²φ²/2 + aφ} Π_a 2cosh(b_a + W_a φ), integrated over φ by quad
    f = lambda x: np.exp(-m.free_energy(np.array([[x]]))[0])     # noqa: E731
    val, err = integrate.quad(f, -40, 40, epsabs=1e-13, epsrel=1e-13)
    got = rp.exact.log_partition(m)
    return Measurement(float(np.log(val)), got, 1e-9, "quadrature error ~1e-12 relative",
                       "abs")


# ---------------------------------------------------------------- generic parameter points
# σ_h² ≠ 1, β ≠ 1, η ≠ 0, V ≠ H: a lost power, factor or swapped argument moves every value
# below by far more than its tolerance.

def joint_moments(model, beta=1.0):
    r"""Mean and covariance of the joint Gaussian :math:`p(\phi, h) \propto e^{-\beta S}`
    from :func:`joint_precision` (dense linear algebra on the action, not the library's
    marginalisation): mean :math:`P^{-1}(0, \eta/\sigma_h^2)`, covariance
    :math:`P^{-1}/\beta`."""
    P = joint_precision(model)
    lin = np.concatenate([np.zeros(model.n_visible), model.eta / model.sigma_h2])
    return np.linalg.solve(P, lin), np.linalg.inv(P) / beta


def _generic_models():
    """Two generic scalar-field RBMs with their inverse temperatures: (i) random couplings,
    V = 5, H = 3, σ_h² = 0.6, η ≠ 0, β = 0.7; (ii) the exact (symmetric) solution of a 2×3
    lattice field, m² = 0.8, μ² = 9, σ_h² = 1.7, η ≠ 0, β = 1.6."""
    g = np.random.default_rng(SEED + 1)
    W = g.normal(0.0, 0.4, (5, 3))
    s2 = 0.6
    a = GaussianRBM(W, 1.4 * s2 * np.linalg.norm(W, 2) ** 2 + 0.6, s2,
                    eta=g.normal(0.0, 0.7, 3))
    K = rp.datasets.lattice_kernel((2, 3), 0.8)
    Wb = rp.datasets.rbm_weights_from_kernel(K, 9.0, 1.7, "symmetric")
    b = GaussianRBM(Wb, 9.0, 1.7, eta=g.normal(0.0, 0.5, 6))
    return [(a, 0.7), (b, 1.6)]


@claim("ch03.gibbs_beta",
       title="block Gibbs at β ≠ 1, σ_h² ≠ 1, η ≠ 0: (φ, h) has mean P⁻¹(0, η/σ_h²) and "
             "covariance P⁻¹/β of the joint action",
       source="AartsLuciniPark2024 eqs. (2), (9), (11); e^{-βS}")
def _gibbs_beta(quick):
    n = 20_000 if quick else 80_000
    worst, se_max = 0.0, 0.0
    for i, (m, beta) in enumerate(_generic_models()):
        mean, cov = joint_moments(m, beta)
        v, h = rp.gibbs(m, np.zeros((n, m.n_visible)), n_sweeps=150, rng=SEED + 10 + i,
                        beta=beta, return_hidden=True)
        x = np.hstack([v, h]).astype(np.float64)
        d = np.diag(cov)
        z_mean = np.abs(x.mean(0) - mean) / np.sqrt(d / n)
        c = (x - mean).T @ (x - mean) / n             # about the exact mean
        se = np.sqrt((np.outer(d, d) + cov**2) / n)
        worst = _nanmax(worst, z_mean.max(), (np.abs(c - cov) / se).max())
        se_max = max(se_max, float(se.max()), float(np.sqrt(d / n).max()))
    return Measurement(0.0, worst, 4.5, "max over the means and the joint covariance entries "
                       "(φ and h, 2 models, 134 numbers) of |sample − exact| in standard "
                       "errors; 150 sweeps shrink the start's bias by 0.91^150 < 1e-6; 4.5 SE: "
                       "exceeded by chance with probability ~1e-3", "le",
                       stderr=se_max, max_stderr=0.05)


@claim("ch03.gaussian_unit_beta",
       title="Gaussian unit at β ≠ 1: ln ∫dx e^{-β(x²/2ς² − xf)} and E[x|f] equal quadrature",
       source="AartsLuciniPark2024 eq. (2) (Gaussian units); Chapter 3 table of units")
def _unit_beta(quick):
    from scipy import integrate
    from ...models._units import Gaussian
    worst = 0.0
    for var, f, beta in ((0.6, 0.9, 0.7), (1.7, -0.4, 2.3), (0.25, 1.8, 1.3)):
        u = Gaussian(var)
        w = lambda x: np.exp(-beta * (x * x / (2 * var) - x * f))   # noqa: E731
        lim = var * abs(f) + 12 * np.sqrt(var / beta)
        z, _ = integrate.quad(w, -lim, lim, epsabs=0, epsrel=1e-13)
        m1, _ = integrate.quad(lambda x: x * w(x), -lim, lim, epsabs=0, epsrel=1e-13)
        worst = _nanmax(worst, abs(float(u.log_partition(f, beta)) - np.log(z)),
                        abs(float(u.mean(f, beta)) - m1 / z))
    return Measurement(0.0, worst, 1e-9, "adaptive quadrature to 1e-13 relative over ±12 "
                       "standard deviations (the cut tail is e^-72)")


@claim("ch03.gaussian_unit_sampling",
       title="Gaussian unit sampler at β ≠ 1: draws of N(ς²f, ς²/β), mean and variance",
       source="AartsLuciniPark2024 eq. (2); Box–Muller on the counter RNG")
def _unit_sampling(quick):
    from ...models._units import Gaussian
    n = 200_000
    worst, se_max = 0.0, 0.0
    for k, (var, beta) in enumerate(((0.6, 0.7), (1.7, 2.3))):
        u = Gaussian(var)
        f = np.array([0.9, -0.4, 0.0])
        pre = np.tile(f - 0.25, (n, 1))                     # field = pre + bias
        x = u.sample(pre, np.full(3, 0.25), SEED + k, beta=beta)
        s2 = var / beta
        worst = _nanmax(worst, np.max(np.abs(x.mean(0) - var * f) / np.sqrt(s2 / n)),
                        np.max(np.abs(x.var(0) - s2) / (s2 * np.sqrt(2.0 / n))))
        se_max = max(se_max, s2 * np.sqrt(2.0 / n))
    return Measurement(0.0, worst, 4.5, "means and variances of 2×3 units in standard errors "
                       "(√(s²/n) and s²√(2/n)); 4.5 SE: exceeded by chance with probability "
                       "1e-4", "le", stderr=se_max, max_stderr=0.01)


@claim("ch03.lattice_spectrum",
       title="closed-form lattice spectra (79), (82) = eigenvalues of the lattice kernels, "
             "1D and non-square 2D, m² ≠ 1",
       source="AartsLuciniPark2024 eqs. (77)-(79), (82)-(83)")
def _spectrum(quick):
    worst = 0.0
    for shape, m2 in (((7,), 0.7), ((5, 3), 2.3), ((4, 6), 0.35)):
        K = rp.datasets.lattice_kernel(shape, m2)
        got = np.sort(np.linalg.eigvalsh(K))
        worst = _nanmax(worst, np.max(np.abs(rp.datasets.lattice_spectrum(shape, m2) - got)))
        # a plane wave e^{ik·x} is an eigenvector: K acting on it returns a multiple of it,
        # one of the closed-form values
        idx = np.indices(shape).reshape(len(shape), -1).T
        for k in np.ndindex(*shape):
            phase = np.exp(2j * np.pi * (idx @ (np.array(k) / np.array(shape))))
            lam = (K @ phase)[0] / phase[0]
            worst = _nanmax(worst, np.max(np.abs(K @ phase - lam * phase)),
                            np.min(np.abs(rp.datasets.lattice_spectrum(shape, m2) - lam.real)))
    return Measurement(0.0, worst, 1e-12, _ROUND + " (eigenvalues of ≤ 24×24 matrices, "
                       "values of order 10)")


@claim("ch03.free_field_samples",
       title="exact free-field samples (Cholesky) have covariance K_φ⁻¹ of a 2D lattice",
       source="AartsLuciniPark2024 eqs. (11), (82)")
def _ff(quick):
    K = rp.datasets.lattice_kernel((3, 4), 0.5)
    n = 40_000
    x = rp.datasets.sample_free_field(K, n, rng=SEED)
    C = np.linalg.inv(K)
    se = np.sqrt((np.outer(np.diag(C), np.diag(C)) + C**2) / n)
    z = max(float((np.abs(x.T @ x / n - C) / se).max()),
            float((np.abs(x.mean(0)) / np.sqrt(np.diag(C) / n)).max()))
    return Measurement(0.0, z, 4.5, "78 covariance entries and 12 means of 40 000 draws, in "
                       "standard errors; 4.5 SE: exceeded by chance with probability 6e-4",
                       "le", stderr=float(se.max()), max_stderr=0.02)


@claim("ch03.exact_solutions_generic",
       title="σ_h² ≠ 1: the Cholesky and symmetric W of (13)-(16) give p(φ) with covariance "
             "exactly K_φ⁻¹",
       source="AartsLuciniPark2024 eqs. (13)-(16)")
def _exact_generic(quick):
    worst = 0.0
    for shape, m2, mu2, s2 in (((5,), 0.6, 6.5, 0.45), ((2, 3), 1.3, 11.0, 2.2)):
        K = rp.datasets.lattice_kernel(shape, m2)
        for kind in ("cholesky", "symmetric"):
            m = GaussianRBM(rp.datasets.rbm_weights_from_kernel(K, mu2, s2, kind), mu2, s2)
            cov = np.linalg.inv(joint_precision(m))[:len(K), :len(K)]
            worst = _nanmax(worst, float(np.max(np.abs(cov @ K - np.eye(len(K))))))
    return Measurement(0.0, worst, 1e-10, _ROUND + " (the marginal of the joint Gaussian, "
                       "not the library's K; a σ_h² that multiplies instead of dividing "
                       "misses by O(1))")


def _worst_generic(seed, error):
    """The largest ``error(m, mean, cov, g)`` over the generic models (NaN if any is NaN), with
    each model's joint mean and covariance (:func:`joint_moments`) and one generator ``g``
    seeded ``seed`` shared by the models in turn."""
    g = np.random.default_rng(seed)
    return _nanmax(0.0, *[error(m, *joint_moments(m), g) for m, _ in _generic_models()])


@claim("ch03.joint_density",
       title="e^{-E(φ,h)}/Z of the library = the joint Gaussian density N(P⁻¹(0, η/σ_h²), P⁻¹)",
       source="AartsLuciniPark2024 eqs. (2), (9)")
def _joint_density(quick):
    from scipy import stats

    def error(m, mean, cov, g):
        x = g.multivariate_normal(mean, cov, size=20)
        V = m.n_visible
        got = -m.energy(x[:, :V], x[:, V:]) - m.log_partition()
        want = stats.multivariate_normal(mean, cov).logpdf(x)
        return float(np.max(np.abs(got - want)))
    return Measurement(0.0, _worst_generic(SEED + 2, error), 1e-9, _ROUND + " (log-densities "
                       "of order 10 at 20 points of each generic model)")


@claim("ch03.marginal_density",
       title="ln p(φ) = −F(φ) − ln Z of the library = the marginal Gaussian log-density",
       source="AartsLuciniPark2024 eqs. (9), (11)")
def _marginal_density(quick):
    from scipy import stats

    def error(m, mean, cov, g):
        V = m.n_visible
        phi = g.multivariate_normal(mean[:V], cov[:V, :V], size=20)
        got = -m.free_energy(phi) - m.log_partition()
        want = stats.multivariate_normal(mean[:V], cov[:V, :V]).logpdf(phi)
        return _nanmax(float(np.max(np.abs(got - want))),
                       abs(m.log_likelihood(phi) - float(np.mean(want))))
    return Measurement(0.0, _worst_generic(SEED + 3, error), 1e-9, _ROUND)


@claim("ch03.conditionals",
       title="E[h|φ] = σ_h²Wᵀφ + η and E[φ|h] = Wh/μ² are the joint Gaussian's conditional means",
       source="AartsLuciniPark2024 eq. (2)")
def _conditionals(quick):
    def error(m, mean, S, g):
        V = m.n_visible
        x = g.multivariate_normal(mean, S, size=10)
        # E[h|φ] = μ_h + Σ_hφ Σ_φφ⁻¹ (φ − μ_φ), and the same with the layers swapped
        eh = mean[V:] + (x[:, :V] - mean[:V]) @ np.linalg.solve(S[:V, :V], S[:V, V:])
        ev = mean[:V] + (x[:, V:] - mean[V:]) @ np.linalg.solve(S[V:, V:], S[V:, :V])
        return _nanmax(float(np.max(np.abs(m.mean_h_given_v(x[:, :V]) - eh))),
                       float(np.max(np.abs(m.mean_v_given_h(x[:, V:]) - ev))))
    return Measurement(0.0, _worst_generic(SEED + 4, error), 1e-10, _ROUND)


def free_field_covariance_deviation(n_samples, seed=SEED):
    """max over entries of |sample covariance − K⁻¹| / SE for the Gaussian free-field sampler
    :func:`rbmphys.datasets.sample_free_field`, at a 1D lattice kernel (m² = 0.6, 5 sites) and a
    generic SPD K (no lattice symmetry, where a transposed Cholesky factor shows).  Expected side:
    ``np.linalg.inv(K)``; SE of entry (i, j): √((Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/N) (Wishart)."""
    g = np.random.default_rng(seed)
    A = g.normal(size=(5, 5))
    kernels = [rp.datasets.lattice_kernel((5,), 0.6), A @ A.T + 0.5 * np.eye(5)]
    worst = 0.0
    for i, K in enumerate(kernels):
        phi = rp.datasets.sample_free_field(K, n_samples, rng=seed + i)
        S = np.linalg.inv(K)
        C = phi.T @ phi / n_samples             # mean zero by construction
        se = np.sqrt((np.outer(np.diag(S), np.diag(S)) + S ** 2) / n_samples)
        worst = max(worst, float(np.max(np.abs(C - S) / se)))
    return worst


@claim("ch03.free_field_covariance",
       title="free-field samples have covariance K⁻¹ (lattice and generic K), entry by entry",
       source="AartsLuciniPark2024 eqs. (11)-(13): the target of the scalar-field RBM")
def _free_field_cov(quick):
    n = 20000 if quick else 200000
    return Measurement(0.0, free_field_covariance_deviation(n), 4.5,
                       f"{n} samples; largest of 30 entries (2 kernels × 15) in Wishart "
                       "standard errors; 4.5 SE (p ≈ 2e-4 over 30 comparisons)", "le")
