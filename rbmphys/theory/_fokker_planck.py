r"""Spectra of one-dimensional Fokker–Planck operators by discretisation (Chapter 7).

Two independent numerical routes to the relaxation rates of
:math:`\partial_t p = \partial_z(p\,\Phi') + \partial_z^2p` (Toledo-Marin et al. (33)):

* :func:`fokker_planck_spectrum` — a finite-volume master equation on a grid with hopping rates
  :math:`r_{i\to i\pm1} = h^{-2}e^{-(\Phi_{i\pm1} - \Phi_i)/2}` (detailed balance with
  :math:`e^{-\Phi}` exactly, second-order accurate); its symmetrised generator is tridiagonal;
* :func:`schrodinger_spectrum` — the Schrödinger operator :math:`-\partial_z^2 + V_s`,
  :math:`V_s = \Phi'^2/4 - \Phi''/2` (36), by central differences with Dirichlet walls.

Both are tridiagonal symmetric eigenproblems (``scipy.linalg.eigh_tridiagonal``). For a
quadratic Φ both give :math:`n\Gamma` (48); for a double well the smallest nonzero rate is the
Kramers rate of crossing the barrier.

Introduced in Chapter 7.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh_tridiagonal

__all__ = ["fokker_planck_spectrum", "schrodinger_spectrum"]


#: Largest grid the spectra accept (a million points: about 5 s; the error of the rates
#: falls as 1/n_grid^2, so 10^4 to 10^5 points are already converged to 1e-8).
MAX_GRID = 1_000_000


def _check_grid(n_grid, k, L, center):
    from .._validation import check_int, check_real
    n_grid = check_int(n_grid, "n_grid", 4, MAX_GRID,
                       hint="the error falls as 1/n_grid^2: 10^4-10^5 points converge the rates")
    k = check_int(k, "k (number of eigenvalues)", 1, n_grid - 3)
    L = check_real(L, "L (half-width of the box)", low=0, low_open=True)
    center = check_real(center, "center")
    return n_grid, k, L, center


def fokker_planck_spectrum(phi, L, n_grid=4000, k=6, center=0.0):
    """The ``k`` smallest relaxation rates of the 1D Fokker–Planck operator with potential
    ``phi`` (a vectorised callable) on [center − L, center + L] with reflecting walls.
    ``n_grid`` is at most :data:`MAX_GRID` (a million points take about 5 s)."""
    n_grid, k, L, center = _check_grid(n_grid, k, L, center)
    z = np.linspace(center - L, center + L, n_grid)
    h = z[1] - z[0]
    p = np.asarray(phi(z), dtype=np.float64)
    dp = np.diff(p)
    r_up = np.exp(-dp / 2) / h**2            # i → i+1
    r_dn = np.exp(dp / 2) / h**2             # i+1 → i
    diag = np.zeros(len(z))
    diag[:-1] += r_up
    diag[1:] += r_dn
    off = -np.sqrt(r_up * r_dn)              # symmetrised with e^{-Φ/2}: detailed balance
    vals = eigh_tridiagonal(diag, off, select="i", select_range=(0, k - 1),
                            eigvals_only=True)
    return vals


def schrodinger_spectrum(dphi, d2phi, L, n_grid=4000, k=6, center=0.0):
    r"""The ``k`` smallest eigenvalues of :math:`-\partial_z^2 + \Phi'^2/4 - \Phi''/2` on
    [center − L, center + L] with Dirichlet walls (``dphi``, ``d2phi`` vectorised callables)."""
    n_grid, k, L, center = _check_grid(n_grid, k, L, center)
    z = np.linspace(center - L, center + L, n_grid)[1:-1]
    h = z[1] - z[0]
    V = np.asarray(dphi(z)) ** 2 / 4 - np.asarray(d2phi(z)) / 2
    diag = 2.0 / h**2 + V
    off = np.full(len(z) - 1, -1.0 / h**2)
    return eigh_tridiagonal(diag, off, select="i", select_range=(0, k - 1), eigvals_only=True)
