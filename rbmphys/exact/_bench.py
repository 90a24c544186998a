"""Benchmark of exact ln Z: Gray-code numba kernel vs plain NumPy chunked enumeration."""

from __future__ import annotations

import time

import numpy as np


def bench_log_partition(V=16, H=1000, repeat=3, seed=0):
    """Time :func:`rbmphys.exact.log_partition` and :func:`log_partition_numpy` on one random
    model in the same process (after a warm-up call); best of ``repeat``."""
    import rbmphys as rp
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.1, bias_scale=0.1, rng=seed)
    fast = rp.exact.log_partition(m)
    slow = rp.exact.log_partition_numpy(m)
    tf, ts = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        rp.exact.log_partition(m)
        tf.append(time.perf_counter() - t)
        t = time.perf_counter()
        rp.exact.log_partition_numpy(m)
        ts.append(time.perf_counter() - t)
    return {"V": V, "H": H, "numba_s": min(tf), "numpy_s": min(ts),
            "speedup": min(ts) / min(tf), "abs_diff": abs(fast - slow), "log_z": fast}
