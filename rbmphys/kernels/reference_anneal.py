"""NumPy twin of :mod:`rbmphys.kernels._anneal` (test oracle; slow, allocates).

Same uniforms and the same exponentials as the kernel, so the hidden sample is equal bit for
bit; the weight increment is computed the textbook way (``logaddexp`` per unit, NumPy sums) and
agrees with the kernel's product form to round-off.
"""

from __future__ import annotations

import numpy as np

from ._rng import exp64s_np, uniform64_np
from .reference import counters

__all__ = ["ais_step"]


def ais_step(pre, b, v, da, beta0, beta1, key):
    r"""Returns ``(dlogw, h)``: :math:`\Delta\ln w` per chain (float64) and the hidden sample
    (dtype of ``pre``) of :func:`rbmphys.kernels._anneal.ais_step`."""
    x = np.asarray(pre, np.float64) + np.asarray(b, np.float64)
    y1, y0 = beta1 * x, beta0 * x
    dlogw = (np.logaddexp(0.0, y1) - np.logaddexp(0.0, y0)).sum(axis=1)
    dlogw += (beta1 - beta0) * (np.asarray(v, np.float64) @ np.asarray(da, np.float64))
    e1 = exp64s_np(-np.abs(y1))
    q1 = 1.0 + e1
    thr = np.where(y1 >= 0.0, 1.0, e1)
    u = uniform64_np(key, counters(*x.shape))
    return dlogw, (u * q1 < thr).astype(np.asarray(pre).dtype)
