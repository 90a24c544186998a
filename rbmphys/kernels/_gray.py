r"""Gray-code walk over :math:`z \in \{0,1\}^n` for the exact-enumeration kernels (inlined device
functions shared by :mod:`rbmphys.kernels._exact` and :mod:`rbmphys.kernels._ground`).

Both kernels carry, along the walk, the fields :math:`f(z) = c + M^T z` of the other layer and
a linear term :math:`\ell^T z`.  In Gray-code order consecutive states differ in one unit (the
lowest set bit of the counter), so a step adds or subtracts one row of :math:`M` (:math:`m`
additions instead of :math:`nm`).  A block of consecutive codes starts from scratch
(:func:`gray_block_start`), so round-off does not drift from block to block.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def gray_block_start(M, c, lin, start, f):
    """Enter a block at the counter ``start``: its Gray code ``g = start ^ (start >> 1)``, the
    fields ``f = c + Mᵀg`` (written into ``f``) and ``lin·g``, computed from scratch.

    Returns ``(g, lin·g)``.
    """
    n, m = M.shape
    g = start ^ (start >> 1)
    for j in range(m):
        f[j] = c[j]
    lx = 0.0
    for i in range(n):
        if (g >> i) & 1:
            lx += lin[i]
            for j in range(m):
                f[j] += M[i, j]
    return g, lx


@njit(cache=True, inline="always")
def gray_step(M, lin, k, g, lx, f):
    """Step from the Gray code of ``k − 1`` (``g``, with ``lx = lin·g`` and the fields ``f``)
    to that of ``k``: the unit that flips is the lowest set bit of ``k``; ``f`` is updated in
    place.  Returns the new ``(g, lin·g)``."""
    m = M.shape[1]
    i = 0
    while not ((k >> i) & 1):
        i += 1
    g = g ^ (np.int64(1) << i)
    if (g >> i) & 1:
        lx += lin[i]
        for j in range(m):
            f[j] += M[i, j]
    else:
        lx -= lin[i]
        for j in range(m):
            f[j] -= M[i, j]
    return g, lx
