r"""Gaussian deviates from two counter uniforms by Box–Muller, with a vectorisable logarithm
and cosine (jit-compiled) and their NumPy twins.

.. math::

    z = \sqrt{-2\ln u_1}\,\cos(2\pi u_2) \sim \mathcal N(0, 1)
    \qquad (u_1, u_2 \text{ independent uniforms on } (0, 1)).

libm's ``log`` and ``cos`` are scalar calls inside a numba loop (no SIMD), and they cost
~30 ns per Gaussian unit — ×5–7 the GEMM floor of a Gibbs step of the scalar-field RBM of
Chapter 3.  Here both are short polynomials built from ``+``, ``*``, one division and exponent
bits, which LLVM vectorises and NumPy reproduces bit for bit:

* :func:`log64`: :math:`u = 2^e m`, :math:`m \in [\sqrt{1/2}, \sqrt 2)` from the float's bits,
  :math:`\ln m = 2\,\mathrm{artanh}\,s = 2\sum_{k\le 9} s^{2k+1}/(2k+1)` with
  :math:`s = (m-1)/(m+1)`, :math:`|s| \le 0.172`; relative error < 1e-15 (tested against
  :func:`math.log`);
* :func:`cos2pi64`: :math:`\cos 2\pi t` for any float :math:`t`, reduced to
  :math:`x = 2\pi r`, :math:`|r| \le 1/8`, and a quadrant, then Taylor series of
  :math:`\cos x` (to :math:`x^{16}`) or :math:`\sin x` (to :math:`x^{17}`); absolute error
  < 1e-15.

The uniforms of :mod:`rbmphys.kernels._rng` have resolution :math:`2^{-31}` and never reach 0
or 1, so :math:`|z| < 6.7`.  :func:`box_muller` is used by the Langevin walkers
(:mod:`rbmphys.kernels._langevin`, Chapter 7).  The Gaussian units
(:mod:`rbmphys.kernels._gaussian`, Chapter 3) draw in pairs, :math:`(r\cos\theta, r\sin\theta)`,
with the angle built from the bits (:func:`quarter_sincos64`: the top two bits pick the quarter,
no floor) and, for float32 models, float32 polynomials (:func:`log32`, :func:`quarter_sincos32`,
errors < 2e-7; :func:`uniform31_f32` keeps the :math:`2^{-31}` resolution near 0).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._rng import F32, U32, _f32_as_i32, _f64_as_i64, _i32_as_f32, _i64_as_f64

__all__ = ["log64", "cos2pi64", "box_muller", "log64_np", "cos2pi64_np", "box_muller_np",
           "log32", "quarter_sincos64", "quarter_sincos32", "uniform31_f32", "log32_np",
           "quarter_sincos64_np", "quarter_sincos32_np", "uniform31_f32_np"]

_LN2_HI = 0.693145751953125                 # ln 2 = _LN2_HI + _LN2_LO, _LN2_HI * e exact
_LN2_LO = 1.4286068203094173e-06
_SQRT2 = math.sqrt(2.0)
_MANT = np.int64(0x000FFFFFFFFFFFFF)
_ONE_BITS = np.int64(0x3FF0000000000000)
_L = [2.0 / (2 * k + 1) for k in range(10)]           # 2/(2k+1): ln m = s Σ L_k s^{2k}
_L0, _L1, _L2, _L3, _L4, _L5, _L6, _L7, _L8, _L9 = _L
_TWO_PI = 2.0 * math.pi
_CC = [(-1.0) ** k / math.factorial(2 * k) for k in range(9)]        # cos: x^0 … x^16
_SC = [(-1.0) ** k / math.factorial(2 * k + 1) for k in range(9)]    # sin: x^1 … x^17
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8 = _CC
_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8 = _SC


@njit(cache=True, inline="always")
def _series9(a0, a1, a2, a3, a4, a5, a6, a7, a8, y):
    """a0 + a1 y + … + a8 y^8 in Estrin's scheme (short dependency chains)."""
    y2 = y * y
    y4 = y2 * y2
    return (((a0 + a1 * y) + (a2 + a3 * y) * y2) + ((a4 + a5 * y) + (a6 + a7 * y) * y2) * y4) \
        + a8 * (y4 * y4)


@njit(cache=True, inline="always")
def log64(u):
    """ln u for a positive normal float64 u (vectorisable; relative error < 1e-15)."""
    bits = _f64_as_i64(u)
    e = np.float64((bits >> 52) - 1023)
    m = _i64_as_f64((bits & _MANT) | _ONE_BITS)           # u = 2^e m, m in [1, 2)
    big = m > _SQRT2
    m = 0.5 * m if big else m
    e = e + 1.0 if big else e
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    s8 = (s2 * s2) * (s2 * s2)
    p = _series9(_L0, _L1, _L2, _L3, _L4, _L5, _L6, _L7, _L8, s2) + _L9 * ((s2 * s8) * s8)
    return e * _LN2_HI + (s * p + e * _LN2_LO)


@njit(cache=True, inline="always")
def cos2pi64(t):
    """cos(2π t) for float64 t (vectorisable; absolute error < 1e-15)."""
    t = t - np.floor(t + 0.5)                            # t in [-1/2, 1/2]
    q = np.floor(4.0 * t + 0.5)                          # quadrant, -2 … 2
    x = _TWO_PI * (t - 0.25 * q)                         # |x| <= π/4
    x2 = x * x
    c = _series9(_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, x2)
    s = x * _series9(_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, x2)
    qm = q - 4.0 * np.floor(0.25 * q)                    # q mod 4 in {0, 1, 2, 3}
    r = c if qm == 0.0 else (-s if qm == 1.0 else (-c if qm == 2.0 else s))
    return r


@njit(cache=True, inline="always")
def box_muller(u1, u2):
    """A standard normal deviate from two uniforms on (0, 1)."""
    return np.sqrt(-2.0 * log64(u1)) * cos2pi64(u2)


# ---------------------------------------------------------------------------------------------
# NumPy twins (same IEEE operations in the same order)
# ---------------------------------------------------------------------------------------------
def _series9_np(a0, a1, a2, a3, a4, a5, a6, a7, a8, y):
    y2 = y * y
    y4 = y2 * y2
    return (((a0 + a1 * y) + (a2 + a3 * y) * y2) + ((a4 + a5 * y) + (a6 + a7 * y) * y2) * y4) \
        + a8 * (y4 * y4)


def log64_np(u) -> np.ndarray:
    """NumPy twin of :func:`log64`."""
    u = np.asarray(u, dtype=np.float64)
    bits = u.view(np.int64)
    e = ((bits >> 52) - 1023).astype(np.float64)
    m = ((bits & _MANT) | _ONE_BITS).view(np.float64)
    big = m > _SQRT2
    m = np.where(big, 0.5 * m, m)
    e = np.where(big, e + 1.0, e)
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    s8 = (s2 * s2) * (s2 * s2)
    p = _series9_np(_L0, _L1, _L2, _L3, _L4, _L5, _L6, _L7, _L8, s2) + _L9 * ((s2 * s8) * s8)
    return e * _LN2_HI + (s * p + e * _LN2_LO)


def cos2pi64_np(t) -> np.ndarray:
    """NumPy twin of :func:`cos2pi64`."""
    t = np.asarray(t, dtype=np.float64)
    t = t - np.floor(t + 0.5)
    q = np.floor(4.0 * t + 0.5)
    x = _TWO_PI * (t - 0.25 * q)
    x2 = x * x
    c = _series9_np(_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, x2)
    s = x * _series9_np(_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, x2)
    qm = q - 4.0 * np.floor(0.25 * q)
    return np.where(qm == 0.0, c, np.where(qm == 1.0, -s, np.where(qm == 2.0, -c, s)))


def box_muller_np(u1, u2) -> np.ndarray:
    """NumPy twin of :func:`box_muller`."""
    return np.sqrt(-2.0 * log64_np(u1)) * cos2pi64_np(u2)


# ---------------------------------------------------------------------------------------------
# Box–Muller in pairs: both cos and sin of one angle, the angle from the bits directly
# ---------------------------------------------------------------------------------------------
# One uniform angle θ gives two independent normals, r cos θ and r sin θ.  The angle is built
# from 32 random bits without a floor: the top two bits pick the quarter q, the other 30 an
# x uniform on (-π/4, π/4), θ = qπ/2 + x (uniform on the circle), and (cos θ, sin θ) is
# (cos x, sin x) turned by q quarter turns — the series of cos x and sin x are both used.
_QPI = math.pi / 4.0
_ANG = (math.pi / 2.0) * 2.0**-30                    # radians per step of the 30 angle bits
_M30 = U32(0x3FFFFFFF)
_Q30 = U32(30)
_U1, _U2 = U32(1), U32(2)


@njit(cache=True, inline="always")
def _turn(q, c, s):
    """(cos, sin) of the angle x + qπ/2 from c = cos x, s = sin x (q in 0 … 3)."""
    odd = (q & _U1) != 0
    a = s if odd else c
    b = c if odd else s
    flip = (q == _U1) | (q == _U2)                   # cos negative in quarters 1, 2
    return (-a if flip else a), (-b if q >= _U2 else b)


@njit(cache=True, inline="always")
def quarter_sincos64(bits):
    """(cos θ, sin θ), θ uniform on the circle, from 32 random bits (float64; abs. error
    < 1e-15)."""
    x = (np.float64(np.int32(bits & _M30)) + 0.5) * _ANG - _QPI
    x2 = x * x
    c = _series9(_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, x2)
    s = x * _series9(_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, x2)
    return _turn(bits >> _Q30, c, s)


# float32: |x| <= π/4, cos to x^8 and sin to x^9 (next terms < 3e-8), ln m to s^9 (< 3e-9)
_FC = [F32(c) for c in _CC[:5]]
_FS = [F32(c) for c in _SC[:5]]
_FL = [F32(c) for c in _L[:5]]
_FC0, _FC1, _FC2, _FC3, _FC4 = _FC
_FS0, _FS1, _FS2, _FS3, _FS4 = _FS
_FL0, _FL1, _FL2, _FL3, _FL4 = _FL
_F_HALF, _F_ONE = F32(0.5), F32(1.0)
_F_ANG, _F_QPI = F32(_ANG), F32(_QPI)
_F_SQRT2 = F32(_SQRT2)
_F_LN2_HI = F32(0.693359375)                          # e · _F_LN2_HI exact for |e| < 2**15
_F_LN2_LO = F32(math.log(2.0) - 0.693359375)
_F_2M31, _F_2M32 = F32(2.0**-31), F32(2.0**-32)
_I23, _I127 = np.int32(23), np.int32(127)
_FMANT, _FONE_BITS = np.int32(0x007FFFFF), np.int32(0x3F800000)


@njit(cache=True, inline="always")
def _series5(a0, a1, a2, a3, a4, y):
    """a0 + a1 y + … + a4 y^4 in Estrin's scheme."""
    y2 = y * y
    return ((a0 + a1 * y) + (a2 + a3 * y) * y2) + a4 * (y2 * y2)


@njit(cache=True, inline="always")
def quarter_sincos32(bits):
    """:func:`quarter_sincos64` in float32 (abs. error < 1e-7)."""
    x = (F32(np.int32(bits & _M30)) + _F_HALF) * _F_ANG - _F_QPI
    x2 = x * x
    c = _series5(_FC0, _FC1, _FC2, _FC3, _FC4, x2)
    s = x * _series5(_FS0, _FS1, _FS2, _FS3, _FS4, x2)
    return _turn(bits >> _Q30, c, s)


@njit(cache=True, inline="always")
def uniform31_f32(bits):
    """A float32 uniform on (0, 1] with the 2**-31 resolution of the float64 ones near 0 (the
    Gaussian tail of Box–Muller lives there); values within 2**-25 of 1 round to 1."""
    return F32(np.int32(bits >> _U1)) * _F_2M31 + _F_2M32


@njit(cache=True, inline="always")
def log32(u):
    """ln u for a positive normal float32 u, in float32 (relative error < 2e-7)."""
    bits = _f32_as_i32(u)
    e = F32(np.int32(bits >> _I23) - _I127)
    m = _i32_as_f32(np.int32(np.int32(bits & _FMANT) | _FONE_BITS))
    big = m > _F_SQRT2
    m = _F_HALF * m if big else m
    e = e + _F_ONE if big else e
    s = (m - _F_ONE) / (m + _F_ONE)
    p = _series5(_FL0, _FL1, _FL2, _FL3, _FL4, s * s)
    return e * _F_LN2_HI + (s * p + e * _F_LN2_LO)


def _turn_np(q, c, s):
    odd = (q & _U1) != 0
    a = np.where(odd, s, c)
    b = np.where(odd, c, s)
    flip = (q == _U1) | (q == _U2)
    return np.where(flip, -a, a), np.where(q >= _U2, -b, b)


def quarter_sincos64_np(bits):
    """NumPy twin of :func:`quarter_sincos64`."""
    bits = np.asarray(bits, dtype=np.uint32)
    x = ((bits & _M30).astype(np.int32).astype(np.float64) + 0.5) * _ANG - _QPI
    x2 = x * x
    c = _series9_np(_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, x2)
    s = x * _series9_np(_S0, _S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8, x2)
    return _turn_np(bits >> _Q30, c, s)


def _series5_np(a0, a1, a2, a3, a4, y):
    y2 = y * y
    return ((a0 + a1 * y) + (a2 + a3 * y) * y2) + a4 * (y2 * y2)


def quarter_sincos32_np(bits):
    """NumPy twin of :func:`quarter_sincos32`."""
    bits = np.asarray(bits, dtype=np.uint32)
    x = ((bits & _M30).astype(np.int32).astype(F32) + _F_HALF) * _F_ANG - _F_QPI
    x2 = x * x
    c = _series5_np(_FC0, _FC1, _FC2, _FC3, _FC4, x2)
    s = x * _series5_np(_FS0, _FS1, _FS2, _FS3, _FS4, x2)
    return _turn_np(bits >> _Q30, c, s)


def uniform31_f32_np(bits):
    """NumPy twin of :func:`uniform31_f32`."""
    bits = np.asarray(bits, dtype=np.uint32)
    return (bits >> _U1).astype(np.int32).astype(F32) * _F_2M31 + _F_2M32


def log32_np(u) -> np.ndarray:
    """NumPy twin of :func:`log32`."""
    u = np.asarray(u, dtype=F32)
    bits = u.view(np.int32)
    e = ((bits >> _I23) - _I127).astype(F32)
    m = ((bits & _FMANT) | _FONE_BITS).view(F32)
    big = m > _F_SQRT2
    m = np.where(big, _F_HALF * m, m)
    e = np.where(big, e + _F_ONE, e)
    s = (m - _F_ONE) / (m + _F_ONE)
    p = _series5_np(_FL0, _FL1, _FL2, _FL3, _FL4, s * s)
    return e * _F_LN2_HI + (s * p + e * _F_LN2_LO)
