r"""Rotational symmetry of RBM weights and its breaking; the large-deviation free energy of one
reciprocal mode (Toledo-Marin et al. Sec. 5, eqs. (49)-(55); Chapter 8).

* At initialisation :math:`P(W) \propto e^{-\mathrm{Tr}(W^TW)/2\sigma_W^2}` (49) depends on W
  only through its singular values, so rotating the singular vectors, :math:`U \to RUR^T` (the
  authors' conjugation; :math:`U \to RU` works as well) leaves the distribution unchanged
  (50). Training picks directions: after it, rotated weights look different — measured by
  the Jensen–Shannon divergence between weight histograms (:func:`js_divergence`).
* A reciprocal variable :math:`z = \sum_i c_i s_i` of independent centred bits
  :math:`s_i = v_i - \tfrac12` has the cumulant generating function
  :math:`\mathcal K(t) = \sum_i\ln\cosh(tc_i/2)`; its constraint potential is, to exponential
  accuracy in the number of bits (the saddle point of eq. (26)), the Legendre transform
  :math:`V_c(z) = \sup_t[tz - \mathcal K(t)]`, with :math:`V_c'(z) = t(z)` solving
  :math:`\mathcal K'(t) = z` (:func:`constraint_force`). Adding the mode's energy
  :math:`-\sigma z^2/2` gives the Landau free energy whose minima are the order parameter
  (:func:`ordered_minimum`).

**Reconstructed equations.** (49)-(55) are reconstructed in the book's appendix A.10; the
rotation convention follows the authors' ``rotational_symmetry.jl``.

Introduced in Chapter 8.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats
from scipy.spatial import distance

from .._validation import as_float_array, as_generator, check_real

__all__ = ["log_gaussian_prior", "random_rotation", "rotate_singular_vectors", "rotate_except",
           "js_divergence",
           "constraint_force", "ordered_minimum"]


def log_gaussian_prior(W, sigma_w):
    r""":math:`\ln P(W)` of i.i.d. :math:`\mathcal N(0, \sigma_W^2)` entries, eq. (49):
    :math:`-\tfrac{NM}{2}\ln(2\pi\sigma_W^2) - \mathrm{Tr}(W^TW)/(2\sigma_W^2)`."""
    W = as_float_array(W, "W", ndim=2)
    sigma_w = check_real(sigma_w, "sigma_w", low=0.0, low_open=True)
    return float(-0.5 * W.size * np.log(2 * np.pi * sigma_w**2)
                 - np.sum(W * W) / (2 * sigma_w**2))


def random_rotation(n, rng=None):
    """A Haar-random rotation of :math:`\\mathbb R^n` (``scipy.stats.special_ortho_group``)."""
    return stats.special_ortho_group.rvs(int(n), random_state=as_generator(rng))


def rotate_singular_vectors(W, R, *, side="visible", conjugate=False):
    r"""Weights with rotated singular vectors, eq. (50): :math:`W' = U'\Sigma V^T` with
    :math:`U' = RUR^T` (``conjugate``, the authors' convention) or :math:`U' = RU`; with
    ``side="hidden"`` the same for V. The singular values are unchanged."""
    W = as_float_array(W, "W", ndim=2)
    R = as_float_array(R, "R", ndim=2)
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    if side == "visible":
        if R.shape != (W.shape[0], W.shape[0]):
            raise ValueError(f"R must be {W.shape[0]}×{W.shape[0]} for the visible side")
        Uf, _, _ = np.linalg.svd(W, full_matrices=True)
        Ur = R @ Uf @ R.T if conjugate else R @ Uf
        return (Ur[:, :len(s)] * s) @ Vt
    if side == "hidden":
        if R.shape != (W.shape[1], W.shape[1]):
            raise ValueError(f"R must be {W.shape[1]}×{W.shape[1]} for the hidden side")
        _, _, Vtf = np.linalg.svd(W, full_matrices=True)
        Vr = R @ Vtf.T @ R.T if conjugate else R @ Vtf.T
        return (U * s) @ Vr[:, :len(s)].T
    raise ValueError(f"side must be 'visible' or 'hidden', got {side!r}")


def rotate_except(W, keep, rng=None):
    r"""Rotate the visible singular vectors among themselves except the ``keep`` leading ones:
    :math:`U' = U\,\mathrm{diag}(\mathbb 1_\text{keep}, R)` with a Haar-random R, and
    :math:`W' = U'\Sigma V^T` (the paper's Fig. 6: "rotating ... around all but the two
    dimensions associated with the largest singular values"). The leading modes are untouched;
    every other mode's visible pattern is replaced by a random mixture of the others."""
    W = as_float_array(W, "W", ndim=2)
    U, s, Vt = np.linalg.svd(W, full_matrices=True)
    n = U.shape[0]
    if not 0 <= keep < n - 1:
        raise ValueError(f"keep must be in [0, {n - 2}], got {keep}")
    B = np.eye(n)
    B[keep:, keep:] = random_rotation(n - keep, rng)
    Ur = U @ B
    return (Ur[:, :len(s)] * s) @ Vt


def js_divergence(a, b, *, bins=1000, value_range=None):
    r"""Jensen–Shannon divergence (bits, in [0, 1]) between the histograms of two samples
    (the paper's Fig. 4 uses 1000 bins of the weights); ``scipy.spatial.distance.
    jensenshannon`` returns its square root."""
    a, b = np.ravel(a), np.ravel(b)
    if value_range is None:
        value_range = (min(a.min(), b.min()), max(a.max(), b.max()))
    pa, _ = np.histogram(a, bins=bins, range=value_range)
    pb, _ = np.histogram(b, bins=bins, range=value_range)
    return float(distance.jensenshannon(pa, pb, base=2) ** 2)


def constraint_force(c, z):
    r""":math:`V_c'(z) = t(z)`, the solution of :math:`\sum_i (c_i/2)\tanh(tc_i/2) = z`: the
    slope of the large-deviation constraint potential of :math:`z = \sum_i c_i(v_i - \tfrac12)`
    under uniform bits (see the module docstring). ``z`` must lie inside
    :math:`(-\sum|c_i|/2, \sum|c_i|/2)`. Solved by ``scipy.optimize.brentq`` to 1e-15."""
    c = as_float_array(c, "c", ndim=1)
    zmax = 0.5 * np.sum(np.abs(c))
    out = []
    for zz in np.atleast_1d(z):
        if not abs(zz) < zmax:
            raise ValueError(f"z = {zz} is outside the range ±{zmax:.4g} of the variable")
        if zz == 0:
            out.append(0.0)
            continue
        f = lambda t: 0.5 * np.sum(c * np.tanh(0.5 * t * c)) - zz      # noqa: E731
        hi = 1.0
        while np.sign(f(hi * np.sign(zz))) != np.sign(zz):
            hi *= 2.0
        lo_, hi_ = (0.0, hi) if zz > 0 else (-hi, 0.0)
        out.append(optimize.brentq(f, lo_, hi_, xtol=1e-15, rtol=4 * np.finfo(float).eps))
    return np.array(out) if np.ndim(z) else float(out[0])


def ordered_minimum(c, sigma):
    r"""The positive minimum of the mode's free energy :math:`F(z) = -\sigma z^2/2 + V_c(z)`,
    i.e. the root of :math:`t(z) = \sigma z` (0 when :math:`\sigma \le 1/\kappa_2`, the critical
    point: :math:`\kappa_2 = \sum c_i^2/4`)."""
    c = as_float_array(c, "c", ndim=1)
    sigma = check_real(sigma, "sigma", low=0.0)
    k2 = 0.25 * float(np.sum(c * c))
    if sigma * k2 <= 1.0:
        return 0.0
    zmax = 0.5 * np.sum(np.abs(c))
    g = lambda z: constraint_force(c, z) - sigma * z                   # noqa: E731
    return float(optimize.brentq(g, 1e-12 * zmax, zmax * (1 - 1e-12), xtol=1e-15))
