r"""Annealing kernel: the AIS weight increment and the hidden sample in one pass (jit-compiled).

For chain c with hidden pre-activation :math:`x_j = (v^T W)_j + b_j` and inverse temperatures
:math:`\beta_0 \to \beta_1`,

.. math::

    \Delta \ln w_c = \sum_j \big[\operatorname{softplus}(\beta_1 x_j)
        - \operatorname{softplus}(\beta_0 x_j)\big]
      = \sum_j \big[(\beta_1 x_j)^+ - (\beta_0 x_j)^+\big]
        + \ln\prod_j \frac{1 + e^{-|\beta_1 x_j|}}{1 + e^{-|\beta_0 x_j|}},

each ratio in [1/2, 2], one log per 256 factors (8 partial products, fixed order), float64.
The same pass draws :math:`h_j \sim \text{Bernoulli}(\sigma(\beta_1 x_j))` with the counter RNG
(counter ``c·H + j``).  NumPy twin: :func:`rbmphys.kernels.reference_anneal.ais_hidden`.

Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._rng import U32, check_counter_range, exp64, split_key, uniform64

_BLOCK = 256


@njit(cache=True, error_model="numpy")
def _ais_hidden(pre, b, beta0, beta1, k0, k1, h_out, logw, ratio, pos):
    B, H = pre.shape
    for c in range(B):
        base = U32(c * H)
        for j in range(H):
            x = np.float64(pre[c, j]) + np.float64(b[j])
            y1 = beta1 * x
            y0 = beta0 * x
            a1 = abs(y1)
            a0 = abs(y0)
            e1 = exp64(-a1)
            e0 = exp64(-a0)
            ratio[j] = (1.0 + e1) / (1.0 + e0)
            pos[j] = 0.5 * (y1 + a1) - 0.5 * (y0 + a0)
            # 1 + e^{-y1} = 1 + e1 if y1 >= 0 else (1 + e1) / e1
            d = 1.0 + e1 if y1 >= 0.0 else (1.0 + e1) / e1
            u = uniform64(k0, k1, U32(base + U32(j)))
            h_out[c, j] = 1.0 if u * d < 1.0 else 0.0
        acc = 0.0
        for j in range(H):
            acc += pos[j]
        for j0 in range(0, H, _BLOCK):
            j1 = min(j0 + _BLOCK, H)
            p0 = p1 = p2 = p3 = p4 = p5 = p6 = p7 = 1.0
            j = j0
            while j + 8 <= j1:
                p0 *= ratio[j]
                p1 *= ratio[j + 1]
                p2 *= ratio[j + 2]
                p3 *= ratio[j + 3]
                p4 *= ratio[j + 4]
                p5 *= ratio[j + 5]
                p6 *= ratio[j + 6]
                p7 *= ratio[j + 7]
                j += 8
            while j < j1:
                p0 *= ratio[j]
                j += 1
            acc += np.log(((p0 * p1) * (p2 * p3)) * ((p4 * p5) * (p6 * p7)))
        logw[c] += acc


def ais_hidden(pre, b, beta0, beta1, key, h_out, logw):
    """Add Σ_j [softplus(β₁x) − softplus(β₀x)] to ``logw`` and sample h at β₁ into ``h_out``."""
    B, H = pre.shape
    check_counter_range(B, H)
    k0, k1 = split_key(key)
    _ais_hidden(pre, b, float(beta0), float(beta1), k0, k1, h_out, logw, np.empty(H),
                np.empty(H))
