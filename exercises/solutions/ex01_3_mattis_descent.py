"""Solution 1.3: a start reaches ±ξ unless its overlap ξ_vᵀs vanishes (probability C(V,V/2)/2^V)."""

import math

import numpy as np

from rbmphys.verify.exercise import exercise_path, load_exercise


def solve(n_starts=4000):
    m, xv, xh = load_exercise(exercise_path("ex01_3")).model()
    s0 = 2.0 * np.random.default_rng(0).integers(0, 2, size=(n_starts, 20)) - 1.0
    h = np.sign(s0 @ m.W)
    s = np.sign(h @ m.W.T)
    target = np.hstack([xv, xh])
    joint = np.hstack([s, h])
    hit = (joint == target).all(1) | (joint == -target).all(1)
    return {"predicted": 1.0 - math.comb(20, 10) / 2**20, "starts": s0, "reached": hit}
