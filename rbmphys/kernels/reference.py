"""NumPy twins of the numba kernels: the test oracle.

Each function here performs the same IEEE operations in the same order as its kernel and
returns the same bits from the same key (``tests/test_kernels.py`` asserts
``array_equal``).  They are slow and allocate; never use them in a hot loop.
"""

from __future__ import annotations

import numpy as np

from ._rng import F32, exp32_np, exp64_np, exp64s_np, uniform32_np, uniform64_np

__all__ = ["sample_layer", "mean_layer", "mean_and_sample_layer", "counters"]


def counters(n_chains: int, n_units: int, chain0: int = 0) -> np.ndarray:
    """Counter of unit (c, i): (chain0 + c) * n_units + i, as uint32 (B, n)."""
    c = np.arange(chain0, chain0 + n_chains, dtype=np.uint64)[:, None]
    return (c * np.uint64(n_units) + np.arange(n_units, dtype=np.uint64)[None, :]).astype(
        np.uint32)


def _x(pre, bias, gain):
    pre = np.asarray(pre)
    dt = pre.dtype.type
    return dt(gain) * (pre + np.asarray(bias, dtype=pre.dtype))


def _e1(x):
    if x.dtype == np.float32:
        return F32(1.0) + exp32_np(-x)
    return 1.0 + exp64_np(-x)


def _u(key, shape, chain0, dtype):
    n = counters(*shape, chain0)
    return uniform32_np(key, n) if dtype == np.float32 else uniform64_np(key, n)


def sample_layer(pre, bias, gain, lo, key, chain0=0):
    """Twin of :func:`rbmphys.kernels._gibbs.sample_layer` (returns a new array)."""
    x = _x(pre, bias, gain)
    e1 = F32(1.0) + exp32_np(-x) if x.dtype == np.float32 else 1.0 + exp64s_np(-x)
    up = _u(key, x.shape, chain0, x.dtype) * e1 < x.dtype.type(1.0)
    return np.where(up, x.dtype.type(1.0), x.dtype.type(lo))


def mean_layer(pre, bias, gain, spin, scale=1.0):
    """Twin of :func:`rbmphys.kernels._gibbs.mean_layer`."""
    x = _x(pre, bias, gain)
    one = x.dtype.type(1.0)
    p = one / _e1(x)
    return x.dtype.type(scale) * (x.dtype.type(2.0) * p - one if spin else p)


def mean_and_sample_layer(pre, bias, gain, lo, key, chain0, scale):
    """Twin of :func:`rbmphys.kernels._gibbs.mean_and_sample_layer`; returns (mean, sample)."""
    x = _x(pre, bias, gain)
    dt = x.dtype.type
    e1 = _e1(x)
    p = dt(1.0) / e1
    mean = dt(scale) * (dt(2.0) * p - dt(1.0) if lo < 0 else p)
    up = _u(key, x.shape, chain0, x.dtype) * e1 < dt(1.0)
    return mean, np.where(up, dt(1.0), dt(lo))
