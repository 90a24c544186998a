r"""Random-matrix tools for RBM weights: the Marchenko–Pastur law of singular values, eq. (20)
of Toledo-Marin et al. (derived in the book's appendix A.7), and kurtosis.

For an :math:`N\times M` matrix with i.i.d. entries of variance :math:`\sigma_W^2` (an RBM at
initialisation) the singular values are distributed, for large N and M, with density

.. math::

    \rho(\sigma) = \frac{1}{\pi q\,\sigma}\sqrt{(\sigma_+^2 - \sigma^2)(\sigma^2 - \sigma_-^2)},
    \qquad \sigma_\pm = \sigma_W\,\big|\sqrt N \pm \sqrt M\big|,\qquad q = \min(N, M)\,\sigma_W^2

on :math:`[\sigma_-, \sigma_+]`, with its maximum at :math:`\sigma^* = \sqrt{\sigma_+\sigma_-}
= \sigma_W\sqrt{|N - M|}`. (The authors' plotting code normalises with :math:`q = M\sigma_W^2`,
right only for M ≤ N; the normalisation here integrates to one for either shape — tested.)

:class:`MarchenkoPastur` is a ``scipy.stats.rv_continuous``: ``pdf``, ``cdf``, ``ppf``,
``rvs``, ``moment``, ``mean`` and the KS test (``scipy.stats.kstest(s, mp.cdf)``) come from
scipy; we write only the density and, because scipy's default CDF calls ``quad`` once per
point, the CDF: in :math:`t = \sigma^2 = t_- + (t_+ - t_-)\sin^2\phi` the integrand is smooth
(the square-root edges disappear) and 200-point Gauss–Legendre quadrature is exact to ~1e-12.

Introduced in Chapter 6.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .._validation import check_int, check_real

__all__ = ["MarchenkoPastur", "marchenko_pastur", "mp_peak", "random_singular_values"]


class MarchenkoPastur(stats.rv_continuous):
    r"""Marchenko–Pastur density of the singular values of an N×M Gaussian matrix with entry
    standard deviation ``sigma_w`` (see the module docstring, eq. (20)).

    Use :func:`marchenko_pastur` to build one.
    """

    def __init__(self, n, m, sigma_w):
        self.n, self.m, self.sigma_w = int(n), int(m), float(sigma_w)
        self.lo = sigma_w * abs(np.sqrt(n) - np.sqrt(m))
        self.hi = sigma_w * (np.sqrt(n) + np.sqrt(m))
        self.q = min(n, m) * sigma_w ** 2
        super().__init__(a=self.lo, b=self.hi, name="marchenko_pastur")
        # Gauss–Legendre nodes in φ ∈ [0, π/2] for the CDF (t = σ² substitution)
        self._x, self._w = np.polynomial.legendre.leggauss(200)

    def _pdf(self, s):
        s = np.asarray(s, dtype=np.float64)
        arg = (self.hi**2 - s**2) * (s**2 - self.lo**2)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.sqrt(np.clip(arg, 0.0, None)) / (np.pi * self.q * s)
        return np.where((s > self.lo) & (s < self.hi), out, 0.0)

    def _cdf(self, s):
        # ∫ ρ(σ) dσ = ∫ √((t₊ − t)(t − t₋)) / (2π q t) dt with t = σ²; t = t₋ + Δ sin²φ makes
        # the integrand smooth: √(...) dt = Δ² sin²φ cos²φ · 2 dφ
        s = np.atleast_1d(np.asarray(s, dtype=np.float64))
        tl, th = self.lo**2, self.hi**2
        d = th - tl
        phi_max = np.arcsin(np.sqrt(np.clip((s**2 - tl) / d, 0.0, 1.0)))
        out = np.empty_like(phi_max)
        for k, pm in enumerate(phi_max):
            phi = 0.5 * pm * (self._x + 1.0)
            t = tl + d * np.sin(phi) ** 2
            f = 2.0 * d**2 * np.sin(phi) ** 2 * np.cos(phi) ** 2 / (2 * np.pi * self.q * t)
            out[k] = 0.5 * pm * np.sum(self._w * f)
        # for N ≠ M there is no atom; for N = M the lower edge is 0 and t = 0 is integrable
        return np.clip(out, 0.0, 1.0)

    @property
    def peak(self):
        r""":math:`\sigma^* = \sigma_W\sqrt{|N - M|}`, where ρ is largest (for N ≠ M)."""
        return mp_peak(self.n, self.m, self.sigma_w)


def marchenko_pastur(n, m, sigma_w):
    """A frozen-like :class:`MarchenkoPastur` distribution for an ``n × m`` matrix with entry
    standard deviation ``sigma_w``.

    Examples
    --------
    >>> mp = marchenko_pastur(784, 500, 0.01)
    >>> round(float(mp.cdf(mp.b)), 10), round(mp.peak, 5)
    (1.0, 0.16852)

    Introduced in Chapter 6.
    """
    n = check_int(n, "n (rows of W)", minimum=1)
    m = check_int(m, "m (columns of W)", minimum=1)
    sigma_w = check_real(sigma_w, "sigma_w", low=0.0, low_open=True)
    return MarchenkoPastur(n, m, sigma_w)


def mp_peak(n, m, sigma_w):
    r"""Position of the maximum of the Marchenko–Pastur density, :math:`\sigma_W\sqrt{|N-M|}`
    (from :math:`\rho'(\sigma) = 0`; the peak moves out with :math:`|N - M|` and
    :math:`\sigma_W`). Introduced in Chapter 6."""
    return float(sigma_w * np.sqrt(abs(n - m)))


def random_singular_values(n, m, sigma_w, *, n_samples=1, rng=None):
    """Singular values of ``n_samples`` independent n × m matrices with i.i.d.
    N(0, sigma_w²) entries (an RBM's weights at initialisation), shape (n_samples, min(n, m)).
    Introduced in Chapter 6."""
    from .._validation import as_generator
    g = as_generator(rng)
    return np.array([np.linalg.svd(g.normal(0.0, sigma_w, (n, m)), compute_uv=False)
                     for _ in range(int(n_samples))])
