r"""Fused activation + sampling kernels for block Gibbs sampling (jit-compiled, serial).

One half-step of block Gibbs is a matrix product (done by BLAS, outside these kernels)
followed by an elementwise pass that adds the bias, applies the logistic function and draws
the state.  For unit ``(c, i)`` of a layer with ``n`` units, with pre-activation
:math:`x_{ci} = \text{pre}_{ci} + \text{bias}_i`,

.. math::

    s_{ci} = \begin{cases} \text{up} & u_{ci}\,(1 + e^{-g x_{ci}}) < 1 \\
                           \text{down} & \text{otherwise,} \end{cases}
    \qquad u_{ci} = u(\text{key}, (c_0 + c)\,n + i),

i.e. :math:`P(\text{up}) = \sigma(g x)`, with gain :math:`g = \beta` for {0,1} units (up = 1,
down = 0) and :math:`g = 2\beta` for ±1 units (up = +1, down = -1; Eq. (B2) of RAPID).  The
uniforms come from :mod:`rbmphys.kernels._rng`, keyed by the half-step's key and the global
chain index, so splitting chains into slices (``chain0``) does not change a single sample.

Two precisions: float64 models compute in float64 (:func:`exp64`, 2**-31 uniforms); float32
models compute in float32 (:func:`exp32`, 2**-24 uniforms), twice the SIMD width.  The
public wrappers pick the kernel from the array dtype.

``error_model="numpy"``: numba's default Python error model checks every float division for
zero (to raise ``ZeroDivisionError``), and that branch stops the loop from vectorising (×7
slower mean kernels); the denominators here are ≥ 1.

These kernels are serial on purpose: they run between two threaded BLAS calls, and a numba
thread pool alternating with OpenBLAS's is ×22 slower on two cores
(``benchmarks/bench_parallel_designs.py``).
The NumPy twins in :mod:`rbmphys.kernels.reference` reproduce every output bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._rng import (_G32, F32, U32, bits_to_uniform32, bits_to_uniform64, check_counter_range,
                   exp32, exp64s, exp_like, hash_weyl, like, split_key, uniform_like, weyl)

_F1 = F32(1.0)


@njit(cache=True, error_model="numpy")
def _sample_f64(pre, bias, gain, lo, k0, k1, chain0, out):
    # two passes per chain: the 32-bit hashes first (8 SIMD lanes), then the float64 pass
    # (4 lanes); fused, LLVM would run the hash at the float64 width too (~10 % slower)
    B, n = pre.shape
    bits = np.empty(n, np.uint32)
    for c in range(B):
        w = weyl((chain0 + c) * n)               # counter (chain0 + c)·n + i, as a Weyl sum
        for i in range(n):
            bits[i] = hash_weyl(k0, k1, w)
            w = U32(w + _G32)
        for i in range(n):
            x = gain * (pre[c, i] + bias[i])
            u = bits_to_uniform64(bits[i])
            out[c, i] = 1.0 if u * (1.0 + exp64s(-x)) < 1.0 else lo


@njit(cache=True, error_model="numpy")
def _sample_f32(pre, bias, gain, lo, k0, k1, chain0, out):
    B, n = pre.shape
    for c in range(B):
        w = weyl((chain0 + c) * n)
        for i in range(n):
            x = gain * (pre[c, i] + bias[i])
            u = bits_to_uniform32(hash_weyl(k0, k1, w))
            w = U32(w + _G32)
            out[c, i] = _F1 if u * (_F1 + exp32(-x)) < _F1 else lo


@njit(cache=True, error_model="numpy")
def _mean(pre, bias, gain, spin, scale, out):
    # one source for both precisions: like/exp_like pick float32 or float64 at compile time
    B, n = pre.shape
    one, two = like(gain, 1.0), like(gain, 2.0)
    for c in range(B):
        for i in range(n):
            p = one / (one + exp_like(-gain * (pre[c, i] + bias[i])))
            out[c, i] = scale * (two * p - one if spin else p)


@njit(cache=True, error_model="numpy")
def _mean_sample(pre, bias, gain, lo, k0, k1, chain0, scale, mean_out, sample_out):
    B, n = pre.shape
    one, two = like(gain, 1.0), like(gain, 2.0)
    for c in range(B):
        w = weyl((chain0 + c) * n)
        for i in range(n):
            e1 = one + exp_like(-gain * (pre[c, i] + bias[i]))
            u = uniform_like(hash_weyl(k0, k1, w), gain)
            w = U32(w + _G32)
            p = one / e1
            mean_out[c, i] = scale * (two * p - one if lo < 0 else p)
            sample_out[c, i] = one if u * e1 < one else lo


def sample_layer(pre, bias, gain, lo, key, chain0=0, out=None):
    """Draw a layer: ``out[c,i] = up`` with probability ``σ(gain·(pre[c,i] + bias[i]))``.

    Parameters
    ----------
    pre : ndarray (B, n), float32 or float64, C-contiguous
        The BLAS product (``v @ W`` or ``h @ W.T``).
    bias : ndarray (n,), same dtype
    gain : float
        β for {0,1} units, 2β for ±1 units.
    lo : float
        Value of the down state: 0.0 ({0,1}) or -1.0 (±1).
    key : int
        64-bit key of this half-step (:func:`rbmphys.kernels._rng.derive_key`).
    chain0 : int
        Global index of the first chain (for chain slices).
    out : ndarray (B, n), optional
        Where to write the states; allocated if omitted.  It may be ``pre`` itself, but then
        LLVM's runtime overlap check sends the loop down its scalar path (×2 slower): hot
        loops use a separate buffer.
    """
    if out is None:
        out = np.empty_like(pre)
    check_counter_range(pre.shape[0], pre.shape[1], chain0)
    k0, k1 = split_key(key)
    if pre.dtype == np.float32:
        _sample_f32(pre, bias, F32(gain), F32(lo), k0, k1, chain0, out)
    else:
        _sample_f64(pre, bias, float(gain), float(lo), k0, k1, chain0, out)
    return out


def mean_layer(pre, bias, gain, spin, out=None, scale=1.0):
    """Conditional means times ``scale``: ``σ(gain·x)`` ({0,1}, gain β) or
    ``2σ(gain·x) - 1 = tanh(β x)`` (±1, gain 2β), with ``x = pre + bias``."""
    if out is None:
        out = np.empty_like(pre)
    if pre.dtype == np.float32:
        _mean(pre, bias, F32(gain), bool(spin), F32(scale), out)
    else:
        _mean(pre, bias, float(gain), bool(spin), float(scale), out)
    return out


def mean_and_sample_layer(pre, bias, gain, lo, key, chain0, scale, mean_out, sample_out):
    """Both at once, with the same uniforms as :func:`sample_layer`:
    ``mean_out = scale·E[unit]`` and ``sample_out`` = a sample.  Used by PCD, which needs the
    conditional mean of the chains' hidden layer for the negative phase and a sample to
    continue the chains."""
    check_counter_range(pre.shape[0], pre.shape[1], chain0)
    k0, k1 = split_key(key)
    if pre.dtype == np.float32:
        _mean_sample(pre, bias, F32(gain), F32(lo), k0, k1, chain0, F32(scale),
                     mean_out, sample_out)
    else:
        _mean_sample(pre, bias, float(gain), float(lo), k0, k1, chain0, float(scale),
                     mean_out, sample_out)
    return mean_out, sample_out


@njit(cache=True)
def _colsum(A, out):
    """out[j] = Σ_i A[i, j], accumulated in float64 (vectorises over j)."""
    for j in range(out.shape[0]):
        out[j] = 0.0
    n, m = A.shape
    for i in range(n):
        for j in range(m):
            out[j] += A[i, j]


def column_sums(A, out=None):
    """Column sums of a float32/float64 matrix, accumulated in float64."""
    if out is None:
        out = np.empty(A.shape[1], np.float64)
    _colsum(A, out)
    return out


@njit(cache=True)
def _gather(data, idx, out):
    for r in range(idx.shape[0]):
        src = idx[r]
        for j in range(data.shape[1]):
            out[r, j] = data[src, j]


def gather_rows(data, idx, out):
    """``out[r] = data[idx[r]]`` (a shuffled minibatch, written into the rule's buffer).

    ``np.take(data, idx, axis=0, out=out)`` does the same but takes its slow generic path with
    ``out=`` (×3 slower at 1000 × 784 than fancy indexing, which allocates); this loop copies
    rows at the speed of ``data[idx]`` without allocating.  Indices must lie in
    ``[0, len(data))`` (the trainer passes a permutation).
    """
    _gather(data, np.ascontiguousarray(idx, dtype=np.int64), out)
    return out


@njit(cache=True)
def _count_outside(x, lo, hi):
    bad = 0
    for i in range(x.shape[0]):
        v = x[i]
        bad += (v != lo) & (v != hi)
    return bad


def all_in_pair(arr, lo, hi):
    """Whether every entry of a float array equals ``lo`` or ``hi`` (NaN does not).

    One pass at memory speed, for validating large training sets of binary states: the NumPy
    expression ``np.all((a == lo) | (a == hi))`` after ``np.isfinite`` makes four passes and
    three temporaries (14 ms per epoch call on 10 000 MNIST-sized images).  Returns None when
    the array is not float32/float64 or not contiguous (the caller then uses NumPy).
    """
    if arr.dtype not in (np.float32, np.float64) or not arr.flags.c_contiguous:
        return None
    flat = arr.reshape(-1)
    return _count_outside(flat, flat.dtype.type(lo), flat.dtype.type(hi)) == 0
