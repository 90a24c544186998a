r"""Gaussian units: conditional sampling with the counter RNG (jit-compiled) and its NumPy twin.

A Gaussian unit with variance :math:`s^2` and self-energy :math:`x^2/(2s^2)` in a field
:math:`f = \text{pre} + \text{bias}` has, at inverse temperature :math:`\beta`,

.. math::

    p(x \mid f) \propto e^{-\beta (x^2/(2 s^2) - x f)} = \mathcal N\big(s^2 f,\; s^2/\beta\big),

drawn by Box–Muller *in pairs*: one radius and one angle give two independent normals,

.. math::

    x_i = s^2 f_i + \sqrt{s^2/\beta}\;r\cos\theta, \qquad
    x_{h+i} = s^2 f_{h+i} + \sqrt{s^2/\beta}\;r\sin\theta, \qquad r = \sqrt{-2\ln u},

for the units :math:`i` and :math:`h + i` of a chain's row (:math:`h = \lfloor n/2\rfloor`),
with :math:`u` from the 32 random bits of unit :math:`i`'s counter and :math:`\theta` from those
of unit :math:`h + i` (the top two bits pick the quarter, the other 30 the angle within it:
:func:`rbmphys.kernels._normal.quarter_sincos64`).  Counters are
:math:`n = \text{chain}\cdot n_\text{units} + \text{unit}` under the half-step's key, so the
samples do not depend on the number of threads or the split of the chains; the last unit of an
odd layer takes its angle from a second key derived from it.  One hash, half a logarithm, half a
square root and half a sine–cosine pair per unit (rbmphys 0.3.1 drew two uniforms, a logarithm, a
square root and a cosine for each unit and threw the sine away).  The uniforms have resolution
:math:`2^{-31}` and never reach 0, so :math:`r < 6.7`: the Gaussian tail beyond 6.7σ
(probability 2e-11 per unit) is cut.

One fused numba pass over the GEMM output per chain row: the row's hashes first (a 32-bit
integer loop, twice the SIMD lanes of the float64 arithmetic; fused with it, ×1.3 slower), then
the pairs.  float64 models compute in float64 (:func:`~rbmphys.kernels._normal.log64`, errors
< 1e-15), float32 models in float32 (:func:`~rbmphys.kernels._normal.log32` and
:func:`~rbmphys.kernels._normal.quarter_sincos32`, errors < 2e-7, below the float32 rounding of
the sample; twice the SIMD width; the uniform of the radius keeps the :math:`2^{-31}`
resolution near 0, where the tail is).  On the 2-core AVX-512 development machine this pass
costs 0.5 ns (float32) / 1.1 ns (float64) per unit, against 2.4 / 3.6 ns for the
unit-by-unit Box–Muller of 0.3.1.  :func:`sample_gaussian_np` reproduces it bit for bit (the
same IEEE operations in the same order, no ``fastmath``).

Introduced in Chapter 3 (the scalar-field RBM).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._normal import (log32, log32_np, log64, log64_np, quarter_sincos32,
                      quarter_sincos32_np, quarter_sincos64, quarter_sincos64_np, uniform31_f32,
                      uniform31_f32_np)
from ._rng import (_G32, F32, U32, bits_to_uniform64, check_counter_range, derive_key,
                   hash_counter_np, hash_weyl, split_key, weyl)

__all__ = ["sample_gaussian", "sample_gaussian_np"]

_F_M2 = F32(-2.0)


def _radius(bits, sd):
    """sd·√(−2 ln u) with u the uniform of 32 random bits, in the precision of ``sd``."""
    raise NotImplementedError                  # compiled only (the overload below)


def _angle(bits, sd):
    """(cos θ, sin θ) of the angle of 32 random bits, in the precision of ``sd``."""
    raise NotImplementedError


@overload(_radius)
def _radius_impl(bits, sd):
    if sd == types.float32:
        return lambda bits, sd: sd * np.sqrt(_F_M2 * log32(uniform31_f32(bits)))
    return lambda bits, sd: sd * np.sqrt(-2.0 * log64(bits_to_uniform64(bits)))


@overload(_angle)
def _angle_impl(bits, sd):
    if sd == types.float32:
        return lambda bits, sd: quarter_sincos32(bits)
    return lambda bits, sd: quarter_sincos64(bits)


@njit(cache=True, error_model="numpy")
def _sample_gauss(pre, bias, var, sd, k0, k1, j0, j1, chain0, out):
    # per chain two passes: the n 32-bit hashes first (16 SIMD lanes), then the Box–Muller
    # pairs (i, h + i); fused, LLVM runs the hashes at the float width (×1.3 slower)
    B, n = pre.shape
    h = n // 2
    bits = np.empty(n, np.uint32)
    for c in range(B):
        row = (chain0 + c) * n
        w = weyl(row)                            # counter row + i, as a Weyl sum
        for i in range(n):
            bits[i] = hash_weyl(k0, k1, w)
            w = U32(w + _G32)
        for i in range(h):
            r = _radius(bits[i], sd)
            cs, sn = _angle(bits[h + i], sd)
            out[c, i] = var * (pre[c, i] + bias[i]) + r * cs
            out[c, h + i] = var * (pre[c, h + i] + bias[h + i]) + r * sn
        if n & 1:                                # an odd layer's last unit: a second key
            cs, _ = _angle(hash_weyl(j0, j1, weyl(row + n - 1)), sd)
            out[c, n - 1] = var * (pre[c, n - 1] + bias[n - 1]) + _radius(bits[n - 1], sd) * cs


def _keys(key):
    k0, k1 = split_key(key)
    j0, j1 = split_key(_odd_key(key))
    return k0, k1, j0, j1


def _odd_key(key):
    """Key of the angle of an odd layer's last unit."""
    return derive_key(key, 0x6A55)


def sample_gaussian(pre, bias, variance, beta, key, chain0=0, out=None):
    """Draw ``out[c, i] ~ N(variance·(pre + bias), variance/beta)`` (see the module docstring).

    Parameters
    ----------
    pre : ndarray (B, n), float32 or float64, C-contiguous
        The BLAS product of the other layer with the weights.
    bias : ndarray (n,), same dtype
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
        Must not alias ``pre`` in hot loops (the SIMD path needs distinct buffers).
    """
    if out is None:
        out = np.empty_like(pre)
    check_counter_range(pre.shape[0], pre.shape[1], chain0)
    k0, k1, j0, j1 = _keys(key)
    sd = math.sqrt(variance / beta)
    if pre.dtype == np.float32:
        _sample_gauss(pre, np.asarray(bias, F32), F32(variance), F32(sd), k0, k1, j0, j1,
                      int(chain0), out)
    else:
        _sample_gauss(pre, np.asarray(bias, np.float64), float(variance), sd, k0, k1, j0, j1,
                      int(chain0), out)
    return out


def sample_gaussian_np(pre, bias, variance, beta, key, chain0=0):
    """NumPy twin of :func:`sample_gaussian` (test oracle; slow): the same numbers from the
    same key and counters (the same IEEE operations in the same order)."""
    from .reference import counters
    pre = np.asarray(pre)
    dt = pre.dtype.type
    B, n = pre.shape
    h = n // 2
    bits = hash_counter_np(key, counters(B, n, chain0))
    mean = dt(variance) * (pre + np.asarray(bias, dt)[None, :])
    sd = dt(math.sqrt(variance / beta))
    if dt is F32:
        def radius(b):
            return sd * np.sqrt(F32(-2.0) * log32_np(uniform31_f32_np(b)))
        turn = quarter_sincos32_np
    else:
        def radius(b):
            return sd * np.sqrt(-2.0 * log64_np(_bits_to_uniform64_np(b)))
        turn = quarter_sincos64_np
    out = np.empty_like(mean)
    r = radius(bits[:, :h])
    cs, sn = turn(bits[:, h:2 * h])
    out[:, :h] = mean[:, :h] + r * cs
    out[:, h:2 * h] = mean[:, h:2 * h] + r * sn
    if n & 1:
        cs, _ = turn(hash_counter_np(_odd_key(key), counters(B, n, chain0)[:, -1]))
        out[:, -1] = mean[:, -1] + radius(bits[:, -1]) * cs
    return out


def _bits_to_uniform64_np(bits):
    """float64 uniforms from 32 random bits, as :func:`rbmphys.kernels._rng.bits_to_uniform64`."""
    return ((np.asarray(bits, np.uint32) >> U32(1)).astype(np.int32).astype(np.float64)
            + 0.5) * 2.0**-31
