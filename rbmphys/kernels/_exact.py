r"""Exact log partition function: Gray-code enumeration of the smaller layer (jit-compiled).

With the smaller layer :math:`x \in \{0,1\}^n` enumerated and the larger layer (fields
:math:`f(x) = c + M^T x`, :math:`m` units) summed analytically,

.. math::

    \ln Z = \operatorname{logsumexp}_x \Big[ d^T x + \sum_{j=1}^{m} \ln\big(1 + e^{f_j(x)}\big)\Big],
    \qquad \ln(1 + e^{f}) = \max(f, 0) + \ln(1 + e^{-|f|}).

* Gray-code order: consecutive states differ in one unit, so the field is updated by adding or
  subtracting one row of :math:`M` (:math:`m` additions per state instead of :math:`nm`).
* Product form: :math:`\sum_j \ln(1 + e^{-|f_j|}) = \ln \prod_j (1 + e^{-|f_j|})`, one log per
  block of 256 factors (each factor lies in [1, 2], so a block's product stays below 2^256).
* :func:`rbmphys.kernels._rng.exp64` vectorises; its argument is clamped at −40, which changes
  a factor by less than :math:`e^{-40} \approx 4\times10^{-18}`.
* The :math:`2^n` states are cut into blocks of :math:`2^{b}` consecutive Gray codes; each block
  recomputes its field from scratch (no drift from accumulated round-off) and keeps its own
  running log-sum-exp (max, sum) in float64.  Blocks run under ``prange``; the partials are
  combined serially in block order, so the result does not depend on the number of threads.

The NumPy twin is :func:`rbmphys.exact.log_partition_numpy`.  Introduced in Chapter 1.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._gray import gray_block_start, gray_step
from ._reduce import log_prod_blocks, sum8
from ._rng import exp64



@njit(cache=True, inline="always")
def _log_term(f, d_dot_x, e, q):
    """d·x + Σ_j softplus(f_j): a vectorisable pass for the factors 1 + e^{-|f_j|} and the
    positive parts, then a fixed-order reduction with 8 independent partial products (each
    over at most 32 factors in [1, 2] per 256-block, so no overflow) and one log per block."""
    m = f.shape[0]
    for j in range(m):
        fj = f[j]
        a = abs(fj)
        e[j] = 1.0 + exp64(-a)
        q[j] = 0.5 * (fj + a)
    acc = d_dot_x + sum8(q, m)
    acc += log_prod_blocks(e, m)
    return acc


@njit(cache=True, parallel=True)
def _gray_logsumexp(M, c, d, block_bits, out_max, out_sum):
    """Per-block (max, Σ exp(term − max)) of the Gray-code enumeration.

    M : (n, m) float64 — coupling rows of the enumerated units
    c : (m,) float64 — bias of the summed units;  d : (n,) — bias of the enumerated units
    out_max, out_sum : (n_blocks,) float64
    """
    n, m = M.shape
    n_blocks = out_max.shape[0]
    per_block = np.int64(1) << block_bits
    for blk in prange(n_blocks):
        f = np.empty(m)
        e = np.empty(m)
        q = np.empty(m)
        start = np.int64(blk) * per_block
        g, dx = gray_block_start(M, c, d, start, f)
        t = _log_term(f, dx, e, q)
        mx = t
        s = 1.0
        for r in range(1, per_block):
            g, dx = gray_step(M, d, start + r, g, dx, f)
            t = _log_term(f, dx, e, q)
            if t > mx:
                s = s * np.exp(mx - t) + 1.0
                mx = t
            else:
                s += np.exp(t - mx)
        out_max[blk] = mx
        out_sum[blk] = s


def gray_log_partition(M, c, d):
    """ln Σ_x exp(dᵀx + Σ_j softplus(c + Mᵀx)_j) over x ∈ {0,1}^n (float64)."""
    M = np.ascontiguousarray(M, dtype=np.float64)
    c = np.ascontiguousarray(c, dtype=np.float64)
    d = np.ascontiguousarray(d, dtype=np.float64)
    n = M.shape[0]
    block_bits = min(n, 10)
    n_blocks = 1 << (n - block_bits)
    mx = np.empty(n_blocks)
    sm = np.empty(n_blocks)
    _gray_logsumexp(M, c, d, block_bits, mx, sm)
    top = mx.max()
    return float(top + np.log(np.sum(sm * np.exp(mx - top))))
