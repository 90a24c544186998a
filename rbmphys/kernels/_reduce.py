r"""Fixed-order reductions for the numba kernels (inlined device functions).

Floating-point sums and products are not associative, so LLVM (without ``fastmath``) will not
vectorise a plain ``acc += x[j]`` loop.  Eight independent partial accumulators, combined in a
fixed tree, give the instruction-level parallelism back while keeping the result a
deterministic function of the input (same bits for any thread count).

:func:`log_prod_blocks` returns :math:`\ln\prod_j x_j` for factors in a bounded range (e.g.
:math:`1 + e^{-|f|} \in [1, 2]` or a ratio of two such): blocks of 256 factors, each partial
product over at most 32 of them, one ``log`` per block — no overflow, ~1/256 of the logarithms.
"""

from __future__ import annotations

import numpy as np
from numba import njit

BLOCK = 256


@njit(cache=True, inline="always")
def sum8(x, n):
    """Σ_{j<n} x[j] with 8 partial sums in fixed order."""
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    j = 0
    while j + 8 <= n:
        s0 += x[j]
        s1 += x[j + 1]
        s2 += x[j + 2]
        s3 += x[j + 3]
        s4 += x[j + 4]
        s5 += x[j + 5]
        s6 += x[j + 6]
        s7 += x[j + 7]
        j += 8
    while j < n:
        s0 += x[j]
        j += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


@njit(cache=True, inline="always")
def log_prod_blocks(x, n):
    """ln Π_{j<n} x[j] for factors of bounded size (blocks of 256, 8 partial products)."""
    acc = 0.0
    for j0 in range(0, n, BLOCK):
        j1 = min(j0 + BLOCK, n)
        p0 = p1 = p2 = p3 = p4 = p5 = p6 = p7 = 1.0
        j = j0
        while j + 8 <= j1:
            p0 *= x[j]
            p1 *= x[j + 1]
            p2 *= x[j + 2]
            p3 *= x[j + 3]
            p4 *= x[j + 4]
            p5 *= x[j + 5]
            p6 *= x[j + 6]
            p7 *= x[j + 7]
            j += 8
        while j < j1:
            p0 *= x[j]
            j += 1
        acc += np.log(((p0 * p1) * (p2 * p3)) * ((p4 * p5) * (p6 * p7)))
    return acc
