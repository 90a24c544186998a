r"""Gaussian units: conditional sampling with the counter RNG (jit-compiled) and its NumPy twin.

A Gaussian unit with variance :math:`s^2` and self-energy :math:`x^2/(2s^2)` in a field
:math:`f = \text{pre} + \text{bias}` has, at inverse temperature :math:`\beta`,

.. math::

    p(x \mid f) \propto e^{-\beta (x^2/(2 s^2) - x f)} = \mathcal N\big(s^2 f,\; s^2/\beta\big),

drawn by Box–Muller from two counter uniforms,

.. math::

    x = s^2 f + \sqrt{s^2/\beta}\;\sqrt{-2\ln u_1}\,\cos(2\pi u_2),

with :math:`u_1 = u(k, n)` and :math:`u_2 = u(k', n)` for the unit's counter
:math:`n = \text{chain}\cdot n_\text{units} + \text{unit}` and two keys derived from the
half-step's key: the same samples for any number of threads or split of the chains.  The
uniforms have resolution :math:`2^{-31}` and never reach 0 or 1, so :math:`|z| < 6.7`: the
Gaussian tail beyond 6.7σ (probability 2e-11) is cut.

float32 models draw in float64 and round once at the end, so kernel and twin agree bit for bit
for both dtypes.  The logarithm and cosine are the vectorisable polynomials of
:mod:`rbmphys.kernels._normal` (errors < 1e-15; libm's scalar calls made this pass ×7 slower
and the Gibbs step of a scalar-field RBM ×4–7 its GEMM floor), which NumPy reproduces bit for
bit.

Introduced in Chapter 3 (the scalar-field RBM).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._normal import box_muller, box_muller_np
from ._rng import (_G32, U32, bits_to_uniform64, check_counter_range, derive_key, hash_weyl,
                   split_key, uniform64_np, weyl)

__all__ = ["sample_gaussian", "sample_gaussian_np"]



@njit(cache=True, error_model="numpy")
def _sample_gauss(pre, bias, var, sd, k0, k1, j0, j1, chain0, out):
    B, n = pre.shape
    for c in range(B):
        w = weyl((chain0 + c) * n)               # counter (chain0 + c)·n + i, as a Weyl sum
        for i in range(n):
            u1 = bits_to_uniform64(hash_weyl(k0, k1, w))
            u2 = bits_to_uniform64(hash_weyl(j0, j1, w))
            w = U32(w + _G32)
            z = box_muller(u1, u2)
            m = var * (np.float64(pre[c, i]) + np.float64(bias[i]))
            out[c, i] = m + sd * z


def _keys(key):
    k0, k1 = split_key(key)
    j0, j1 = split_key(derive_key(key, 0x6A55))
    return k0, k1, j0, j1


def sample_gaussian(pre, bias, variance, beta, key, chain0=0, out=None):
    """Draw ``out[c, i] ~ N(variance·(pre + bias), variance/beta)`` (see the module docstring).

    Parameters
    ----------
    pre : ndarray (B, n), float32 or float64
        The BLAS product of the other layer with the weights.
    bias : ndarray (n,)
        Linear field of the units.
    variance : float
        :math:`s^2` of the units.
    beta : float
        Inverse temperature (> 0).
    key : int
        64-bit key of this half-step.
    chain0 : int
        Global index of the first chain (for chain slices).
    out : ndarray (B, n), optional
    """
    if out is None:
        out = np.empty_like(pre)
    check_counter_range(pre.shape[0], pre.shape[1], chain0)
    k0, k1, j0, j1 = _keys(key)
    _sample_gauss(pre, bias, float(variance), math.sqrt(variance / beta), k0, k1, j0, j1,
                  int(chain0), out)
    return out


def sample_gaussian_np(pre, bias, variance, beta, key, chain0=0):
    """NumPy twin of :func:`sample_gaussian` (test oracle; slow): same bits."""
    from .reference import counters
    pre = np.asarray(pre)
    cnt = counters(pre.shape[0], pre.shape[1], chain0)
    k0, k1, j0, j1 = _keys(key)
    u1 = uniform64_np(key, cnt)
    u2 = uniform64_np(derive_key(key, 0x6A55), cnt)
    z = box_muller_np(u1, u2)
    m = float(variance) * (pre.astype(np.float64) + np.asarray(bias).astype(np.float64)[None, :])
    return (m + math.sqrt(variance / beta) * z).astype(pre.dtype)
