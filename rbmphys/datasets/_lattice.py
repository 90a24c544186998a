r"""Free scalar fields on a lattice: the target distributions of Chapters 3-5.

A free field with mass :math:`m` on a periodic lattice has the Gaussian action
:math:`S(\phi) = \tfrac12\phi^TK_\phi\phi` with the lattice Laplacian kernel

.. math::

    \text{1D (77):}\quad K^\phi_{ij} = (2 + m^2)\delta_{ij} - \delta_{i,j+1} - \delta_{i,j-1}
    \quad(\text{indices mod } N),

    \text{2D (82)-(83):}\quad K^{2d} = m^2\,\mathbb 1 + \Delta^{1d}_{N_x}\otimes\mathbb 1
    + \mathbb 1\otimes\Delta^{1d}_{N_y},\qquad \Delta^{1d} = 2\,\mathbb 1 - \text{shift}
    - \text{shift}^T,

with the spectra (79), (82)

.. math::

    \kappa_k = m^2 + 2 - 2\cos\frac{2\pi k}{N},\qquad
    \kappa_{\mathbf k} = m^2 + 4 - 2\cos\frac{2\pi k_x}{N_x} - 2\cos\frac{2\pi k_y}{N_y}.

Samples are exact draws from :math:`\mathcal N(0, K_\phi^{-1})` (Cholesky factor).  An RBM
reproduces the field exactly when :math:`\mu^2\mathbb 1 - \sigma_h^2WW^T = K_\phi`, i.e.
:math:`WW^T = (\mu^2 - K_\phi)/\sigma_h^2` (Eqs. (13)-(16) of [AartsLuciniPark2024]_), which
needs :math:`\mu^2 \ge \kappa_\max`: the Cholesky factor (lower triangular) or the symmetric
square root are two solutions, and :math:`W \to WO` with any orthogonal :math:`O` gives all
others (the rotation freedom (17)-(18)).

Introduced in Chapter 3.

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, stats

from .._validation import as_float_array, as_generator, check_int, check_real

__all__ = ["lattice_kernel", "lattice_spectrum", "sample_free_field", "rbm_weights_from_kernel",
           "random_rotation"]


def _shape(shape):
    if np.ndim(shape) == 0:
        shape = (shape,)
    shape = tuple(shape)
    if len(shape) not in (1, 2):
        raise ValueError(f"shape must be (N,) for a 1D or (Nx, Ny) for a 2D lattice, got "
                         f"{shape!r}")
    return tuple(check_int(n, "lattice size", 2) for n in shape)


def _laplacian_1d(n):
    eye = np.eye(n)
    shift = np.roll(eye, 1, axis=1)
    return 2 * eye - shift - shift.T


def lattice_kernel(shape, m2):
    r"""The free-field kernel :math:`K_\phi` (periodic), Eq. (77) (1D) or (82)-(83) (2D,
    flattened row-major: site (x, y) is index x·N_y + y).

    Parameters
    ----------
    shape : (N,) or (Nx, Ny)
        Lattice sizes (>= 2; a 2-site ring has a doubled bond).
    m2 : float > 0
        Mass squared :math:`m^2`.

    Examples
    --------
    >>> K = lattice_kernel((10,), 4.0)
    >>> np.round(np.linalg.eigvalsh(K), 3).tolist()
    [4.0, 4.382, 4.382, 5.382, 5.382, 6.618, 6.618, 7.618, 7.618, 8.0]
    """
    shape = _shape(shape)
    m2 = check_real(m2, "m2 (mass squared)", low=0, low_open=True)
    if len(shape) == 1:
        return m2 * np.eye(shape[0]) + _laplacian_1d(shape[0])
    nx, ny = shape
    return (m2 * np.eye(nx * ny) + np.kron(_laplacian_1d(nx), np.eye(ny))
            + np.kron(np.eye(nx), _laplacian_1d(ny)))


def lattice_spectrum(shape, m2):
    r"""The eigenvalues of :func:`lattice_kernel` in closed form (79), (82), sorted."""
    shape = _shape(shape)
    m2 = check_real(m2, "m2 (mass squared)", low=0, low_open=True)
    parts = [2 - 2 * np.cos(2 * np.pi * np.arange(n) / n) for n in shape]
    if len(shape) == 1:
        return np.sort(m2 + parts[0])
    return np.sort((m2 + parts[0][:, None] + parts[1][None, :]).ravel())


def _symmetric_kernel(K):
    """``K`` as a float array if it is a square symmetric matrix (to rounding: 1e-12 of its
    largest entry); a kernel of a field theory is symmetric, and the Cholesky factor and the
    eigendecomposition would silently use only one triangle of a non-symmetric one."""
    K = as_float_array(K, "kernel K", ndim=2)
    if K.shape[0] != K.shape[1] or K.shape[0] < 1:
        raise ValueError(f"kernel K must be a square matrix, got shape {K.shape}")
    asym = float(np.max(np.abs(K - K.T)))
    if asym > 1e-12 * max(1.0, float(np.max(np.abs(K)))):
        raise ValueError(f"kernel K must be symmetric; max |K - K^T| = {asym:.3g}")
    return K


def sample_free_field(K, n_samples, *, rng=None):
    r"""Exact samples :math:`\phi\sim\mathcal N(0, K^{-1})`: :math:`\phi = L^{-T}z` with
    :math:`K = LL^T` (Cholesky) and :math:`z\sim\mathcal N(0, \mathbb 1)`.  (n_samples, N)."""
    K = _symmetric_kernel(K)
    n = check_int(n_samples, "n_samples", 1)
    try:
        L = linalg.cholesky(K, lower=True)
    except linalg.LinAlgError:
        raise ValueError("kernel K must be symmetric positive definite") from None
    z = as_generator(rng).standard_normal((K.shape[0], n))
    return linalg.solve_triangular(L.T, z, lower=False).T


def rbm_weights_from_kernel(K, mu2, sigma_h2=1.0, kind="cholesky"):
    r"""Couplings :math:`W` (N × N) of an RBM whose kernel is exactly ``K``:
    :math:`WW^T = (\mu^2\mathbb 1 - K)/\sigma_h^2` (Eqs. (13)-(16)).

    ``kind="cholesky"``: the lower-triangular factor; ``"symmetric"``: the symmetric square root
    :math:`O\sqrt{D}O^T`.  Requires :math:`\mu^2 \ge \kappa_\max` (strictly for Cholesky).
    """
    K = _symmetric_kernel(K)
    mu2 = check_real(mu2, "mu2", low=0, low_open=True)
    sigma_h2 = check_real(sigma_h2, "sigma_h2", low=0, low_open=True)
    M = (mu2 * np.eye(len(K)) - K) / sigma_h2
    evals, O = np.linalg.eigh(0.5 * (M + M.T))
    if evals.min() < -1e-10 * max(1.0, abs(evals).max()):
        raise ValueError(f"mu2 = {mu2:g} is below the largest eigenvalue of K "
                         f"({np.linalg.eigvalsh(K).max():.6g}): W W^T = (mu2 - K)/sigma_h2 "
                         "would not be positive semi-definite (Eq. (14))")
    if kind == "symmetric":
        return (O * np.sqrt(np.clip(evals, 0, None))) @ O.T
    if kind == "cholesky":
        try:
            return linalg.cholesky(M, lower=True)
        except linalg.LinAlgError:
            raise ValueError("the Cholesky solution needs mu2 strictly above the largest "
                             "eigenvalue of K; use kind='symmetric' at equality") from None
    raise ValueError(f"kind must be 'cholesky' or 'symmetric', got {kind!r}")


def random_rotation(n, *, rng=None):
    """A Haar-random orthogonal n × n matrix (``scipy.stats.ortho_group``): W → W O leaves
    W Wᵀ, hence the RBM's kernel, unchanged (Eq. (17))."""
    n = check_int(n, "n", 1)
    if n == 1:
        return np.ones((1, 1))
    return stats.ortho_group.rvs(n, random_state=as_generator(rng))
