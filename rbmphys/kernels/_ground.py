r"""Exact ground-state energy of a two-valued RBM: Gray-code enumeration of the smaller layer
(jit-compiled).

With the enumerated layer written as :math:`x = x_{lo} + \Delta x\, z`, :math:`z \in \{0,1\}^n`,
the other layer's fields are :math:`f(z) = c' + M'^T z` and the lowest energy over that layer is
:math:`-\sum_\alpha \max(lo\,f_\alpha, hi\,f_\alpha)
= -\sum_\alpha(\bar y f_\alpha + \delta y\,|f_\alpha|)` with :math:`\bar y = (lo+hi)/2`,
:math:`\delta y = (hi-lo)/2`.  The part linear in z is passed in as ``lin``; the kernel returns
:math:`\min_z [\mathrm{lin}^T z - \delta y \sum_\alpha |f_\alpha(z)|]`.

* Gray-code order: consecutive states differ in one unit, so the field changes by one row of
  :math:`M'` (m additions per state instead of nm).
* Blocks of :math:`2^{b}` consecutive codes recompute their field from scratch (no drift from
  accumulated round-off) and run under ``prange``; a minimum does not depend on the order of
  combination, so the result is the same for any number of threads.

The NumPy twin is :func:`rbmphys.analysis.spinglass.ground_state_energy_numpy`.  Introduced in
Chapter 9.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._gray import gray_block_start, gray_step


@njit(cache=True, parallel=True)
def _gray_min(M, c, lin, half, block_bits, out_min):
    """Per-block minimum of ``lin·z − half·Σ_α |c + Mᵀz|_α`` over z ∈ {0,1}^n in Gray order.

    M : (n, m) float64;  c : (m,);  lin : (n,);  out_min : (n_blocks,) float64
    """
    n, m = M.shape
    n_blocks = out_min.shape[0]
    per_block = np.int64(1) << block_bits
    for blk in prange(n_blocks):
        f = np.empty(m)
        start = np.int64(blk) * per_block
        g, lx = gray_block_start(M, c, lin, start, f)
        s = 0.0
        for j in range(m):
            s += abs(f[j])
        best = lx - half * s
        for r in range(1, per_block):
            g, lx = gray_step(M, lin, start + r, g, lx, f)
            s = 0.0
            for j in range(m):
                s += abs(f[j])
            e = lx - half * s
            if e < best:
                best = e
        out_min[blk] = best


def gray_min_energy(M, c, lin, half):
    """min over z ∈ {0,1}^n of ``lin·z − half·Σ_α |c + Mᵀz|_α`` (float64)."""
    M = np.ascontiguousarray(M, dtype=np.float64)
    c = np.ascontiguousarray(c, dtype=np.float64)
    lin = np.ascontiguousarray(lin, dtype=np.float64)
    n = M.shape[0]
    if n == 0:
        return float(-half * np.abs(c).sum())
    block_bits = min(n, 10)
    out = np.empty(1 << (n - block_bits))
    _gray_min(M, c, lin, float(half), block_bits, out)
    return float(out.min())
