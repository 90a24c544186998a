"""Solution 9.3: the App. D counts; epochs timed side by side with rp.train.  The measured
ratio (~50-100 on 2 cores) is far below the count (~870) because a RAPID update on Bars does
about a microsecond of arithmetic and tens of microseconds of Python and NumPy call overhead."""

import time

import numpy as np

import rbmphys as rp
from rbmphys.training import pcd_multiply_adds


def _epoch_time(rule, model, data, reps=3):
    best = np.inf
    for r in range(reps):
        m = model.copy()
        if isinstance(rule, type(rp.RAPID())):
            rule = rp.RAPID(n_patterns=8)
            m = rule.attach(m, rng=r)
        t = time.perf_counter()
        rp.train(m, data, rule, epochs=1, batch_size=10, lr=1e-4, rng=r, monitor={"every": 0})
        best = min(best, time.perf_counter() - t)
    return best


def solve():
    V, H, B, K = 16, 1000, 10, 8
    rapid = rp.RAPID(n_patterns=K).multiply_adds(V, H, B)
    model = pcd_multiply_adds(V, H, B, 2048, 10) / rapid
    data = 2.0 * np.repeat(rp.datasets.bars(4), 20, axis=0) - 1.0     # 280 images, 28 updates
    m0 = rp.SpinRBM.random(V, H, weight_scale=0.01, rng=0)
    t_pcd = _epoch_time(rp.PCD(k=10, n_chains=2048), m0, data)
    t_rapid = _epoch_time(rp.RAPID(n_patterns=K), m0, data)
    c = 1
    while pcd_multiply_adds(V, H, B, c + 1, 1) <= rapid:
        c += 1
    return {"ratio_model": model, "ratio_measured": t_pcd / t_rapid, "max_chains_pcd1": c}
