r"""Counter-based random numbers and vectorisable exponentials for the numba kernels.

Why not ``np.random`` inside numba?  It is slow, it is not reproducible under
``parallel=True``, and drawing uniforms with NumPy outside the kernel costs as much as the rest
of a Gibbs step (``rbmphys bench``).  Instead every uniform is a pure function of a 64-bit
*key* :math:`k = (k_1, k_0)` and a 32-bit *counter* :math:`n`,

.. math::

    x = \mathrm{triple32}\big(((n\gamma \bmod 2^{32}) \oplus k_0) + k_1 \bmod 2^{32}\big),
    \qquad \gamma = \texttt{0x9E3779B9},

where *triple32* is the bijective 32-bit integer hash of C. Wellons ("Prospecting for hash
functions", 2018: three rounds of xorshift-multiply, the lowest avalanche bias he reports for a
32-bit hash, 0.021).  The counter enters through a Weyl step and the two key halves through an
xor and an add, so one hash call makes one uniform: four 32-bit multiplies per uniform, three
in the sampling kernels, which walk consecutive counters and keep :math:`n\gamma` as a running
sum (:func:`hash_weyl`; rbmphys 0.2 applied lowbias32 twice, five multiplies, and its float32
sampling pass took ×1.6 as long).
Within one key the map n ↦ x is a bijection (no repeated uniforms in a kernel call).
Everything is 32-bit integer arithmetic, which vectorises with AVX2 and AVX-512 (64-bit
multiplies do not).  The stream is tested bit by bit in ``tests/test_kernels.py`` besides the
χ² tests of every sampler.  The uniform is
:math:`u = (\lfloor x/2\rfloor + \tfrac12)\,2^{-31}` in float64 kernels and
:math:`u = (\lfloor x/2^8\rfloor + \tfrac12)\,2^{-24}` in float32 kernels, so a Bernoulli draw
with probability :math:`p` is exact up to :math:`2^{-31}` (float64) or :math:`2^{-24}`
(float32) — far below any Monte Carlo error.

A kernel derives the counter from (chain, unit), :math:`n = \text{chain}\cdot n_\text{units} +
\text{unit} < 2^{32}`, and receives a key derived from (seed, step, layer) by
:func:`derive_key` (SplitMix64 in Python), so the same seed gives the same samples for any number
of threads and any split of the chains into slices, and the NumPy twins in
:mod:`rbmphys.kernels.reference` reproduce the kernels bit for bit.

The exponential.  libm's ``exp`` does not vectorise inside a numba loop, and NumPy's own SIMD
``exp`` may differ from libm in the last bit (which would break the bit-for-bit twin).  We use
range reduction :math:`y = k\ln 2 + r`, :math:`|r| \le \tfrac12\ln 2`, a Taylor polynomial in
Estrin's scheme (short dependency chains), and :math:`2^k` built from the exponent bits:

* :func:`exp64`: degree 12, relative error < 5e-16 on [-40, 40];
* :func:`exp64s`: degree 9, relative error < 1e-11, for float64 Bernoulli sampling only;
* :func:`exp32`: float32 throughout, degree 7, relative error < 2e-7.

Arguments are clamped to [-40, 40]; inside a logistic function this changes
:math:`\sigma(x)` by less than :math:`e^{-40} \approx 4\times10^{-18}`.  No ``fastmath``: kernel
and twin perform the same IEEE operations in the same order.

Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

MASK64 = (1 << 64) - 1
_SM_GAMMA = 0x9E3779B97F4A7C15
_SM_MUL1, _SM_MUL2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB     # SplitMix64 finaliser

U32 = np.uint32
F32 = np.float32
_G32 = U32(0x9E3779B9)
_S15 = U32(15)
_S1 = U32(1)
_S8 = U32(8)
_S17, _S11, _S14 = U32(17), U32(11), U32(14)
_T1, _T2, _T3 = U32(0xED5AD4BB), U32(0xAC4C1B51), U32(0x31848BAB)
#: Largest number of (chain, unit) counters one kernel call may use.
MAX_COUNTER = 2**32

#: Clamp of the argument of the exponentials.
EXP_CLAMP = 40.0

_LOG2E = 1.4426950408889634
_LN2_HI = 0.693145751953125
_LN2_LO = 1.4286068203094173e-06
_C = [1.0 / float(np.prod(np.arange(1, k + 1, dtype=np.float64))) for k in range(13)]
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12 = _C

_F_LOG2E = F32(_LOG2E)
_F_LN2_HI = F32(0.693359375)
_F_LN2_LO = F32(-2.12194440e-4)
_F_CLAMP = F32(EXP_CLAMP)
_F_MCLAMP = F32(-EXP_CLAMP)
_F_HALF = F32(0.5)
_F_ONE = F32(1.0)
_D = [F32(c) for c in _C[:8]]
_D0, _D1, _D2, _D3, _D4, _D5, _D6, _D7 = _D
_F_2M24 = F32(2.0**-24)
_F_2M25 = F32(2.0**-25)
_2M31 = 2.0**-31


# ---------------------------------------------------------------------------------------------
# key derivation (Python ints, once per kernel call)
# ---------------------------------------------------------------------------------------------
def mix64_int(z: int) -> int:
    """SplitMix64 finaliser on a Python int (mod 2**64)."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * _SM_MUL1) & MASK64
    z = ((z ^ (z >> 27)) * _SM_MUL2) & MASK64
    return z ^ (z >> 31)


def derive_key_py(key: int, *counters: int) -> int:
    """:func:`derive_key` in Python integers (the reference; any number of counters)."""
    z = mix64_int(key)
    for c in counters:
        z = mix64_int(z + (int(c) + 1) * _SM_GAMMA)
    return z & (MASK64 >> 1)


_U64 = np.uint64
_SM_A, _SM_B, _SM_G = _U64(_SM_MUL1), _U64(_SM_MUL2), _U64(_SM_GAMMA)
_Q30, _Q27, _Q31, _Q1, _QMASK = _U64(30), _U64(27), _U64(31), _U64(1), _U64(MASK64 >> 1)


@njit(cache=True, inline="always")
def _mix64(z):
    z = (z ^ (z >> _Q30)) * _SM_A
    z = (z ^ (z >> _Q27)) * _SM_B
    return z ^ (z >> _Q31)


@njit(cache=True, inline="always")
def _step64(z, c):
    return _mix64(z + (_U64(c) + _Q1) * _SM_G)


@njit(cache=True)
def _derive1(key, a):
    return _step64(_mix64(_U64(key)), a) & _QMASK


@njit(cache=True)
def _derive2(key, a, b):
    return _step64(_step64(_mix64(_U64(key)), a), b) & _QMASK


@njit(cache=True)
def _derive3(key, a, b, c):
    return _step64(_step64(_step64(_mix64(_U64(key)), a), b), c) & _QMASK


_DERIVE = {1: _derive1, 2: _derive2, 3: _derive3}


def derive_key(key: int, *counters: int) -> int:
    r"""Derive a child 64-bit key from ``key`` and non-negative integer counters.

    ``derive_key(chain_key, step, layer)`` keys one half-step of block Gibbs.  The result lies
    in ``[0, 2**63)`` so that it fits an ``int64`` as well as a ``uint64``.

    SplitMix64 steps, :math:`z \leftarrow \mathrm{mix}(z + (c + 1)\gamma)`, in wrapping 64-bit
    arithmetic: compiled for one to three integer counters that fit 64 bits (0.4 µs instead of
    2.6 µs in Python integers — it runs once per half-step), :func:`derive_key_py` otherwise;
    both give the same bits (tested).
    """
    fn = _DERIVE.get(len(counters))
    if fn is not None:
        try:                          # wrapping uint64 arithmetic = Python's mod-2**64 masks
            return fn(key, *counters)
        except (OverflowError, TypeError, ValueError):     # beyond 64 bits, or not integers
            pass
    return derive_key_py(key, *counters)


def split_key(key: int):
    """The two 32-bit halves ``(k0, k1)`` of a 64-bit key, as ``np.uint32``."""
    key = int(key)
    return U32(key & 0xFFFFFFFF), U32((key >> 32) & 0xFFFFFFFF)


def check_counter_range(n_chains: int, n_units: int, chain0: int = 0):
    """Raise if ``(chain0 + n_chains) * n_units`` exceeds the 32-bit counter space."""
    if (chain0 + n_chains) * n_units > MAX_COUNTER:
        raise ValueError(
            f"{chain0 + n_chains} chains x {n_units} units exceed the 2**32 counters of the "
            "random-number kernel; use fewer chains per call")


# ---------------------------------------------------------------------------------------------
# bit casts (LLVM bitcast, free; needed to build 2**k from its exponent bits)
# ---------------------------------------------------------------------------------------------
def _bitcast(name, src, dst, llvm_type):
    """An intrinsic reinterpreting the bits of a ``src`` value as ``dst`` (``llvm_type``)."""
    def impl(typingctx, x):
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], llvm_type)
        return dst(src), codegen
    impl.__name__ = impl.__qualname__ = name
    return intrinsic(impl)


_i64_as_f64 = _bitcast("_i64_as_f64", types.int64, types.float64, ir.DoubleType())
_f64_as_i64 = _bitcast("_f64_as_i64", types.float64, types.int64, ir.IntType(64))
_i32_as_f32 = _bitcast("_i32_as_f32", types.int32, types.float32, ir.FloatType())
_f32_as_i32 = _bitcast("_f32_as_i32", types.float32, types.int32, ir.IntType(32))


# ---------------------------------------------------------------------------------------------
# numba device functions (inlined into the kernels); numba widens small integers, so every
# 32-bit operation is cast back explicitly
# ---------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def triple32(x):
    """Wellons' triple32 integer hash (a bijection of uint32). jit-compiled."""
    x = U32(x ^ (x >> _S17))
    x = U32(x * _T1)
    x = U32(x ^ (x >> _S11))
    x = U32(x * _T2)
    x = U32(x ^ (x >> _S15))
    x = U32(x * _T3)
    x = U32(x ^ (x >> _S14))
    return x


@njit(cache=True, inline="always")
def hash_weyl(k0, k1, w):
    """32 random bits from the key (k0, k1) and the Weyl value w = nγ mod 2**32 of counter n.

    Kernels that walk consecutive counters keep w as a running sum, ``w += γ``: LLVM turns
    that into one vector add per step, where ``n * γ`` costs a packed 32-bit multiply (one of
    four per uniform, ~10 % of a float32 sampling pass).  Same bits as :func:`hash_counter`.
    """
    return triple32(U32(U32(w ^ k0) + k1))


@njit(cache=True, inline="always")
def weyl(n):
    """The Weyl value nγ mod 2**32 of counter n (start of a running sum, see hash_weyl)."""
    return U32(U32(n) * _G32)


@njit(cache=True, inline="always")
def hash_counter(k0, k1, n):
    """32 random bits from the 64-bit key (k0, k1) and the uint32 counter n."""
    return hash_weyl(k0, k1, U32(n * _G32))


@njit(cache=True, inline="always")
def bits_to_uniform64(x):
    """Uniform float64 on (0, 1), resolution 2**-31, from 32 random bits."""
    return (np.float64(np.int32(x >> _S1)) + 0.5) * _2M31


@njit(cache=True, inline="always")
def bits_to_uniform32(x):
    """Uniform float32 on (0, 1), resolution 2**-24, from 32 random bits."""
    return F32(np.int32(x >> _S8)) * _F_2M24 + _F_2M25


@njit(cache=True, inline="always")
def uniform64(k0, k1, n):
    """Uniform float64 on (0, 1), resolution 2**-31."""
    return bits_to_uniform64(hash_counter(k0, k1, n))


@njit(cache=True, inline="always")
def uniform32(k0, k1, n):
    """Uniform float32 on (0, 1), resolution 2**-24."""
    return bits_to_uniform32(hash_counter(k0, k1, n))


# The polynomial parts of the exponentials are written once, as plain functions of scalars or
# arrays: the kernels inline a jit-compiled copy, the NumPy twins call them on arrays (the same
# IEEE operations in the same order).
def _split64(y):
    """(k, r) with y = k ln 2 + r (Cody–Waite), y already clamped."""
    kf = np.floor(y * _LOG2E + 0.5)
    return kf, (y - kf * _LN2_HI) - kf * _LN2_LO


def _poly12(r):
    """Σ_{k≤12} r^k/k! in Estrin's scheme."""
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    q0 = (_C0 + _C1 * r) + (_C2 + _C3 * r) * r2
    q1 = (_C4 + _C5 * r) + (_C6 + _C7 * r) * r2
    q2 = (_C8 + _C9 * r) + (_C10 + _C11 * r) * r2
    return (q0 + q1 * r4) + (q2 + _C12 * r4) * r8


def _poly9(r):
    """Σ_{k≤9} r^k/k! in Estrin's scheme."""
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    q0 = (_C0 + _C1 * r) + (_C2 + _C3 * r) * r2
    q1 = (_C4 + _C5 * r) + (_C6 + _C7 * r) * r2
    return (q0 + q1 * r4) + (_C8 + _C9 * r) * r8


def _exp32_body(y):
    """(2**k as the exponent k, polynomial) of e**y in float32, y already clamped."""
    kf = np.floor(y * _F_LOG2E + _F_HALF)
    r = (y - kf * _F_LN2_HI) - kf * _F_LN2_LO
    r2 = r * r
    r4 = r2 * r2
    p = ((_D0 + _D1 * r) + (_D2 + _D3 * r) * r2) + ((_D4 + _D5 * r) + (_D6 + _D7 * r) * r2) * r4
    return kf, p


_split64_nb, _poly12_nb, _poly9_nb, _exp32_body_nb = (
    njit(cache=True, inline="always")(f) for f in (_split64, _poly12, _poly9, _exp32_body))


@njit(cache=True, inline="always")
def _reduce64(y):
    """(k, r) with y = k ln 2 + r, |r| <= ln2/2, y clamped to [-40, 40] (Cody–Waite split)."""
    return _split64_nb(min(max(y, -EXP_CLAMP), EXP_CLAMP))


@njit(cache=True, inline="always")
def _pow2(kf):
    """2**k from the exponent bits (k integral, |k| < 1023)."""
    return _i64_as_f64((np.int64(np.int32(kf)) + 1023) << 52)


@njit(cache=True, inline="always")
def exp64(y):
    """e**y for float64 y clamped to [-40, 40]; relative error < 5e-16."""
    kf, r = _reduce64(y)
    return _poly12_nb(r) * _pow2(kf)


@njit(cache=True, inline="always")
def exp64s(y):
    """e**y for float64 y clamped to [-40, 40], degree 9: relative error < 1e-11.

    For Bernoulli *sampling* only: the decision u·(1 + e^{-x}) < 1 is taken against uniforms of
    resolution 2**-31, so an error of 1e-11 in e^{-x} shifts a probability by < 3e-12.  Three
    fewer polynomial terms than :func:`exp64` make the float64 Gibbs pass ~15 % cheaper."""
    kf, r = _reduce64(y)
    return _poly9_nb(r) * _pow2(kf)


@njit(cache=True, inline="always")
def exp32(y):
    """e**y for float32 y clamped to [-40, 40], computed in float32; relative error < 2e-7."""
    kf, p = _exp32_body_nb(min(max(y, _F_MCLAMP), _F_CLAMP))
    return p * _i32_as_f32(np.int32((np.int32(kf) + np.int32(127)) << np.int32(23)))


# ---------------------------------------------------------------------------------------------
# precision-generic helpers: one kernel source for float32 and float64 models, the choice made
# at compile time from the type of ``x`` (float32: float32 arithmetic, else float64)
# ---------------------------------------------------------------------------------------------
def like(x, v):
    """The constant ``v`` in the precision of ``x`` (compiled only)."""
    raise NotImplementedError


def exp_like(y):
    """:func:`exp32` of a float32 ``y``, :func:`exp64` otherwise (compiled only)."""
    raise NotImplementedError


def uniform_like(bits, x):
    """:func:`bits_to_uniform32` for a float32 ``x``, :func:`bits_to_uniform64` otherwise
    (compiled only)."""
    raise NotImplementedError


@overload(like)
def _like_impl(x, v):
    if x == types.float32:
        return lambda x, v: F32(v)
    return lambda x, v: np.float64(v)


@overload(exp_like)
def _exp_like_impl(y):
    if y == types.float32:
        return lambda y: exp32(y)
    return lambda y: exp64(y)


@overload(uniform_like)
def _uniform_like_impl(bits, x):
    if x == types.float32:
        return lambda bits, x: bits_to_uniform32(bits)
    return lambda bits, x: bits_to_uniform64(bits)


# ---------------------------------------------------------------------------------------------
# NumPy twins (vectorised, same operations in the same order)
# ---------------------------------------------------------------------------------------------
def _triple32_np(x):
    x = x ^ (x >> _S17)
    x = x * _T1
    x = x ^ (x >> _S11)
    x = x * _T2
    x = x ^ (x >> _S15)
    x = x * _T3
    return x ^ (x >> _S14)


def hash_counter_np(key: int, n) -> np.ndarray:
    """NumPy twin of :func:`hash_counter` with the 64-bit ``key``."""
    k0, k1 = split_key(key)
    n = np.asarray(n, dtype=np.uint32)
    with np.errstate(over="ignore"):
        return _triple32_np(((n * _G32) ^ k0) + k1)


def uniform64_np(key: int, n) -> np.ndarray:
    """NumPy twin of :func:`uniform64`."""
    x = hash_counter_np(key, n)
    return ((x >> _S1).astype(np.int32).astype(np.float64) + 0.5) * _2M31


def uniform32_np(key: int, n) -> np.ndarray:
    """NumPy twin of :func:`uniform32`."""
    x = hash_counter_np(key, n)
    return (x >> _S8).astype(np.int32).astype(F32) * _F_2M24 + _F_2M25


def _reduce64_np(y):
    return _split64(np.minimum(np.maximum(np.asarray(y, dtype=np.float64), -EXP_CLAMP),
                               EXP_CLAMP))


def _pow2_np(kf):
    return ((kf.astype(np.int32).astype(np.int64) + 1023) << 52).view(np.float64)


def exp64_np(y) -> np.ndarray:
    """NumPy twin of :func:`exp64`."""
    kf, r = _reduce64_np(y)
    return _poly12(r) * _pow2_np(kf)


def exp64s_np(y) -> np.ndarray:
    """NumPy twin of :func:`exp64s`."""
    kf, r = _reduce64_np(y)
    return _poly9(r) * _pow2_np(kf)


def exp32_np(y) -> np.ndarray:
    """NumPy twin of :func:`exp32`."""
    kf, p = _exp32_body(np.minimum(np.maximum(np.asarray(y, dtype=F32), _F_MCLAMP), _F_CLAMP))
    return p * ((kf.astype(np.int32) + np.int32(127)) << np.int32(23)).view(F32)
