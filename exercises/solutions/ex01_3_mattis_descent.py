"""Solution 1.3: a start reaches ±ξ unless its overlap ξ_vᵀs vanishes (probability C(V,V/2)/2^V)."""

import math

import numpy as np

from rbmphys.analysis import ising


def solve(n_starts=4000):
    m, xv, xh = ising.mattis_model(20, 10, rng=3)
    s = 2.0 * np.random.default_rng(0).integers(0, 2, size=(n_starts, 20)) - 1.0
    h = np.sign(s @ m.W)
    s = np.sign(h @ m.W.T)
    target = np.hstack([xv[0], xh[0]])
    joint = np.hstack([s, h])
    hit = (joint == target).all(1) | (joint == -target).all(1)
    return {"predicted": 1.0 - math.comb(20, 10) / 2**20, "measured": float(hit.mean()),
            "n_starts": n_starts}
