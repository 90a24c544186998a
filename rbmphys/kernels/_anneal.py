r"""Annealing kernel: one AIS weight increment and the hidden sample in one pass (jit-compiled).

Along the path of :mod:`rbmphys.samplers.ais` the unnormalised marginal at inverse temperature
:math:`\beta` is

.. math::

    \ln p^*_\beta(v) = \big((1-\beta)\,a_A + \beta\,a_B\big)^T v
        + \sum_{j=1}^{H}\operatorname{softplus}(\beta x_j),
    \qquad x_j = (v^T W)_j + b_j ,

so for chain :math:`c` the step :math:`\beta_0 \to \beta_1` adds

.. math::

    \Delta \ln w_c = (\beta_1 - \beta_0)\,(a_B - a_A)^T v_c
      + \sum_j \big[(\beta_1 x_j)^+ - (\beta_0 x_j)^+\big]
      + \ln\prod_j \frac{1 + e^{-|\beta_1 x_j|}}{1 + e^{-|\beta_0 x_j|}} ,

using :math:`\operatorname{softplus}(y) = y^+ + \ln(1 + e^{-|y|})`, and
:math:`(\beta_1 x)^+ - (\beta_0 x)^+ = (\beta_1 - \beta_0)\,x^+` for :math:`\beta \ge 0` (no
cancellation between two large numbers).  Each ratio lies in :math:`[1/2, 2]`, so the product
is taken in blocks of 256 factors (8 partial products, fixed order) with one ``log`` per
block: two vectorised exponentials per unit and no per-unit logarithm.  The exponentials are
:func:`~rbmphys.kernels._rng.exp64s` (relative error < 1e-11, the one of the float64 Gibbs
sampler): an AIS run of K steps over H units moves :math:`\ln w` by less than
:math:`2\times10^{-11} H K` (1e-4 nats for H = 500, K = 10^4), far below its Monte Carlo error.
All of it is accumulated in float64, also for float32 models.

The same pass draws :math:`h_j \sim \text{Bernoulli}(\sigma(\beta_1 x_j))` with the counter RNG
(counter ``c·H + j``), reusing :math:`e_1 = e^{-|\beta_1 x_j|}`:
:math:`\sigma(\beta_1 x) = 1/(1+e_1)` if :math:`\beta_1 x \ge 0`, else :math:`e_1/(1+e_1)`,
so :math:`h = 1` iff :math:`u\,(1 + e_1) < 1` (resp. :math:`< e_1`).

Serial on purpose (it runs between two threaded BLAS products, whose thread pool it must not fight);
``error_model="numpy"`` keeps the division from blocking vectorisation.  NumPy twin:
:func:`rbmphys.kernels.reference_anneal.ais_step` (same ``h`` bits, ``ln w`` to round-off).

Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._reduce import log_prod_blocks, sum8
from ._rng import (_G32, U32, bits_to_uniform64, check_counter_range, exp64s, hash_weyl,
                   split_key, weyl)

__all__ = ["ais_step"]



@njit(cache=True, error_model="numpy")
def _ais_step(pre, b, v, da, beta0, beta1, k0, k1, h_out, logw, ratio, pos):
    B, H = pre.shape
    V = v.shape[1]
    dbeta = beta1 - beta0
    for c in range(B):
        # visible part (β1 − β0)(a_B − a_A)·v, 8 partial sums in float64
        s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
        i = 0
        while i + 8 <= V:
            s0 += np.float64(v[c, i]) * da[i]
            s1 += np.float64(v[c, i + 1]) * da[i + 1]
            s2 += np.float64(v[c, i + 2]) * da[i + 2]
            s3 += np.float64(v[c, i + 3]) * da[i + 3]
            s4 += np.float64(v[c, i + 4]) * da[i + 4]
            s5 += np.float64(v[c, i + 5]) * da[i + 5]
            s6 += np.float64(v[c, i + 6]) * da[i + 6]
            s7 += np.float64(v[c, i + 7]) * da[i + 7]
            i += 8
        while i < V:
            s0 += np.float64(v[c, i]) * da[i]
            i += 1
        acc = dbeta * (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)))
        # hidden part: elementwise pass (vectorises), then fixed-order reductions
        w = weyl(c * H)
        for j in range(H):
            x = np.float64(pre[c, j]) + np.float64(b[j])
            y1 = beta1 * x
            y0 = beta0 * x
            e1 = exp64s(-abs(y1))
            e0 = exp64s(-abs(y0))
            q1 = 1.0 + e1
            ratio[j] = q1 / (1.0 + e0)
            pos[j] = dbeta * max(x, 0.0)           # (β1 x)^+ − (β0 x)^+ for β ≥ 0
            u = bits_to_uniform64(hash_weyl(k0, k1, w))
            w = U32(w + _G32)
            thr = 1.0 if y1 >= 0.0 else e1
            h_out[c, j] = 1.0 if u * q1 < thr else 0.0
        acc += sum8(pos, H)
        acc += log_prod_blocks(ratio, H)
        logw[c] += acc


def ais_step(pre, b, v, da, beta0, beta1, key, h_out, logw):
    r"""Add :math:`\Delta\ln w` of the step :math:`\beta_0\to\beta_1` to ``logw`` and sample
    :math:`h \sim p_{\beta_1}(h|v)` into ``h_out``.

    Parameters
    ----------
    pre : ndarray (B, H), model dtype, C-contiguous
        ``v @ W`` (BLAS, outside the kernel).
    b : ndarray (H,), model dtype
        Hidden bias of the target model.
    v : ndarray (B, V), model dtype
        The chains' visible states ({0, 1}).
    da : ndarray (V,), float64
        :math:`a_B - a_A`, target minus base visible bias.
    beta0, beta1 : float
    key : int
        64-bit key of this step (:func:`rbmphys.kernels._rng.derive_key`).
    h_out : ndarray (B, H), model dtype
        Receives the hidden sample; must not be ``pre`` (aliasing costs the SIMD path).
    logw : ndarray (B,), float64
        Log importance weights, updated in place.
    """
    B, H = pre.shape
    if v.shape[0] != B or da.shape[0] != v.shape[1] or h_out.shape != pre.shape:
        raise ValueError("ais_step: inconsistent shapes of pre, v, da, h_out")
    check_counter_range(B, H)
    k0, k1 = split_key(key)
    _ais_step(pre, b, v, da, float(beta0), float(beta1), k0, k1, h_out, logw, np.empty(H),
              np.empty(H))
