"""NumPy twin of :mod:`rbmphys.kernels._anneal` (test oracle)."""

from __future__ import annotations

import numpy as np

from ._rng import exp64_np, uniform64_np
from .reference import counters


def ais_hidden(pre, b, beta0, beta1, key):
    """Returns (Δ ln w per chain, h sample); same bits for h, ln w equal to round-off."""
    x = np.asarray(pre, np.float64) + np.asarray(b, np.float64)
    y1, y0 = beta1 * x, beta0 * x
    dlogw = (np.logaddexp(0.0, y1) - np.logaddexp(0.0, y0)).sum(axis=1)
    a1 = np.abs(y1)
    e1 = exp64_np(-a1)
    d = np.where(y1 >= 0.0, 1.0 + e1, (1.0 + e1) / e1)
    u = uniform64_np(key, counters(*x.shape))
    return dlogw, (u * d < 1.0).astype(np.asarray(pre).dtype)
